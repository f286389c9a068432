/**
 * Plain-text rendering of answers for the terminal (the Discord bot renders embeds itself).
 */
import type { Answer, Citation, Summary } from './types.js';
import { displayText } from '../text/normalize.js';
import { unescapeMarkdown } from '../text/markdown.js';

/** One citation line: `[n] „quote“ — Title (date), ¶k`. */
export function formatCitation(c: Citation): string {
  const date = c.document.date ? ` (${c.document.date})` : '';
  return `[${c.n}] „${displayText(c.quote)}“\n    — ${c.document.title}${date}, ${c.position}`;
}

/** The answer, then its cited passages. */
export function formatAnswer(a: Answer): string {
  const plain = unescapeMarkdown(a.answer);
  if (a.abstained) return plain;
  return [`Answer: ${plain}`, '', ...a.citations.map(formatCitation)].join('\n');
}

/** The summary text, then its cited sentences. */
export function formatSummary(s: Summary): string {
  const head = s.document ? `Summary of "${s.document.title}"` : 'Summary of all documents';
  return [head, '', unescapeMarkdown(s.text), '', ...s.citations.map(formatCitation)].join('\n');
}
