/**
 * Headings and list labels inside a text: they name a topic but state nothing, so answers never
 * quote them as the answer sentence and summaries never pick them.
 */
import type { Span } from './sentences.js';

/**
 * True when `span` of `text` is a heading or label: a line of at most 12 words without
 * sentence-final punctuation, or a label of at most 8 words ending in ":". O(length of the span).
 */
export function isHeading(text: string, span: Span): boolean {
  const t = text.slice(span.start, span.end).trim();
  const words = t.split(/\s+/).length;
  if (/:$/.test(t) && words <= 8) return true;
  const line = text.slice(Math.max(0, span.start - 1), span.end + 1);
  const ownLine = (span.start === 0 || /\n/.test(line[0] ?? '\n')) && /[\n]?$/.test(line);
  return !/[.!?…"“”»'’)\]]$/.test(t) && words <= 12 && ownLine;
}
