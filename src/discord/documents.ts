/**
 * Choosing a document by autocomplete or by typed text (for /summary and /remove).
 */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentInfo } from '../core.js';

/** Discord allows at most 25 autocomplete choices, names and values of 1–100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_CHARS = 100;

function label(d: DocumentInfo): string {
  const suffix = d.date ? ` (${d.date})` : '';
  const room = MAX_CHOICE_CHARS - suffix.length;
  const title = d.title.replace(/\s+/g, ' ').trim() || d.id;
  return (title.length > room ? `${title.slice(0, room - 1)}…` : title) + suffix;
}

/** Autocomplete choices: documents whose title or id contains `typed` (case-insensitive). */
export function documentChoices(docs: DocumentInfo[], typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const q = typed.trim().toLowerCase();
  return docs
    .filter((d) => !q || d.title.toLowerCase().includes(q) || d.id.toLowerCase().startsWith(q))
    .slice(0, MAX_CHOICES)
    .filter((d) => d.id.length <= MAX_CHOICE_CHARS)
    .map((d) => ({ name: label(d), value: d.id }));
}

/**
 * The document meant by `value`: an exact id (what autocomplete sends), else the only document
 * whose title contains it. `undefined` when none or several match.
 */
export function resolveDocument(docs: DocumentInfo[], value: string): DocumentInfo | undefined {
  const exact = docs.find((d) => d.id === value);
  if (exact) return exact;
  const q = value.trim().toLowerCase();
  if (!q) return undefined;
  // Exact title only: a partial match could remove the wrong document.
  const matches = docs.filter((d) => d.title.toLowerCase() === q);
  return matches.length === 1 ? matches[0] : undefined;
}
