/**
 * Choosing a document by autocomplete or by typed text (for /summary and /remove).
 */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentInfo } from '../core.js';
import { escapeText } from './reply.js';

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
 * The documents `value` may mean: the one with that exact id (what autocomplete sends), else every
 * document whose title equals it (case-insensitive, blanks trimmed). A partial title never
 * matches (it could remove the wrong document); a blank value matches nothing.
 */
export function matchDocuments(docs: DocumentInfo[], value: string): DocumentInfo[] {
  const exact = docs.find((d) => d.id === value);
  if (exact) return [exact];
  const q = value.trim().toLowerCase();
  if (!q) return [];
  return docs.filter((d) => d.title.trim().toLowerCase() === q);
}

/** The one document meant by `value` ({@link matchDocuments}); `undefined` when none or several match. */
export function resolveDocument(docs: DocumentInfo[], value: string): DocumentInfo | undefined {
  const matches = matchDocuments(docs, value);
  return matches.length === 1 ? matches[0] : undefined;
}

/** At most this many characters of a typed value are echoed back in an error. */
const ECHO_CHARS = 100;

/**
 * The error line for a typed document value that did not pick exactly one document: several
 * share the title (their ids listed, so the user can pick one), or none matches. The typed value
 * is shown escaped (no masked link, no mention) and cut to 100 characters.
 * @param matches what {@link matchDocuments} returned (not exactly one)
 * @param noneText the sentence for no match, given the escaped value in quotes
 */
export function notOneDocument(matches: DocumentInfo[], value: string, noneText: (quoted: string) => string): string {
  const shown = value.replace(/\s+/g, ' ').trim();
  const quoted = `“${escapeText(shown.length > ECHO_CHARS ? `${shown.slice(0, ECHO_CHARS - 1)}…` : shown)}”`;
  if (matches.length > 1) {
    const ids = matches.slice(0, 10).map((d) => `\`${d.id}\``).join(', ');
    return `${matches.length} documents are titled ${quoted}; pick one from the list, or type its id: ${ids}${matches.length > 10 ? ', …' : ''}.`;
  }
  return noneText(quoted);
}
