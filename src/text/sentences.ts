/**
 * German/English sentence splitting on Intl.Segmenter (ICU sentence boundaries, UAX #29) with
 * repairs for what ICU gets wrong in German news text: abbreviations ("z. B.", "Dr.", "u. a.", "n. Chr."),
 * ordinals and dates ("am 3. März", "Friedrich Wilhelm IV. gewährte") and hard-wrapped lines.
 * Numbers like "6.000", names like "Xi'an" and quotes („…“, "Spiegel"-Informationen) are handled
 * by ICU itself.
 */

/** A sentence as a span of the source text: `source.slice(start, end)`, trimmed of whitespace. */
export interface Span {
  start: number;
  end: number;
}

/** Abbreviations (lower case, without the final dot) after which a sentence does not end. */
const ABBREVIATIONS = new Set([
  'z', 'b', 'u', 'a', 'o', 'ä', 'd', 'h', 's', 'v', 'vgl', 'dr', 'prof', 'nr', 'bzw', 'ca', 'etc',
  'evtl', 'ggf', 'inkl', 'zzgl', 'bspw', 'sog', 'gem', 'hl', 'st', 'str', 'jh', 'jhd', 'mio', 'mrd',
  'abs', 'art', 'bd', 'kap', 'anm', 'usw', 'dt', 'engl', 'franz', 'ital', 'lat', 'zit', 'hrsg',
  'mr', 'mrs', 'ms', 'jr', 'sr', 'vs', 'e.g', 'i.e', 'no', 'fig', 'approx', 'corp', 'inc', 'ltd',
  'gen', 'lt', 'col', 'capt', 'sgt', 'gov', 'sen', 'rep', 'jan', 'feb', 'mär', 'apr', 'jun', 'jul',
  'aug', 'sep', 'sept', 'okt', 'nov', 'dez', 'mt',
]);
/** Abbreviations that usually end a sentence when they come last ("… usw."). */
const SENTENCE_FINAL_OK = new Set(['usw', 'etc']);

const MONTHS = /^(Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b/;

const segmenterCache = new Map<string, Intl.Segmenter>();
function segmenter(lang: string): Intl.Segmenter {
  let s = segmenterCache.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang, { granularity: 'sentence' });
    segmenterCache.set(lang, s);
  }
  return s;
}

/**
 * Split `text` into sentence spans (offsets into `text`, whitespace trimmed, never empty).
 * Blank lines always end a sentence; single line breaks inside a paragraph do not.
 * @param lang BCP 47 language for ICU ("de" by default; "en" works the same way).
 */
export function splitSentences(text: string, lang = 'de'): Span[] {
  // Same length as `text`, so offsets carry over: single newlines become spaces.
  const flat = text.replace(/([^\n])\n(?=[^\n])/g, '$1 ');
  // ICU segments are merged as they come (no array of all raw segments: a run of "a. a. a. …"
  // yields millions of them).
  const merged: Span[] = [];
  for (const [segStart, segEnd] of icuSegments(flat, segmenter(lang))) {
    const span = trimSpan(text, segStart, segEnd);
    if (!span) continue;
    const prev = merged[merged.length - 1];
    if (prev && shouldJoin(text, prev, span)) prev.end = span.end;
    else merged.push(span);
  }
  return merged.flatMap((span) => (span.end - span.start > MAX_SENTENCE_CHARS ? cutLong(text, span) : [span]));
}

/**
 * Largest piece of text handed to ICU at once, in UTF-16 units. V8's sentence segmenter costs
 * time quadratic in the length of the string it iterates (measured: one 20k-sentence paragraph,
 * 11 s; see scripts/bench-hostile.ts), so text is segmented in windows of this size.
 */
export const ICU_WINDOW_CHARS = 4096;

/**
 * Raw ICU sentence segments of `flat` as `[start, end)` offsets, covering the text in order.
 * Segments each window of {@link ICU_WINDOW_CHARS}; the last segment of a window may be cut short
 * by the window end, so it is dropped and the next window starts where it began (a boundary ICU
 * found with context on both sides). A window holding a single segment (a run longer than the
 * window without sentence punctuation) is ended at its last whitespace; {@link cutLong} cuts such
 * runs into smaller pieces anyway.
 * Work is linear in `flat.length`: every window after the first starts past the previous start.
 */
export function* icuSegments(flat: string, seg: Intl.Segmenter): Generator<[number, number]> {
  let pos = 0;
  while (pos < flat.length) {
    const end = Math.min(flat.length, pos + ICU_WINDOW_CHARS);
    const last = end === flat.length;
    let pending: [number, number] | null = null;
    for (const s of seg.segment(flat.slice(pos, end))) {
      if (pending) yield pending;
      pending = [pos + s.index, pos + s.index + s.segment.length];
    }
    if (!pending) break;
    if (last) {
      yield pending;
      break;
    }
    if (pending[0] === pos) {
      // One segment filled the window: end it at the window's last whitespace in its second half
      // (so no word is split), or at the window end if there is none.
      let cut = end;
      const floor = pos + ICU_WINDOW_CHARS / 2;
      while (cut > floor && !/\s/.test(flat[cut - 1])) cut--;
      if (cut <= floor) cut = end;
      yield [pos, cut];
      pos = cut;
    } else {
      pos = pending[0];
    }
  }
}

/**
 * Longest sentence kept whole, in UTF-16 units. Text without sentence punctuation (tables, lists,
 * hostile input) is cut into pieces of at most this size at whitespace, so quotes, chunks and
 * Discord replies stay bounded.
 */
export const MAX_SENTENCE_CHARS = 1000;

function cutLong(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let start = span.start;
  while (span.end - start > MAX_SENTENCE_CHARS) {
    let cut = start + MAX_SENTENCE_CHARS;
    // Look back for whitespace only as far as half a piece, so text without spaces stays linear
    // (an unbounded lastIndexOf would rescan the whole run for every piece).
    const floor = start + MAX_SENTENCE_CHARS / 2;
    let at = cut;
    while (at > floor && text[at] !== ' ' && text[at] !== '\n') at--;
    if (at > floor) cut = at;
    const piece = trimSpan(text, start, cut);
    if (piece) out.push(piece);
    start = cut;
  }
  const last = trimSpan(text, start, span.end);
  if (last) out.push(last);
  return out;
}

function trimSpan(text: string, start: number, end: number): Span | null {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}

/** How much of a span's end {@link shouldJoin} looks at (longer than any abbreviation or numeral). */
const HEAD_CHARS = 64;

function shouldJoin(text: string, prev: Span, next: Span): boolean {
  const between = text.slice(prev.end, next.start);
  if (between.includes('\n\n') || /\n\s*\n/.test(between)) return false;
  // Only the tail of the previous span matters (its last word); slicing all of it would make a run
  // of joined spans ("a. a. a. …") quadratic.
  const head = text.slice(Math.max(prev.start, prev.end - HEAD_CHARS), prev.end);
  const nextText = text.slice(next.start, Math.min(next.end, next.start + 40));
  if (!head.endsWith('.')) return false;
  const m = /([\p{L}.]+|\d+)\.$/u.exec(head);
  const lastWord = m?.[1]?.toLowerCase() ?? '';
  // A unit such as "km/h." or "m/s." ends in a letter that is no abbreviation of its own.
  const unitTail = m !== null && m.index > 0 && head[m.index - 1] === '/';
  const nextStartsLower = /^[\p{Ll}]/u.test(nextText);
  if (nextStartsLower) return true;
  if (/^\d+$/.test(lastWord)) {
    // "am 3. März", "der 2. Weltkrieg": a small ordinal followed by a month or a noun phrase.
    return Number(lastWord) <= 31 && MONTHS.test(nextText);
  }
  if (isNameInitial(head, nextText)) return true;
  // Era marks: "973-1048 n. Chr.", "um 300 v. Chr." ("nach/vor Christus").
  if ((lastWord === 'n' || lastWord === 'v') && /^Chr\b/.test(nextText)) return true;
  if (/^[IVXLC]+$/.test(lastWord.toUpperCase()) && /^[IVXLC]+$/.test(head.slice(-1 - lastWord.length, -1))) {
    return false;
  }
  if (!unitTail && ABBREVIATIONS.has(lastWord) && !SENTENCE_FINAL_OK.has(lastWord) && !endsWithLabel(head, nextText)) return true;
  return false;
}

/**
 * "Plan B. Danach …", "Block A. Die …": a capital letter standing alone as a label (not the second
 * letter of "z. B." or "u. A."), then a word that opens sentences — the sentence ends there.
 */
function endsWithLabel(head: string, nextText: string): boolean {
  const m = /(^|\s)(\p{Lu})\.$/u.exec(head);
  if (!m || /\p{L}\.\s*$/u.test(head.slice(0, m.index))) return false;
  return SENTENCE_STARTERS.has(/^\p{L}+/u.exec(nextText)?.[0].toLowerCase() ?? '');
}

/**
 * Function words that open sentences (German nouns are capitalised, so "Vitamin C. Es hilft"
 * looks like a name with an initial; a surname is never one of these).
 */
const SENTENCE_STARTERS = new Set(
  ('es er sie wir ich ihr man der die das den dem des ein eine einer dies diese dieser dieses dann danach ' +
    'damit dabei daher doch auch aber und oder so nun noch nach vor in im am an auf aus bei mit von zu zum zur ' +
    'als wie wenn weil seit bis für über unter trotz laut the a an it he she they we i this that these those ' +
    'then there here in on at for from with by after before but and or so yet its his her their our when while').split(' '),
);

/**
 * A capital initial inside a personal name: "John C. Calhoun", "George W. Bush", "J. R. R.
 * Tolkien" — one capital letter and a dot, after a capitalised word or another initial (or at the
 * start of the span when the next word is an initial too), before a capitalised word. ICU ends a
 * sentence there (UAX #29 has no list of names). I, V and X are left out: after a name they are
 * usually regnal numbers ("Wilhelm I. Er regierte …", "Karl V.").
 */
function isNameInitial(head: string, nextText: string): boolean {
  const m = /(^|[\s(„"“])(\p{Lu})\.$/u.exec(head);
  if (!m || /[IVX]/.test(m[2]) || !/^\p{Lu}/u.test(nextText)) return false;
  const nextWord = /^\p{L}+/u.exec(nextText)?.[0].toLowerCase() ?? '';
  if (SENTENCE_STARTERS.has(nextWord)) return false;
  const before = head.slice(0, m.index + m[1].length).trimEnd();
  const nextIsInitial = /^\p{Lu}\.(\s|$)/u.test(nextText);
  if (before === '') return nextIsInitial;
  return /(^|\s)(\p{Lu}[\p{Ll}'’-]+|\p{Lu}\.)$/u.test(before) && (nextIsInitial || /^\p{Lu}[\p{Ll}'’-]+/u.test(nextText));
}
