/**
 * Document identity: derived titles and content-hash ids. (Header lines are read by the parser,
 * src/corpus/header.ts.)
 */
import { createHash } from 'node:crypto';

/**
 * A title derived from the body: its first sentence-like stretch, cut at a word boundary.
 * @param maxChars longest title (default 90 UTF-16 units, plus "…").
 */
export function deriveTitle(text: string, bodyStart: number, maxChars = 90): string {
  const body = text.slice(bodyStart).replace(/\s+/g, ' ').trim();
  const firstLine = body.split(/(?<=[.!?])\s/)[0] ?? body;
  if (firstLine.length <= maxChars) return firstLine.replace(/[.!?]$/, '') || 'Untitled';
  const cut = firstLine.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).replace(/[,;:–-]$/, '')}…`;
}

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
