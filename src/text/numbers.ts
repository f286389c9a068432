/**
 * Language-aware reading of quantities in running text: digits with the separators of the text's
 * language, number words, multipliers ("35 Millionen"), ranges, hedges ("rund", "about") and the
 * noun or unit a number counts. Digits inside codes and names ("ZT-180", "Shahed-136", "F-16",
 * "MH17") are not quantities.
 *
 * Separators (CLDR number symbols for en and de): English writes `100,000` and `2.5`; German writes
 * `100.000`, `100.000,5` and `2,5`; both may group thousands with a space or a (narrow) no-break
 * space. For other or unknown languages the pattern decides: dot-grouped thousands ("6.000",
 * "1.234,5") are read the German way, everything else the English way.
 *
 * One pass over the text with bounded look-around per match: linear in the input.
 */

/** One quantity found in a text. Offsets are UTF-16 code units, as String#slice. */
export interface Quantity {
  /** Offsets of the whole phrase (number, multiplier and range; not the hedge or the unit). */
  start: number;
  end: number;
  /** The value (the lower bound of a range). */
  value: number;
  /** The upper bound of a range ("35 bis 50" → 50). */
  high?: number;
  /** The word or symbol right after the number ("Drohnen", "kg", "%"), as written. */
  unit?: string;
  /** Preceded by a hedge: "rund", "etwa", "about", "around", "approximately", "some", … */
  approx?: boolean;
  /** Written as a 4-digit year (1000–2199, no separators). */
  year?: boolean;
}

export type NumberLanguage = 'de' | 'en' | string | null | undefined;

const EN_UNITS: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, dozen: 12,
};
/** "one" and "a" only count before a scale word ("one hundred", "a thousand"). */
const EN_WEAK: Record<string, number> = { one: 1, a: 1, an: 1 };
const EN_SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

const DE_UNITS: Record<string, number> = {
  null: 0, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10,
  elf: 11, zwölf: 12, dreizehn: 13, vierzehn: 14, fünfzehn: 15, sechzehn: 16, siebzehn: 17,
  achtzehn: 18, neunzehn: 19, zwanzig: 20, dreißig: 30, dreissig: 30, vierzig: 40, fünfzig: 50,
  sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90, dutzend: 12,
};
const DE_SCALE_WORDS: Record<string, number> = {
  million: 1e6, millionen: 1e6, mio: 1e6, milliarde: 1e9, milliarden: 1e9, mrd: 1e9, billion: 1e12, billionen: 1e12,
};
const SHORT_SCALES: Record<string, number> = { k: 1e3, m: 1e6, mn: 1e6, bn: 1e9, tsd: 1e3, mio: 1e6, mrd: 1e9 };

const HEDGES = new Set([
  'rund', 'etwa', 'ca', 'circa', 'zirka', 'ungefähr', 'annähernd', 'knapp', 'fast', 'beinahe', 'gut',
  'about', 'around', 'approximately', 'roughly', 'nearly', 'almost', 'some', 'approx', 'circa',
]);

/**
 * Value of one German number word written as one word ("zweihundertfünfzig", "sechstausend",
 * "einundzwanzig"), or undefined. Plain "ein"/"eine"/"eins" are not numbers (articles).
 * Recursive descent over tausend → hundert → "…und…zig"; each step shortens the word.
 */
export function germanNumberWord(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w in DE_SCALE_WORDS) return undefined; // a scale alone is a multiplier, handled by the caller
  const v = deBelowMillion(w);
  return v === undefined || w === 'ein' || w === 'eine' || w === 'eins' ? undefined : v;
}

function deBelowMillion(w: string): number | undefined {
  const t = w.indexOf('tausend');
  if (t >= 0) {
    const head = w.slice(0, t);
    const tail = w.slice(t + 'tausend'.length);
    const h = head === '' || head === 'ein' ? 1 : deBelowThousand(head);
    const r = tail === '' ? 0 : deBelowThousand(tail);
    return h === undefined || r === undefined ? undefined : h * 1000 + r;
  }
  return deBelowThousand(w);
}

function deBelowThousand(w: string): number | undefined {
  const h = w.indexOf('hundert');
  if (h >= 0) {
    const head = w.slice(0, h);
    const tail = w.slice(h + 'hundert'.length);
    const a = head === '' || head === 'ein' ? 1 : DE_UNITS[head];
    const r = tail === '' ? 0 : deBelowHundred(tail.replace(/^und/, ''));
    return a === undefined || a > 9 || r === undefined ? undefined : a * 100 + r;
  }
  return deBelowHundred(w);
}

function deBelowHundred(w: string): number | undefined {
  if (w in DE_UNITS) return DE_UNITS[w];
  if (w === 'eins' || w === 'ein' || w === 'eine') return 1;
  const u = w.indexOf('und');
  if (u > 0) {
    const unit = w.slice(0, u);
    const ten = DE_UNITS[w.slice(u + 3)];
    const one = unit === 'ein' ? 1 : DE_UNITS[unit];
    if (ten !== undefined && ten >= 20 && ten % 10 === 0 && one !== undefined && one >= 1 && one <= 9) return ten + one;
  }
  return undefined;
}

/** Which separator convention `lang` uses; null = decide per token. */
function convention(lang: NumberLanguage): 'de' | 'en' | null {
  const l = (lang ?? '').toLowerCase();
  if (l === 'de') return 'de';
  if (l === 'en') return 'en';
  return null;
}

/** Value of a digit token ("100.000,5", "6 000", "2.5") under a convention; NaN when malformed. */
export function parseDigits(token: string, lang: NumberLanguage): number {
  const t = token.replace(/[\s\u00a0\u202f\u2009]/g, ' ');
  let conv = convention(lang);
  if (conv === null) {
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t) || /^\d{1,3}(\.\d{3})+,\d+$/.test(t)) conv = 'de';
    else conv = 'en';
  }
  const group = conv === 'de' ? '.' : ',';
  const decimal = conv === 'de' ? ',' : '.';
  const [intPart, frac, extra] = t.split(decimal);
  if (extra !== undefined) return NaN;
  let digits: string;
  if (intPart.includes(group) || intPart.includes(' ')) {
    const groups = intPart.split(/[ .,]/);
    if (!/^\d{1,3}$/.test(groups[0]) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) return NaN;
    // One separator only, of one kind: "6.000" and "6 000" are fine; "6 000.000" mixes.
    const seps = intPart.replace(/\d/g, '');
    if (new Set(seps).size > 1) return NaN;
    digits = groups.join('');
  } else digits = intPart;
  if (!/^\d+$/.test(digits) || (frac !== undefined && !/^\d+$/.test(frac))) return NaN;
  return Number(frac === undefined ? digits : `${digits}.${frac}`);
}

// A digit token: digits with optional separators between groups, or a number word.
const TOKEN_RE =
  /\d+(?:(?:[.,]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*|[\p{L}]+(?:[-‐‑][\p{L}]+)*/gu;

interface Tok {
  start: number;
  end: number;
  text: string;
  lower: string;
  digits: boolean;
}

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const s = m[0];
    out.push({ start: m.index, end: m.index + s.length, text: s, lower: s.toLowerCase(), digits: /^\d/.test(s) });
  }
  return out;
}

/** True when the digits at [start, end) are part of a code or name ("ZT-180", "MH17", "F-16A"). */
function inCode(text: string, start: number, end: number): boolean {
  if (/\p{L}[-‐‑]?$/u.test(text.slice(Math.max(0, start - 2), start))) return true;
  // The month or day of an ISO date ("2023-02", "2023-02-24").
  if (end - start === 2 && /(?:^|[^\d])\d{4}-(?:\d\d-)?$/.test(text.slice(Math.max(0, start - 9), start))) return true;
  // Glued letters that are not a unit ("100er", "50kg" are quantities; "3D" is a code).
  const glued = /^(\p{L}+)/u.exec(text.slice(end, end + 12));
  return !!glued && !/^(?:km|kg|m|mm|cm|t|g|h|s|min|er|x|k|bn|mn|mio|mrd|tsd|ms|mb|gb|kb)$/i.test(glued[1]);
}

/** Value of an English number-word phrase starting at token i: [value, tokens used] or null. */
function englishWords(toks: Tok[], i: number, text: string): [number, number] | null {
  let total = 0;
  let current = 0;
  let used = 0;
  let strong = false;
  const spaced = (k: number) => k > 0 && /^\s+$/.test(text.slice(toks[k - 1].end, toks[k].start));
  for (let k = i; k < toks.length && k < i + 12; k++) {
    const t = toks[k];
    if (k > i && !spaced(k)) break;
    const parts = t.lower.split(/[-‐‑]/);
    if (parts.every((p) => p in EN_UNITS)) {
      current += parts.reduce((n, p) => n + EN_UNITS[p], 0);
      strong = true;
      used = k - i + 1;
      continue;
    }
    if (k === i && t.lower in EN_WEAK && toks[k + 1] && toks[k + 1].lower in EN_SCALES && spaced(k + 1)) {
      current += 1;
      used = 1;
      continue;
    }
    if (t.lower in EN_SCALES && used > 0) {
      const s = EN_SCALES[t.lower];
      if (s === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * s;
        current = 0;
      }
      strong = true;
      used = k - i + 1;
      continue;
    }
    if (t.lower === 'and' && used > 0 && toks[k + 1] && toks[k + 1].lower.split(/[-‐‑]/).every((p) => p in EN_UNITS)) continue;
    break;
  }
  if (used === 0 || !strong) return null;
  return [total + current, used];
}

/**
 * Every quantity in `text`, in order.
 * @param lang ISO 639-1 code of the text ("de", "en"); decides the separators and number words.
 */
export function findQuantities(text: string, lang: NumberLanguage): Quantity[] {
  const toks = tokens(text);
  const de = convention(lang) === 'de';
  const en = convention(lang) === 'en';
  const out: Quantity[] = [];
  const raw: Array<{ i: number; j: number; value: number; year?: boolean }> = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.digits) {
      if (inCode(text, t.start, t.end)) continue;
      // A list marker or ordinal "1." at the start of a line is not a quantity.
      if (/^\d{1,2}$/.test(t.text) && text[t.end] === '.' && /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, t.start - 20), t.start))) continue;
      const value = parseDigits(t.text, lang);
      if (Number.isNaN(value)) continue;
      raw.push({ i, j: i + 1, value, year: /^(1\d|2[01])\d\d$/.test(t.text) || undefined });
      continue;
    }
    if (!en) {
      const v = germanNumberWord(t.lower);
      if (v !== undefined) {
        raw.push({ i, j: i + 1, value: v });
        continue;
      }
    }
    if (!de) {
      const r = englishWords(toks, i, text);
      if (r) {
        raw.push({ i, j: i + r[1], value: r[0] });
        i += r[1] - 1;
      }
    }
  }
  for (let r = 0; r < raw.length; r++) {
    let { j, value } = raw[r];
    const { i, year } = raw[r];
    // Multiplier: "35 million", "35 Millionen", "2,5 Mrd.", "5k".
    const next = toks[j];
    const scaleOf = (tk: Tok | undefined) => {
      if (!tk) return undefined;
      const gap = text.slice(toks[j - 1].end, tk.start);
      if (!/^\s?$/.test(gap)) return undefined;
      return EN_SCALES[tk.lower] !== undefined && tk.lower !== 'hundred' ? EN_SCALES[tk.lower] : DE_SCALE_WORDS[tk.lower] ?? (gap === '' ? SHORT_SCALES[tk.lower] : undefined);
    };
    const sc = scaleOf(next);
    if (sc !== undefined && !year) {
      value *= sc;
      j++;
    }
    // Range: "35 bis 50", "35–50", "35 to 50", "between 35 and 50", "zwischen 35 und 50".
    let high: number | undefined;
    const nr = raw[r + 1];
    if (nr) {
      const gap = text.slice(toks[j - 1].end, toks[nr.i].start);
      const prev = toks[i - 1]?.lower;
      const isRange =
        /^\s*[-–‐‑—]\s*$/.test(gap) || /^\s+(?:bis|to|through)\s+$/i.test(gap) || (/^\s+(?:and|und)\s+$/i.test(gap) && (prev === 'between' || prev === 'zwischen'));
      if (isRange && nr.value >= value) {
        let hv = nr.value;
        let hj = nr.j;
        const hs = toks[hj] && /^\s?$/.test(text.slice(toks[hj - 1].end, toks[hj].start)) ? EN_SCALES[toks[hj].lower] ?? DE_SCALE_WORDS[toks[hj].lower] : undefined;
        if (hs !== undefined && hs !== 100) {
          hv *= hs;
          hj++;
          if (sc === undefined) value *= hs; // "35 to 50 million": both bounds scaled
        }
        high = hv;
        j = hj;
        r++;
      }
    }
    const q: Quantity = { start: toks[i].start, end: toks[j - 1].end, value };
    if (high !== undefined) q.high = high;
    if (year && high === undefined && sc === undefined) q.year = true;
    const before = toks[i - 1];
    if (before && (HEDGES.has(before.lower) || (before.lower === 'ca' && text[before.end] === '.'))) q.approx = true;
    const gap = text.slice(q.end, q.end + 3);
    if (/^\s?%/.test(gap)) q.unit = '%';
    else {
      const u = toks[j];
      if (u && /^[\s\u00a0\-‐‑]?$/.test(text.slice(q.end, u.start)) && !u.digits) q.unit = u.text;
    }
    out.push(q);
  }
  return out;
}
