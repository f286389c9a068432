/**
 * Document identity: derived titles and content-hash ids. (Header lines are read by the parser,
 * src/corpus/header.ts.)
 */
import { createHash } from 'node:crypto';

/**
 * A title derived from the body: its first sentence-like stretch, cut at a word boundary.
 * Reads at most {@link TITLE_WINDOW_CHARS} of the body, so a huge document (10 MB of `a. `) costs
 * no more than a small one (the whole body used to be split into sentences here, 3.5 M strings).
 * @param maxChars longest title (default 90 UTF-16 units, plus "…").
 */
export function deriveTitle(text: string, bodyStart: number, maxChars = 90): string {
  let from = bodyStart;
  while (from < text.length && from < bodyStart + TITLE_WINDOW_CHARS && /\s/.test(text[from])) from++;
  const window = text.slice(from, from + TITLE_WINDOW_CHARS);
  const cutShort = from + window.length < text.length;
  const body = window.replace(/\s+/g, ' ').trim();
  const end = /[.!?]\s/.exec(body);
  const firstLine = end ? body.slice(0, end.index + 1) : body;
  if (firstLine.length <= maxChars && (end || !cutShort)) return firstLine.replace(/[.!?]$/, '') || 'Untitled';
  const cut = firstLine.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).replace(/[,;:–-]$/, '')}…`;
}

/** How much of the body {@link deriveTitle} looks at (UTF-16 units). */
export const TITLE_WINDOW_CHARS = 4096;

/**
 * Stable document id: the first 16 hex digits of SHA-256 over the stored text, salted with the
 * scope (guild) so the same text added in two guilds gives two documents.
 */
export function documentId(text: string, scope: string | null): string {
  return createHash('sha256').update(scope ? `${scope}\u0000` : '').update(text).digest('hex').slice(0, 16);
}

/** SHA-256 (hex) of a string: the content hash used as embedding-cache key. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
