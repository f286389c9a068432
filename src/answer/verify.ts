/**
 * Checks an LLM reply against the passages it was given, before it is shown.
 *
 * 1. Citations: at least one [n], and every n in 1..passages (also "[1, 2]", "[1-3]", "[1][2]").
 * 2. Numbers: every number the reply states (outside citation markers) must occur in a cited
 *    passage. Thousands separators and decimal commas of both German and English are read every
 *    plausible way ("6.000", "6,000", "6 000" and "6000" agree; "2,5" and "2.5" agree); a range
 *    "35 bis 50" / "35–50" is two numbers. List markers ("1." at the start of a line) are skipped.
 * 3. Names: codes with digits (ZT-180, Shahed-136) must occur in a cited passage (ignoring case,
 *    hyphens and spaces). Capitalised words that are not sentence-initial (plus acronyms anywhere)
 *    must match a word of a cited passage. Because the reply may be in another language than the
 *    passages (English answer, German report), a match is any of: the same word or a part of a
 *    compound ("Hersteller" in "Drohnenhersteller"); a shared prefix of ≥ 4 letters covering
 *    ≥ 60 % of the shorter word (Russia/Russland, Kremlin/Kreml); an edit distance of at most a
 *    quarter of the length, to a word or to a part of a longer word (Tehran/Teheran,
 *    Ministry/Verteidigungsministerium); or the same consonant skeleton (Moscow/Moskau).
 *    Stopwords ("The", "Die") are not names. Sentence-initial words are skipped unless they are
 *    acronyms, because in English any word may start a sentence; in German every noun is
 *    capitalised, so in a German reply a noun must occur in the passages, unless the optional
 *    `isCommonNoun` hook (e.g. a dictionary) says it is an ordinary word. The optional `translate`
 *    hook adds translations to match ("Defence" → "Verteidigung").
 *
 * Limits (deliberate, documented): number words ("six thousand") are not checked; a
 * sentence-initial name ("Putin said …") is not checked; fuzzy name matching can accept a
 * different name with the same skeleton. The checks are a safety net; citations always show the
 * verbatim passages.
 */
import { isStopword, stopwordVotes } from '../text/stem.js';

/** A passage the reply may cite: its number and verbatim text. */
export interface VerifyPassage {
  n: number;
  text: string;
}

export type ProblemKind = 'empty' | 'no-citation' | 'unknown-citation' | 'number' | 'name';

export interface VerifyProblem {
  kind: ProblemKind;
  /** Human-readable detail naming the offending citation, number or name. */
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  /** Valid citation numbers found in the reply, ascending. */
  cited: number[];
}

export interface VerifyOptions {
  /** ISO 639-1 code of the reply's language; guessed from stopwords when absent. */
  language?: string | null;
  /**
   * Optional: true when a capitalised word of a German reply that is not in the passages is an
   * ordinary noun (e.g. looked up in a dictionary) rather than a name. Default: nothing is.
   */
  isCommonNoun?: (word: string) => boolean;
  /**
   * Optional: other spellings or translations of a word of the reply (e.g. English → German from
   * a dictionary: "Defence" → ["Verteidigung"]); a name matches when any of them matches.
   */
  translate?: (word: string) => string[];
}

/** Longest citation range expanded ("[1-3]" → 1, 2, 3). */
const MAX_RANGE = 20;

const CITATION_RE = /\[\s*(\d{1,4}(?:\s*(?:[,;]|[-–‐‑])\s*\d{1,4})*)\s*\]/g;

/** Citation numbers in `reply`, in order of appearance (with repeats). */
export function parseCitations(reply: string): number[] {
  const out: number[] = [];
  for (const m of reply.matchAll(CITATION_RE)) {
    for (const part of m[1].split(/\s*[,;]\s*/)) {
      const range = /^(\d+)\s*[-–‐‑]\s*(\d+)$/.exec(part);
      if (range) {
        const a = Number(range[1]);
        const b = Number(range[2]);
        if (b >= a && b - a <= MAX_RANGE) for (let k = a; k <= b; k++) out.push(k);
        else out.push(a, b);
      } else out.push(Number(part));
    }
  }
  return out;
}

/** Lower case, NFKC, no diacritics, ß → ss, unified apostrophes and hyphens. */
export function fold(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[‐‑‒–—]/g, '-');
}

/** Only letters and digits of the folded text. */
function squash(s: string): string {
  return fold(s).replace(/[^\p{L}\p{N}]+/gu, '');
}

// ---------------------------------------------------------------------------------------------
// Numbers

const NUMBER_RE = /\d+(?:(?:[.,\u00a0\u202f\u2009]|\s(?=\d{3}(?!\d)))\d+)*/g;

/**
 * Readings of a number token: each alternative is a list of canonical forms that must all be
 * found. "6.000" → [["6000"], ["6"], ["6.000"]]; "6 000" → [["6000"], ["6", "0"]].
 */
function numberReadings(token: string): string[][] {
  const groups = token.split(/[^\d]/);
  const seps = token.match(/[^\d]/g) ?? [];
  const canon = (x: string) => String(Number(x));
  const out: string[][] = [];
  if (seps.length === 0) return [[canon(token)]];
  const sameSep = seps.every((s) => s === seps[0]);
  if (sameSep && groups[0].length <= 3 && groups.slice(1).every((g) => g.length === 3)) out.push([canon(groups.join(''))]);
  if (seps.length === 1 && (seps[0] === '.' || seps[0] === ',')) out.push([canon(`${groups[0]}.${groups[1]}`)]);
  out.push([groups.join('.')]);
  if (seps.some((s) => /\s/.test(s))) out.push(groups.map(canon));
  return out;
}

/** Every canonical form any number in `text` can stand for, plus every bare digit run. */
function numberForms(text: string): Set<string> {
  const forms = new Set<string>();
  for (const m of text.matchAll(NUMBER_RE)) for (const alt of numberReadings(m[0])) for (const f of alt) forms.add(f);
  for (const m of text.matchAll(/\d+/g)) forms.add(String(Number(m[0])));
  return forms;
}

// ---------------------------------------------------------------------------------------------
// Names

const WORD_RE = /[\p{L}\p{N}]+(?:['’\-‐‑][\p{L}\p{N}]+)*/gu;

interface Word {
  surface: string;
  index: number;
}

function words(text: string): Word[] {
  return [...text.matchAll(WORD_RE)].map((m) => ({ surface: m[0], index: m.index ?? 0 }));
}

/** True when the word at `index` starts a sentence, line or list item. */
function sentenceInitial(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /[\s"'„“”‚‘’«»‹›()*_#>•·\-–—]/u.test(text[i])) {
    if (text[i] === '\n') return true;
    i--;
  }
  if (i < 0) return true;
  return /[.!?:;]/.test(text[i]);
}

function isAcronym(w: string): boolean {
  return (w.match(/\p{Lu}/gu)?.length ?? 0) >= 2;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** Consonant skeleton: c/k/q → k, z → s, v → f, x → ks; vowels, h, w, y dropped; doubles collapsed. */
function skeleton(w: string): string {
  const s = w
    .replace(/ph/g, 'f')
    .replace(/[cq]/g, 'k')
    .replace(/z/g, 's')
    .replace(/v/g, 'f')
    .replace(/x/g, 'ks')
    .replace(/[^a-z]/g, '')
    .replace(/[aeiouhwy]/g, '');
  return s.replace(/(.)\1+/g, '$1');
}

/**
 * Smallest edit distance between `pattern` and any substring of `text` (approximate substring
 * matching, P. H. Sellers, "The theory and computation of evolutionary distances", 1980).
 */
function substringDistance(pattern: string, text: string): number {
  let prev = new Array<number>(text.length + 1).fill(0);
  for (let i = 1; i <= pattern.length; i++) {
    const cur = [i];
    for (let j = 1; j <= text.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pattern[i - 1] === text[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return Math.min(...prev);
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/** What names are matched against: the cited passages' words and squashed text. */
class NameIndex {
  readonly tokens: Set<string>;
  readonly squashed: string;
  private readonly skeletons: Set<string>;

  constructor(text: string) {
    this.tokens = new Set<string>();
    for (const w of words(text)) {
      const f = fold(w.surface).replace(/'s$/, '');
      this.tokens.add(f);
      for (const part of f.split(/['-]/)) if (part) this.tokens.add(part);
    }
    this.squashed = squash(text);
    this.skeletons = new Set([...this.tokens].map(skeleton).filter((s) => s.length >= 3));
  }

  /** Does the (folded, letters-only) name match a passage word by any of the rules? */
  matches(name: string): boolean {
    if (this.tokens.has(name)) return true;
    if (name.length >= 4 && this.squashed.includes(squash(name))) return true;
    if (name.length < 4) return false;
    const sk = skeleton(name);
    if (sk.length >= 3 && this.skeletons.has(sk)) return true;
    for (const t of this.tokens) {
      const p = commonPrefix(name, t);
      if (p >= 4 && p >= 0.6 * Math.min(name.length, t.length)) return true;
      if (name.length >= 5) {
        const limit = Math.floor(0.25 * name.length);
        if (t.length <= name.length + limit) {
          if (editDistance(name, t, limit) <= limit) return true;
        } else if (name.length >= 6 && substringDistance(name, t) <= limit) {
          return true; // a part of a compound: "Ministry" ~ "…ministerium"
        }
      }
    }
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Check `reply` against the passages it may cite.
 * @param passages the passages given to the model, numbered 1..n (their `n`).
 * @returns ok = no problem; `problems` lists each failed check once.
 */
export function verifyReply(reply: string, passages: VerifyPassage[], options: VerifyOptions = {}): VerifyResult {
  const problems: VerifyProblem[] = [];
  const seen = new Set<string>();
  const add = (kind: ProblemKind, detail: string) => {
    const key = `${kind}:${detail}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ kind, detail });
    }
  };
  const byNumber = new Map(passages.map((p) => [p.n, p]));

  if (!reply.trim()) {
    add('empty', 'the reply is empty');
    return { ok: false, problems, cited: [] };
  }

  // 1. Citations.
  const numbers = parseCitations(reply);
  const cited = [...new Set(numbers.filter((k) => byNumber.has(k)))].sort((a, b) => a - b);
  for (const k of new Set(numbers)) if (!byNumber.has(k)) add('unknown-citation', `[${k}] does not exist (passages: 1..${passages.length})`);
  if (numbers.length === 0) add('no-citation', 'the reply cites no passage');
  const citedText = cited.map((k) => byNumber.get(k)!.text).join('\n');

  // The reply without citation markers.
  const body = reply.replace(CITATION_RE, ' ');
  const lang = options.language ?? guessLanguage(body);

  // 3a. Codes with digits (checked before numbers, whose digits they contain).
  const citedSquashed = squash(citedText);
  const names = new NameIndex(citedText);
  const masked: string[] = body.split('');
  for (const w of words(body)) {
    const hasDigit = /\d/.test(w.surface);
    const hasLetter = /\p{L}/u.test(w.surface);
    if (!hasDigit || !hasLetter) continue;
    if (/^\d+(?:[.,]\d+)?\p{L}{1,3}$/u.test(w.surface)) continue; // number with unit ("50kg", "100er")
    for (let k = w.index; k < w.index + w.surface.length; k++) masked[k] = ' ';
    if (!citedSquashed.includes(squash(w.surface))) add('name', `"${w.surface}" is not in the cited passages`);
  }

  // 2. Numbers.
  const textForNumbers = masked.join('').replace(/^(\s*)\d{1,2}[.)](?=\s)/gm, '$1');
  const forms = numberForms(citedText);
  for (const m of textForNumbers.matchAll(NUMBER_RE)) {
    const token = m[0].trim();
    const ok = numberReadings(token).some((alt) => alt.every((f) => forms.has(f)));
    if (!ok) add('number', `${token} is not in the cited passages`);
  }

  // 3b. Capitalised words.
  for (const w of words(body)) {
    const acronym = isAcronym(w.surface);
    if (/\d/.test(w.surface) || (!/^\p{Lu}/u.test(w.surface) && !acronym)) continue;
    if (!acronym && sentenceInitial(body, w.index)) continue;
    const f = fold(w.surface).replace(/'s?$/, '');
    if (isStopword(f, 'de') || isStopword(f, 'en')) continue;
    if (names.matches(f)) continue;
    // Hyphenated: every capitalised part must match ("Shahed-Drohne", "NATO-Chef").
    const parts = w.surface.split(/[-‐‑]/);
    if (parts.length > 1 && parts.every((p) => !/^\p{Lu}/u.test(p) || names.matches(fold(p)))) continue;
    if (options.translate?.(w.surface).some((t) => t.trim() && names.matches(fold(t.trim())))) continue;
    if (lang === 'de' && !acronym && options.isCommonNoun?.(w.surface)) continue;
    add('name', `"${w.surface}" is not in the cited passages`);
  }

  return { ok: problems.length === 0, problems, cited };
}

/** 'de' or 'en' by stopword votes (ties → 'en'). */
function guessLanguage(text: string): 'de' | 'en' {
  const tokens = words(text).map((w) => fold(w.surface));
  const v = stopwordVotes(tokens);
  return v.de > v.en ? 'de' : 'en';
}
