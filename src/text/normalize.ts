/**
 * Text normalisation with offset maps.
 *
 * Stored document text is NFC with LF line ends (done once at ingest; citations are slices of the
 * stored text). For matching, whitespace runs are collapsed; {@link collapseWhitespace} returns a
 * map so that any offset in the collapsed string can be traced back to the stored text.
 */

/** NFC + CRLF/CR → LF. The result is the canonical stored form of a document. */
export function canonicalText(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n');
}

/** A string with, for each of its UTF-16 code units, the offset it came from in the source. */
export interface MappedText {
  text: string;
  /** `map[i]` = offset in the source of `text[i]`; `map[text.length]` = source length. */
  map: Int32Array;
}

/**
 * Collapse every whitespace run to one space and trim both ends, keeping an offset map.
 * @returns the collapsed text and, per output code unit, its offset in `source`.
 */
export function collapseWhitespace(source: string): MappedText {
  const out: string[] = [];
  const map: number[] = [];
  let pendingSpace = -1;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      if (out.length > 0 && pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0) {
      out.push(' ');
      map.push(pendingSpace);
      pendingSpace = -1;
    }
    out.push(ch);
    map.push(i);
  }
  map.push(source.length);
  return { text: out.join(''), map: Int32Array.from(map) };
}

/** Collapse whitespace for display (quotes in replies stay verbatim otherwise). */
export function displayText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
