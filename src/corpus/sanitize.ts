/**
 * Text sanitation shared by every parser: the stored document text and titles go through here, so
 * that quotes never carry invisible or direction-changing characters.
 */

/**
 * Characters removed outright (never visible in a quote, but they break matching or can disguise
 * text):
 * - U+200B..U+200D zero-width space / non-joiner / joiner, U+2060 word joiner, U+FEFF (BOM / ZWNBSP)
 * - U+00AD soft hyphen (invisible unless a line breaks there; splits words for search)
 * - U+202A..U+202E bidi embeddings/overrides, U+2066..U+2069 bidi isolates (Trojan-Source style
 *   reordering, Unicode TR #9 / CVE-2021-42574)
 * - C0 controls except TAB and LF (CR, VT, FF are turned into line breaks before this runs),
 *   DEL, and C1 controls U+0080..U+009F.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u202A-\u202E\u2066-\u2069\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

/**
 * A lone UTF-16 surrogate: a high surrogate not followed by a low one, or a low surrogate not
 * preceded by a high one. JavaScript strings may hold them, UTF-8 (and so SQLite) cannot; SQLite
 * stores each as U+FFFD, which would shift every offset computed on the unrepaired text.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replace every lone surrogate with U+FFFD REPLACEMENT CHARACTER (one UTF-16 unit for one, so
 * lengths stay the same), as `String.prototype.toWellFormed` does (ECMA-262 2024). Linear.
 */
export function replaceLoneSurrogates(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** Unicode space separators that look like a plain space (NBSP, en/em spaces, narrow NBSP, ideographic). */
const ODD_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/**
 * Normalise document text for storage and quoting.
 *
 * Steps, in order: lone UTF-16 surrogates → U+FFFD ({@link replaceLoneSurrogates}, first, so
 * the offsets of quotes match the text as stored); CRLF / lone CR → LF; U+2028 → LF, U+2029 and form feed → blank line; vertical
 * tab → LF; Unicode NFC; remove the characters in {@link INVISIBLE}; exotic space separators → ' ';
 * trailing spaces/tabs on each line removed; runs of spaces after a non-space character collapsed
 * to one (indentation is kept); runs of 3+ line breaks collapsed to one blank line;
 * leading/trailing blank space trimmed. TAB and LF are the only control characters left.
 *
 * @param s any decoded text
 * @returns sanitised text (may be empty)
 */
export function sanitizeText(s: string): string {
  let t = replaceLoneSurrogates(s).replace(/\r\n?/g, '\n').replace(/\u2028|\u000B/g, '\n').replace(/\u2029|\f/g, '\n\n');
  t = t.normalize('NFC');
  t = t.replace(INVISIBLE, '').replace(ODD_SPACES, ' ');
  // Line by line with trimEnd: the regex /[ \t]+$/gm is quadratic on a long run of spaces.
  t = t
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/(\S) {2,}/g, '$1 ');
  t = t.replace(/\n{3,}/g, '\n\n');
  return t.trim(); // not /^\s+|\s+$/g: quadratic on a long inner run of whitespace
}

/** Maximum title length in UTF-16 code units. */
export const MAX_TITLE_CHARS = 200;

/**
 * Make a title safe to display and to use in listings.
 *
 * Replaces lone surrogates with U+FFFD and removes control, zero-width and bidi characters (as
 * {@link sanitizeText}), replaces path
 * separators `/` and `\` with spaces (titles must never look like paths), collapses all whitespace
 * (including line breaks) to single spaces, trims, and truncates to {@link MAX_TITLE_CHARS}
 * characters (at a code point boundary, with a trailing '…' when cut).
 *
 * @returns the title, or `undefined` when nothing printable is left (or the input is not a string).
 */
export function sanitizeTitle(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  let t = replaceLoneSurrogates(s).normalize('NFC').replace(/[\r\n\t\f\v\u2028\u2029]/g, ' ');
  t = t.replace(INVISIBLE, '').replace(ODD_SPACES, ' ');
  t = t.replace(/[/\\]+/g, ' ');
  t = t.replace(/\s+/g, ' ').trim();
  if (t === '') return undefined;
  if (t.length > MAX_TITLE_CHARS) {
    const cps = Array.from(t);
    let out = '';
    for (const cp of cps) {
      if (out.length + cp.length > MAX_TITLE_CHARS - 1) break;
      out += cp;
    }
    t = out.trimEnd() + '…';
  }
  return t;
}

/**
 * Reduce a declared language tag such as "de-DE", "EN_us" or "de" to its ISO 639-1 primary subtag
 * ("de", "en"). Three-letter or malformed tags give `undefined` (the language is then detected
 * from the text later).
 */
export function normalizeLangTag(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]{1,8})*\s*$/.exec(s);
  return m ? m[1].toLowerCase() : undefined;
}
