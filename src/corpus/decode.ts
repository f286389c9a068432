/**
 * Bytes → string for text formats, strictly: a file that is not valid text in its encoding is
 * rejected with an {@link InputError} instead of being stored as mojibake.
 */
import { InputError } from './types.js';

/** Options for {@link decodeText}. */
export interface DecodeOptions {
  /**
   * Declared charset (from a Content-Type `charset=` parameter or an HTML `<meta charset>`).
   * Used only when there is no BOM; unknown labels fall back to UTF-8.
   */
  charset?: string;
}

/** Share of control bytes/characters (other than TAB, LF, CR, FF, VT, ESC) above which input is binary. */
const MAX_CONTROL_RATIO = 0.05;
/** How much of the input the control-character ratio looks at. */
const SAMPLE = 64 * 1024;

/**
 * Decode text bytes.
 *
 * - A BOM decides: UTF-8 (EF BB BF, stripped), UTF-16 LE (FF FE), UTF-16 BE (FE FF).
 * - Otherwise the declared `charset` if the WHATWG Encoding Standard knows it (e.g. windows-1252,
 *   iso-8859-15, utf-16le), else UTF-8. All decoding is fatal: an invalid sequence is an error.
 * - Binary detection: any NUL, or more than 5 % control characters in the first 64 KiB.
 *
 * @throws InputError reason 'binary' (NUL / control characters), 'bad-encoding' (invalid UTF-8 or
 *   invalid in the declared charset — the message names the byte offset for UTF-8 — or UTF-16
 *   without a BOM).
 */
export function decodeText(bytes: Uint8Array, opts: DecodeOptions = {}): string {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    label = 'utf-16le';
    start = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    label = 'utf-16be';
    start = 2;
  } else if (opts.charset) {
    label = knownEncoding(opts.charset) ?? 'utf-8';
  }
  const body = bytes.subarray(start);
  const utf16 = label === 'utf-16le' || label === 'utf-16be';

  if (!utf16) checkBinaryBytes(body);

  if (utf16 && body.length % 2 === 1) {
    throw new InputError(
      `The file starts with a UTF-16 byte order mark but has an odd number of bytes, so it is not valid UTF-16 text.`,
      'bad-encoding',
    );
  }

  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    if (label === 'utf-8') {
      const at = firstInvalidUtf8(body);
      throw new InputError(
        `The file is not valid UTF-8 text (invalid byte sequence at byte ${at + start}). ` +
          `Please save it as UTF-8 and try again.`,
        'bad-encoding',
      );
    }
    throw new InputError(
      `The file is not valid ${label.toUpperCase()} text (it contains byte sequences that are invalid in that encoding).`,
      'bad-encoding',
    );
  }
  if (utf16) {
    checkBinaryChars(text);
    checkUtf16Plausible(text);
  }
  return text;
}

/** Canonical WHATWG encoding name for a label, or undefined when Node's TextDecoder does not know it. */
export function knownEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, '')).encoding;
  } catch {
    return undefined;
  }
}

/** The `charset` parameter of a Content-Type header value, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m ? m[2] : undefined;
}

/**
 * The charset declared by an HTML `<meta charset=…>` or `<meta http-equiv="Content-Type"
 * content="…; charset=…">` in the first 2 KiB (bytes read as Latin-1, like the HTML prescan).
 */
export function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = latin1(bytes.subarray(0, 2048));
  const m = /<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return m ? m[1] : undefined;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function isControlByte(b: number): boolean {
  // C0 except TAB(9) LF(10) VT(11) FF(12) CR(13) ESC(27, ANSI colour codes in logs); DEL.
  return (b < 0x20 && !(b >= 9 && b <= 13) && b !== 0x1b) || b === 0x7f;
}

function binaryError(detail: string): InputError {
  return new InputError(
    `This does not look like a text file (${detail}). Please upload plain text, Markdown, HTML or PDF.`,
    'binary',
  );
}

function checkBinaryBytes(b: Uint8Array): void {
  if (b.indexOf(0) !== -1) {
    if (looksLikeBomlessUtf16(b)) {
      throw new InputError(
        'The file looks like UTF-16 text without a byte order mark. Please save it as UTF-8 (or UTF-16 with BOM).',
        'bad-encoding',
      );
    }
    throw binaryError('it contains NUL bytes');
  }
  const n = Math.min(b.length, SAMPLE);
  let ctrl = 0;
  for (let i = 0; i < n; i++) if (isControlByte(b[i])) ctrl++;
  if (n > 0 && ctrl / n > MAX_CONTROL_RATIO) throw binaryError('it contains many control characters');
}

/** Mostly-Latin UTF-16 without BOM: nearly every other byte is NUL, the rest almost never. */
function looksLikeBomlessUtf16(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const half = n / 2;
  return (even / half > 0.6 && odd / half < 0.05) || (odd / half > 0.6 && even / half < 0.05);
}

function checkBinaryChars(s: string): void {
  if (s.includes('\u0000')) throw binaryError('it contains NUL characters');
  const n = Math.min(s.length, SAMPLE);
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isControlByte(c) || (c >= 0x80 && c <= 0x9f)) ctrl++;
  }
  if (n > 0 && ctrl / n > MAX_CONTROL_RATIO) throw binaryError('it contains many control characters');
}

/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence (Unicode 15, table
 * 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or -1 if all is valid.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      const l = k === 1 ? lo : 0x80;
      const h = k === 1 ? hi : 0xbf;
      if (d < l || d > h) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Letter groups for {@link checkUtf16Plausible}: a language's text draws its letters from one or two. */
const SCRIPTS: ReadonlyArray<RegExp> = [
  /\p{Script=Latin}/u, /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, /\p{Script=Hangul}/u,
  /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Arabic}/u, /\p{Script=Hebrew}/u, /\p{Script=Thai}/u,
  /\p{Script=Devanagari}/u,
];

/**
 * Bytes after a UTF-16 BOM decode to *some* code points whatever they are, so junk passes the
 * fatal decoder. Real UTF-16 text (i) has line breaks, spaces or punctuation, (ii) has almost no
 * private-use or unassigned code points, and (iii) takes ≥ 90 % of its letters from at most two
 * script groups (Han/Kana counted as one); random bytes spread over many blocks. Looks at the
 * first 64 Ki characters.
 * @throws InputError 'bad-encoding' when the text fails these checks.
 */
function checkUtf16Plausible(full: string): void {
  const s = full.slice(0, 65536);
  const bad = () =>
    new InputError('The file starts with a UTF-16 byte order mark, but what follows is not UTF-16 text (it looks like random bytes).', 'bad-encoding');
  if (!/[\s\p{P}]/u.test(s)) throw bad();
  let odd = 0;
  let letters = 0;
  const counts = new Array<number>(SCRIPTS.length + 1).fill(0);
  for (const ch of s) {
    if (/[\p{Co}\p{Cn}]/u.test(ch)) odd++;
    else if (/\p{L}/u.test(ch)) {
      letters++;
      const k = SCRIPTS.findIndex((re) => re.test(ch));
      counts[k === -1 ? SCRIPTS.length : k]++;
    }
  }
  if (odd > Math.max(1, s.length * 0.01)) throw bad();
  const top = counts.slice(0, SCRIPTS.length).sort((a, b) => b - a);
  if (letters > 0 && top[0] + top[1] < letters * 0.9) throw bad();
}
