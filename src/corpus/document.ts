/**
 * Document identity and metadata: header lines, derived titles, content-hash ids.
 */
import { createHash } from 'node:crypto';

/** Metadata read from a document's header lines. */
export interface HeaderMeta {
  date?: string;
  title?: string;
  source?: string;
  lang?: string;
}

const DATE_VALUE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?(?=\s|$)/;

/**
 * Read header lines at the top of a text: `date 2023-02`, `title …`, `source …`, `lang de`
 * (also with a colon: `date: 2023-02`). A date header may share its line with the body, as in
 * the seed report (`date 2023-02 Während …`).
 * @returns the metadata and the offset where the body starts.
 */
export function parseHeader(text: string): { meta: HeaderMeta; bodyStart: number } {
  const meta: HeaderMeta = {};
  let pos = 0;
  for (;;) {
    const rest = text.slice(pos);
    const lead = /^\s*/.exec(rest)![0].length;
    const m = /^(date|title|source|lang|language)[ \t]*:?[ \t]+/i.exec(rest.slice(lead));
    if (!m) break;
    const key = m[1].toLowerCase();
    const valueStart = pos + lead + m[0].length;
    if (key === 'date') {
      const d = DATE_VALUE.exec(text.slice(valueStart));
      if (!d || meta.date) break;
      meta.date = d[0];
      pos = valueStart + d[0].length;
      continue;
    }
    const nl = text.indexOf('\n', valueStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const value = text.slice(valueStart, lineEnd).trim();
    if (!value || value.length > 300) break;
    if (key === 'title' && !meta.title) meta.title = value;
    else if (key === 'source' && !meta.source) meta.source = value;
    else if ((key === 'lang' || key === 'language') && !meta.lang && /^[a-z]{2}$/i.test(value)) meta.lang = value.toLowerCase();
    else break;
    pos = lineEnd;
  }
  while (pos < text.length && /\s/.test(text[pos])) pos++;
  return { meta, bodyStart: pos };
}

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
