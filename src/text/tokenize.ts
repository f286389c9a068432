/**
 * Tokenisation for lexical retrieval. Tokens carry their offsets so that matched words can be
 * highlighted in verbatim quotes.
 *
 * Rules: a token is a run of letters/digits, optionally joined by inner hyphens, apostrophes or
 * number separators ("ZT-180", "Xi'an", "6.000", "3,5", "NATO-Generalsekretär"). Numbers lose
 * their thousands separators ("6.000" and "6,000" → "6000"). Hyphenated words made only of
 * letters also yield their parts ("kamikaze-drohne" → + "kamikaze", "drohne"); codes with digits
 * ("zt-180", "shahed-136") stay whole, so they match only themselves.
 */

/** A token: lower-cased normalised form plus its span in the source string. */
export interface Token {
  /** Normalised form (lower case, NFC, number separators removed). */
  norm: string;
  start: number;
  end: number;
  /** True when the surface form starts with a capital letter. */
  capitalized: boolean;
}

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’\-‐‑.,][\p{L}\p{N}]+)*/gu;

/** Split `text` into tokens (see module doc). Offsets index `text`. */
export function tokenize(text: string): Token[] {
  return [...iterateTokens(text)];
}

/** {@link tokenize} one token at a time (no array of all tokens: constant memory per token). */
export function* iterateTokens(text: string): Generator<Token> {
  const buf: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const surface = m[0];
    const start = m.index ?? 0;
    if (!SPECIAL.test(surface)) {
      // The common case, without the per-token array and `yield*` delegation (3.5 M tokens of
      // `a. ` took 4.1 s with it, 3.1 s without, machine under load).
      yield { norm: surface.toLowerCase(), start, end: start + surface.length, capitalized: startsUpper(surface) };
      continue;
    }
    buf.length = 0;
    pushToken(buf, surface, start);
    for (let i = 0; i < buf.length; i++) yield buf[i];
  }
}

/**
 * Call `fn` with each token of `text` in order (see module doc): {@link iterateTokens} without the
 * generator, for the index-term hot path (a 10 MB paragraph is tokenised whole for its paragraph
 * terms).
 */
export function forEachToken(text: string, fn: (t: Token) => void): void {
  const buf: Token[] = [];
  const re = new RegExp(TOKEN_RE); // own lastIndex: safe if `fn` tokenises too
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const surface = m[0];
    if (!SPECIAL.test(surface)) {
      fn({ norm: surface.toLowerCase(), start: m.index, end: m.index + surface.length, capitalized: startsUpper(surface) });
      continue;
    }
    buf.length = 0;
    pushToken(buf, surface, m.index);
    for (let i = 0; i < buf.length; i++) fn(buf[i]);
  }
}

/** Characters that need the slow path of {@link pushToken} (separators, apostrophes, hyphens). */
const SPECIAL = /[.,'’\-‐‑]/;
/** Upper-case first character (cheap test for ASCII, the Unicode property otherwise). */
function startsUpper(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return /^\p{Lu}/u.test(s);
}

function pushToken(out: Token[], surface: string, start: number): void {
  if (!SPECIAL.test(surface)) {
    // Plain letters/digits (most tokens): nothing to split or normalise beyond lower case.
    out.push({ norm: surface.toLowerCase(), start, end: start + surface.length, capitalized: startsUpper(surface) });
    return;
  }
  const capitalized = startsUpper(surface);
  // Thousands separators ("6.000", "1,234,567"): German and English news use both.
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(surface)) {
    out.push({ norm: surface.replace(/[.,]/g, ''), start, end: start + surface.length, capitalized });
    return;
  }
  if (/^\d+[.,]\d+$/.test(surface)) {
    out.push({ norm: surface.replace(',', '.'), start, end: start + surface.length, capitalized });
    return;
  }
  // Dots or commas inside words ("u.a", "www.example.org"): split into parts.
  if (/[.,]/.test(surface)) {
    let offset = 0;
    for (const part of surface.split(/[.,]/)) {
      if (part) pushToken(out, part, start + offset);
      offset += part.length + 1;
    }
    return;
  }
  let norm = surface.toLowerCase().replace(/[’]/g, "'").replace(/[‐‑]/g, '-');
  // English possessive.
  norm = norm.replace(/'s$/, '');
  const end = start + surface.length;
  out.push({ norm, start, end, capitalized });
  if (norm.includes('-') && !/\d/.test(norm)) {
    let offset = 0;
    for (const part of norm.split('-')) {
      if (part.length > 1) out.push({ norm: part, start: start + offset, end: start + offset + part.length, capitalized: /^\p{Lu}/u.test(surface.slice(offset)) });
      offset += part.length + 1;
    }
  }
}
