/**
 * The seed corpus format: a plain text file may start with `key value` header lines, e.g.
 *
 *     date 2023-02
 *     title Drohnen für Russland
 *     source https://example.org/artikel
 *     lang de
 *
 *     Während NATO-Generalsekretär …
 *
 * The first seed file even has the header on the same line as the first paragraph
 * (` date 2023-02 Während NATO-…`), so `date` and `lang` values, which have a recognisable shape,
 * may be followed by body text on the same line; that text then starts the body.
 */

/** Metadata found in header lines. Values are trimmed; absent keys are missing. */
export interface HeaderMeta {
  /** As written, e.g. "2023-02", "2023-02-24", "24.02.2023". */
  date?: string;
  title?: string;
  source?: string;
  /** Language tag as written, lower-cased, e.g. "de", "de-at". */
  lang?: string;
}

/** Result of {@link parseHeaderLines}: `text.slice(bodyStart)` is the body. */
export interface HeaderResult {
  meta: HeaderMeta;
  /** Index into the input where the body starts (0 when there is no header). */
  bodyStart: number;
}

/** Longest accepted value of a `title` / `source` line, in characters. */
const MAX_LINE_VALUE = 300;

/** Date shapes accepted after `date`: 2023, 2023-02, 2023-02-24, 2023-02-24T10:00[:00][Z], 24.02.2023. */
const DATE_VALUE = /^(?:\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?|\d{1,2}\.\d{1,2}\.\d{4})(?=\s|$)/;
/** Language tag shapes accepted after `lang`: de, deu, de-AT, en_GB. */
const LANG_VALUE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*(?=\s|$)/;
const KEY = /^(date|title|source|lang|language)([ \t]*:[ \t]*|[ \t]+)/i;

/** Match a header key at the start of `s`: lower case `key value`, or `Key: value` in any case. */
function matchKey(s: string): { key: keyof HeaderMeta; length: number } | null {
  const m = KEY.exec(s);
  if (!m) return null;
  if (!m[2].includes(':') && m[1] !== m[1].toLowerCase()) return null;
  const k = m[1].toLowerCase();
  return { key: (k === 'language' ? 'lang' : k) as keyof HeaderMeta, length: m[0].length };
}

/**
 * Parse seed-format header lines at the top of `text`.
 *
 * Rules (chosen to avoid mistaking prose for a header):
 * - keys are `date`, `title`, `source`, `lang` (alias `language`): lower case when followed by a
 *   space (`date 2023-02`), any case when followed by a colon (`Date: 2023-02`);
 *   the block starts at the first non-blank character and ends at the first line that is not a
 *   header line; blank lines between header lines are allowed; a repeated key ends the block;
 * - `date` needs a date-shaped value and `lang` a language-tag-shaped value; if text follows the
 *   value on the same line, that text is the start of the body (and the header ends);
 * - `title` / `source` take the rest of the line (non-empty, at most 300 characters; in the
 *   `Key: value` form a longer title is cut to 300 and a longer source dropped) and only
 *   count when more text follows on later lines; as the first header line they also need a blank
 *   line or another header line right after them.
 *
 * @param text sanitised document text (LF line breaks)
 * @returns the metadata and where the body starts; `{ meta: {}, bodyStart: 0 }` without a header.
 */
export function parseHeaderLines(text: string): HeaderResult {
  const meta: HeaderMeta = {};
  let pos = 0;
  let found = false;
  for (;;) {
    const p = skipSpace(text, pos);
    const km = matchKey(text.slice(p, p + 32)); // a key and its separator fit in 32 characters
    if (!km) return { meta, bodyStart: found ? p : 0 };
    const key = km.key;
    if (meta[key] !== undefined) return { meta, bodyStart: p };
    const vStart = p + km.length;
    const lineEnd = indexOrEnd(text, '\n', vStart);
    const line = text.slice(vStart, lineEnd);

    if (key === 'date' || key === 'lang') {
      const vm = (key === 'date' ? DATE_VALUE : LANG_VALUE).exec(line);
      if (!vm) return { meta, bodyStart: found ? p : 0 };
      meta[key] = key === 'lang' ? vm[0].toLowerCase().replace('_', '-') : vm[0];
      found = true;
      const after = vStart + vm[0].length;
      const inline = skipHorizontal(text, after);
      if (inline < lineEnd) return { meta, bodyStart: inline }; // body continues on this line
      pos = lineEnd;
      continue;
    }

    // title / source: the whole rest of the line, and there must be more text after it. Unless a
    // date/lang line already proved this is a header, the next line must be blank or a header
    // line (so that prose such as "title of the book is …" is not taken for a header).
    const value = line.trim();
    const more = /\S/.test(text.slice(lineEnd + 1, lineEnd + 1 + 4096)) || /\S/.test(text.slice(lineEnd + 4097));
    const nextLine = text.slice(lineEnd + 1, indexOrEnd(text, '\n', lineEnd + 1));
    const separated = nextLine.trim() === '' || matchKey(nextLine.trimStart()) !== null;
    // An over-long value counts only in the colon form (`Title: …`), which prose rarely takes: a
    // title is then cut, an over-long source (no usable link) dropped, and the header goes on —
    // before, one long title line turned the whole header, date included, into body text.
    const colon = text.slice(p, vStart).includes(':');
    if (value === '' || (value.length > MAX_LINE_VALUE && !colon) || !more || (!found && !separated)) {
      return { meta, bodyStart: found ? p : 0 };
    }
    if (value.length <= MAX_LINE_VALUE) meta[key] = value;
    else if (key === 'title') meta.title = `${value.slice(0, MAX_LINE_VALUE - 1).replace(/\s+\S*$/, '')}…`;
    found = true;
    pos = lineEnd;
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

function skipHorizontal(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function indexOrEnd(s: string, ch: string, from: number): number {
  const i = s.indexOf(ch, from);
  return i === -1 ? s.length : i;
}
