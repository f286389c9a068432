/**
 * Claim-level check of an LLM reply: the reply is cut into sentences ("claims"); each claim is
 * checked against only the passages *it* cites:
 *
 *  - numbers (src/text/numbers.ts, read per language: en "100,000", de "100.000"; number words;
 *    ranges; multipliers) must equal a quantity of a cited passage, and the noun or unit the claim
 *    counts must be one the passage counts there (within a few words of the passage's number,
 *    matched across English and German through the dictionary hook);
 *  - codes with digits ("ZT-180") must occur verbatim (ignoring case, hyphens, spaces);
 *  - names (capitalised words, acronyms, also sentence-initial ones unless the isCommonWord hook
 *    calls them ordinary words; without the hook they count as content words) must match a word of the cited passages exactly, by stem, as a part of a compound,
 *    by a shared stem prefix (Russia/Russland: ≥ 4 letters and ≥ 60 % of the shorter word), by a
 *    dictionary translation, or by a known transliteration (TRANSLITERATIONS) — never by edit
 *    distance, so "Xi'an Bongo" does not pass for "Xi'an Bingo";
 *  - in a German reply every capitalised noun is checked like a name (German capitalises nouns);
 *    lower-case content words may miss the passages only up to CONTENT_SLACK of the claim's
 *    content words (the model rephrases), checked cross-lingually only with the dictionary hook;
 *  - negation must agree: a negated claim needs a negated passage sentence, and a plain claim may
 *    not restate what the passage negates (a shared word right after the passage's negation);
 *  - modality must agree: when the passage sentence the claim rests on is hedged ("soll",
 *    "plant", "laut", "könnte", "reportedly", …) the claim must be hedged too, so "has delivered"
 *    does not pass for "soll … liefern".
 *
 * Which passage sentence a claim "rests on": the cited passage sentences sharing the most content
 * words with the claim (ties: all of them). All matching is on folded text (fold()).
 */
import { findQuantities, type Quantity } from '../text/numbers.js';
import { isStopword, stem } from '../text/stem.js';

/** Folded form: lower case, NFKC, no diacritics, ß → ss, unified apostrophes and hyphens. */
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
export function squash(s: string): string {
  return fold(s).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Hooks from the dictionary (both optional). */
export interface ClaimHooks {
  /** Other spellings or translations of a reply word (English → German). */
  translate?: (word: string) => string[];
  /** True for an ordinary (non-name) English word, e.g. one the dictionary knows in lower case. */
  isCommonWord?: (word: string) => boolean;
}

/** Part of the reply checked as one claim. */
export interface Claim {
  /** The sentence without its citation markers (markers replaced by spaces). */
  text: string;
  /** Citation numbers of this sentence (may include unknown ones). */
  cites: number[];
}

/** A passage as the claim check sees it. */
export interface SupportPassage {
  n: number;
  /** Verbatim text with instruction-like sentences blanked (injection.ts). */
  text: string;
  /** Language of the passage text ('de' | 'en' | other). */
  lang: string;
}

export type ClaimProblemKind = 'uncited-claim' | 'number' | 'number-binding' | 'name' | 'content' | 'negation' | 'modality';

export interface ClaimProblem {
  kind: ClaimProblemKind;
  detail: string;
}

/** Share of a claim's lower-case content words that may be missing from its passages. */
export const CONTENT_SLACK = 0.34;

/**
 * Known transliterations and exonyms between English and German (folded). Names must otherwise
 * match exactly or by the stem/prefix rules; this list is the "known transliteration" case.
 */
const TRANSLITERATIONS: Record<string, string[]> = {
  moscow: ['moskau'], tehran: ['teheran'], beijing: ['peking'], kyiv: ['kiew', 'kyjiw'], kiev: ['kiew', 'kyjiw'],
  kremlin: ['kreml'], ukraine: ['ukraine'], ukrainian: ['ukrainisch'], russian: ['russisch'], chinese: ['chinesisch'],
  iranian: ['iranisch'], american: ['amerikanisch'], us: ['usa'], usa: ['usa', 'us'], nato: ['nato'], eu: ['eu'],
  xian: ["xi'an"], "xi'an": ["xi'an"], munich: ['munchen'], cologne: ['koln'], vienna: ['wien'], warsaw: ['warschau'],
  prague: ['prag'], belarus: ['belarus', 'weissrussland'], taiwan: ['taiwan'], germany: ['deutschland'],
  february: ['februar'], march: ['marz'], january: ['januar'], may: ['mai'], june: ['juni'], july: ['juli'],
  october: ['oktober'], december: ['dezember'], wall: ['wall'], journal: ['journal'],
};

const NEGATIONS = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'neither', 'nor', 'without', 'cannot', "can't", "won't", "isn't", "aren't", "wasn't",
  "weren't", "doesn't", "don't", "didn't", "hasn't", "haven't", "hadn't", 'nobody', 'nowhere',
  'nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nie', 'niemals', 'nichts', 'weder', 'ohne', 'niemand',
]);

const HEDGES = new Set([
  // English
  'can', 'could', 'may', 'might', 'would', 'should', 'plan', 'plans', 'planned', 'planning', 'intend', 'intends', 'intended',
  'aim', 'aims', 'expected', 'expects', 'considering', 'considers', 'consider', 'considered', 'reportedly', 'report', 'reports',
  'reported', 'according', 'allegedly', 'apparently', 'supposedly', 'said', 'says', 'claims', 'claimed', 'proposed', 'possible',
  'possibly', 'potential', 'potentially', 'likely', 'envisaged', 'envisages', 'negotiating', 'negotiate', 'negotiations', 'talks',
  'agreed', 'willing', 'prepared', 'ready', 'warns', 'warned', 'estimate', 'estimates', 'assessment', 'signs', 'seems',
  // German
  'soll', 'sollen', 'solle', 'sollte', 'sollten', 'plant', 'planen', 'plane', 'geplant', 'geplante', 'geplanten', 'geplanter',
  'erwägt', 'erwägen', 'erwäge', 'könnte', 'könnten', 'kann', 'können', 'dürfte', 'dürften', 'würde', 'würden', 'wäre',
  'wären', 'laut', 'angeblich', 'offenbar', 'vermutlich', 'berichtet', 'bericht', 'berichten', 'zufolge', 'demnach', 'seien',
  'sei', 'heißt', 'verhandeln', 'verhandelt', 'einschätzung', 'anzeichen', 'warnt', 'möglich', 'möglicherweise', 'vorhaben',
]);

/** True for a hedge word (compared in lower case, umlauts kept: "würde" is a hedge, "wurde" not). */
function isHedge(surface: string): boolean {
  return HEDGES.has(surface.toLowerCase().replace(/[’']/g, "'"));
}

/** Words about the source itself, allowed without support ("the report", "laut Bericht"). */
const META = new Set([
  'passage', 'passages', 'passagen', 'document', 'documents', 'dokument', 'dokumente', 'dokumenten', 'text', 'texts', 'article',
  'artikel', 'source', 'sources', 'quelle', 'quellen', 'report', 'reports', 'bericht', 'berichten', 'berichts', 'according',
  'angaben', 'informationen', 'information', 'month', 'monat', 'monthly', 'year', 'jahr', 'per', 'pro', 'each', 'jede', 'jeder',
  'jedes', 'also', 'auch', 'already', 'bereits', 'schon', 'about', 'around', 'rund', 'etwa', 'some', 'total', 'insgesamt',
]);

const WORD_RE = /[\p{L}\p{N}]+(?:['’\-‐‑][\p{L}\p{N}]+)*/gu;

interface Word {
  surface: string;
  index: number;
}

function words(text: string): Word[] {
  return [...text.matchAll(WORD_RE)].map((m) => ({ surface: m[0], index: m.index }));
}

function isAcronym(w: string): boolean {
  return (w.match(/\p{Lu}/gu)?.length ?? 0) >= 2 && !/\p{Ll}{3}/u.test(w);
}

function stopword(f: string): boolean {
  return isStopword(f, 'de') || isStopword(f, 'en');
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/** What claim words are matched against: the folded words, stems and squashed text of passages. */
export class WordIndex {
  private readonly tokens = new Set<string>();
  private readonly stems = new Set<string>();
  private readonly squashed: string;

  constructor(text: string) {
    for (const w of words(text)) {
      const f = fold(w.surface).replace(/'s$/, '');
      this.tokens.add(f);
      for (const part of f.split(/-/)) if (part) this.tokens.add(part);
    }
    for (const t of this.tokens) {
      this.stems.add(stem(t, 'de'));
      this.stems.add(stem(t, 'en'));
    }
    this.squashed = squash(text);
  }

  /** Does the folded word match by spelling alone (no dictionary)? */
  matchesSpelling(f: string): boolean {
    if (!f) return false;
    if (this.tokens.has(f)) return true;
    if (this.stems.has(stem(f, 'de')) || this.stems.has(stem(f, 'en'))) return true;
    const sq = squash(f);
    if (sq.length >= 5 && this.squashed.includes(sq)) return true; // part of a compound
    if (f.length >= 4) {
      for (const t of this.tokens) {
        const p = commonPrefix(f, t);
        if (p >= 4 && p >= 0.6 * Math.min(f.length, t.length)) return true;
      }
    }
    // A shared stem inside a compound: "ministry" / "Verteidigungsministerium" (≥ 6 letters, ≥ 75 %).
    const stemLen = Math.max(6, Math.ceil(0.75 * sq.length));
    if (sq.length >= 6 && this.squashed.includes(sq.slice(0, stemLen))) return true;
    for (const alt of TRANSLITERATIONS[f] ?? []) if (this.tokens.has(alt) || this.squashed.includes(squash(alt))) return true;
    return false;
  }

  /** Strict match: the same word or stem, directly or through a translation (no prefix or compound rules). */
  matchesStrict(surface: string, hooks: ClaimHooks): boolean {
    const same = (x: string) => {
      const f = fold(x).replace(/'s?$/, '');
      return this.tokens.has(f) || this.stems.has(stem(f, 'de')) || this.stems.has(stem(f, 'en'));
    };
    return same(surface) || (hooks.translate?.(surface.toLowerCase()) ?? []).some((t) => t.trim() && same(t.trim()));
  }

  /** Spelling, then the part after an apostrophe/hyphen, then each translation. */
  matches(surface: string, hooks: ClaimHooks): boolean {
    const f = fold(surface).replace(/'s?$/, '');
    if (this.matchesSpelling(f)) return true;
    const parts = f.split('-').filter(Boolean);
    if (parts.length > 1 && parts.every((p) => stopword(p) || this.matchesSpelling(p))) return true;
    const tr = hooks.translate?.(surface) ?? [];
    const trLower = surface !== surface.toLowerCase() ? hooks.translate?.(surface.toLowerCase()) ?? [] : [];
    return [...tr, ...trLower].some((t) => t.trim() && this.matchesSpelling(fold(t.trim())));
  }
}

// ---------------------------------------------------------------------------------- claims

const CITE_RE = /\[\s*\d{1,4}(?:\s*(?:[,;]|[-–‐‑])\s*\d{1,4})*\s*\]/g;
const ABBREV_END = /(?:\b\p{L}\.(?:\p{L}\.)*|\b(?:ca|bzw|vgl|Nr|Mio|Mrd|etc|approx|vs|Dr|St|usw|z\.\s?B|e\.g|i\.e)\.)$/u;

/**
 * The reply cut into sentences. A sentence ends at . ! ? or a line break followed by space; an
 * abbreviation ("z. B.", "ca.") does not end one; citation markers right after the end belong to
 * the sentence before ("… month. [1]").
 * @param parse the citation parser (verify.ts's parseCitations).
 */
export function splitClaims(reply: string, parse: (s: string) => number[]): Claim[] {
  const pieces: string[] = [];
  let last = 0;
  for (const m of reply.matchAll(/[.!?…]+(?=\s)|\n/g)) {
    const end = m.index + m[0].length;
    if (m[0] !== '\n' && ABBREV_END.test(reply.slice(Math.max(0, m.index - 8), end))) continue;
    pieces.push(reply.slice(last, end));
    last = end;
  }
  pieces.push(reply.slice(last));
  const claims: Claim[] = [];
  for (let piece of pieces) {
    const lead = /^(\s*\[[^\]]{1,40}\])+/.exec(piece);
    if (lead && claims.length) {
      const prev = claims[claims.length - 1];
      prev.cites.push(...parse(lead[0]));
      piece = piece.slice(lead[0].length);
    }
    if (!piece.trim()) continue;
    claims.push({ text: piece.replace(CITE_RE, (m) => ' '.repeat(m.length)), cites: parse(piece) });
  }
  return claims;
}

/** True when the claim states something (a number, a name, or two content words). */
export function isStating(text: string): boolean {
  if (findQuantities(text, null).length) return true;
  const content = words(text).filter((w) => !stopword(fold(w.surface)) && w.surface.length > 2);
  return content.length >= 2 || content.some((w) => /^\p{Lu}/u.test(w.surface) || /\d/.test(w.surface));
}

interface PassageView {
  p: SupportPassage;
  quantities: Quantity[];
  sentences: string[];
}

const views = new WeakMap<SupportPassage, PassageView>();

function view(p: SupportPassage): PassageView {
  let v = views.get(p);
  if (!v) {
    v = { p, quantities: findQuantities(p.text, p.lang), sentences: p.text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim()) };
    views.set(p, v);
  }
  return v;
}

function contentWords(text: string): Word[] {
  return words(text).filter((w) => {
    const f = fold(w.surface);
    return f.length > 2 && !/\d/.test(f) && !stopword(f) && !META.has(f) && !NEGATIONS.has(f) && !isHedge(w.surface);
  });
}

/** Content words in a window of words around [start, end) of `text`. */
function windowWords(text: string, start: number, end: number, before: number, after: number): string {
  const pre = before > 0 ? words(text.slice(Math.max(0, start - 120), start)).slice(-before).map((w) => w.surface) : [];
  const post = words(text.slice(end, end + 160)).slice(0, after).map((w) => w.surface);
  return [...pre, ...post].join(' ');
}

/**
 * Check one claim against the passages it cites (only those; unknown numbers are reported by the
 * caller). Problems are passed to `add`.
 * @param lang language of the reply ('de' | 'en').
 * @param numberLang separator convention for the reply's numbers; null = decide per number
 *   (when the reply's language was only guessed).
 */
export function checkClaim(
  claim: Claim,
  cited: SupportPassage[],
  lang: 'de' | 'en',
  hooks: ClaimHooks,
  add: (k: ClaimProblemKind, d: string) => void,
  numberLang: 'de' | 'en' | null = lang,
): void {
  const text = claim.text;
  const short = text.trim().replace(/\s+/g, ' ').slice(0, 80);
  if (cited.length === 0) {
    if (isStating(text)) add('uncited-claim', `"${short}" cites no passage`);
    return;
  }
  const vs = cited.map(view);
  const all = vs.map((v) => v.p.text).join('\n');
  const index = new WordIndex(all);
  const sameLang = vs.every((v) => v.p.lang === lang);

  // Codes with digits: verbatim.
  const masked = text.split('');
  const allSquashed = squash(all);
  for (const w of words(text)) {
    if (!/\d/.test(w.surface) || !/\p{L}/u.test(w.surface)) continue;
    if (/^\d+(?:[.,]\d+)?\p{L}{1,3}$/u.test(w.surface)) continue; // "50kg"
    for (let k = w.index; k < w.index + w.surface.length; k++) masked[k] = ' ';
    if (!allSquashed.includes(squash(w.surface))) add('name', `"${w.surface}" is not in the cited passages`);
  }

  // Quantities, each bound to what it counts.
  for (const q of findQuantities(masked.join(''), numberLang)) {
    const surface = text.slice(q.start, q.end);
    const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
    const hits: Array<{ v: PassageView; pq: Quantity }> = [];
    for (const v of vs) {
      for (const pq of v.quantities) {
        const ok =
          q.high !== undefined
            ? pq.high !== undefined && same(q.value, pq.value) && same(q.high, pq.high)
            : same(q.value, pq.value) || (pq.high !== undefined && same(q.value, pq.high));
        if (ok) hits.push({ v, pq });
      }
    }
    if (hits.length === 0) {
      add('number', `${surface} is not in the cited passages`);
      continue;
    }
    // What the claim's number counts: content words right after it, else right before it.
    let counted = contentWords(windowWords(text, q.start, q.end, 0, 3).replace(/^\S*/, (m) => m)).map((w) => w.surface);
    if (counted.length === 0) counted = contentWords(windowWords(text, q.start, q.end, 3, 0)).map((w) => w.surface);
    const unit = q.unit && /^(?:%|kg|km|m|t|g)$/i.test(q.unit) ? [q.unit] : [];
    counted = [...unit, ...counted];
    if (counted.length === 0) continue;
    // Across languages the counted noun can only be compared through the dictionary.
    if (unit.length === 0 && !hooks.translate && hits.every(({ v }) => v.p.lang !== lang)) continue;
    const bound = hits.some(({ v, pq }) => {
      const ctx = new WordIndex(windowWords(v.p.text, pq.start, pq.end, 5, 6) + (pq.unit ? ` ${pq.unit}` : ''));
      return counted.some((c) => c === '%' ? pq.unit === '%' : ctx.matches(c, hooks) || unitAlias(c, pq.unit));
    });
    if (!bound) add('number-binding', `${surface} ${counted[0]}: the cited passages give ${surface} for something else`);
  }

  // Names and nouns; lower-case content words.
  const ws = words(text);
  let content = 0;
  let missing = 0;
  const missingWords: string[] = [];
  for (const [i, w] of ws.entries()) {
    if (/\d/.test(w.surface)) continue;
    const f = fold(w.surface).replace(/'s?$/, '');
    if (f.length < 2 || stopword(f) || NEGATIONS.has(f)) continue;
    const capital = /^\p{Lu}/u.test(w.surface);
    const initial = i === 0 || /[.!?:;]\s*$/.test(text.slice(0, w.index).trimEnd().slice(-1)) || /\n\s*$/.test(text.slice(0, w.index));
    if (capital && (!initial || isAcronym(w.surface))) {
      if (META.has(f) || isHedge(w.surface)) continue;
      if (!index.matches(w.surface, hooks)) add('name', `"${w.surface}" is not in the cited passages`);
      else content++; // a matched name counts towards the content words the slack is taken of
      continue;
    }
    if (capital && initial && !index.matches(w.surface, hooks)) {
      // Sentence-initial: a name unless it is an ordinary word.
      const ordinary = hooks.isCommonWord?.(w.surface.toLowerCase()) || isHedge(w.surface) || META.has(f);
      if (!ordinary && hooks.isCommonWord) {
        add('name', `"${w.surface}" is not in the cited passages`);
        continue;
      }
    }
    if (META.has(f) || isHedge(w.surface) || f.length < 3) continue;
    if (!sameLang && !hooks.translate) continue; // cannot check across languages without a dictionary
    content++;
    if (!index.matches(w.surface, hooks)) {
      missing++;
      missingWords.push(w.surface);
    }
  }
  if (missing > 0 && missing > Math.max(1, Math.floor(CONTENT_SLACK * content))) {
    add('content', `${missingWords.slice(0, 4).map((m) => `"${m}"`).join(', ')} not in the cited passages`);
  }

  // The passage sentences the claim rests on.
  const claimWords = contentWords(text);
  const claimValues = new Set(findQuantities(masked.join(''), numberLang).map((q) => q.value));
  let best: string[] = [];
  let bestScore = 0;
  for (const v of vs) {
    for (const s of v.sentences) {
      const idx = new WordIndex(s);
      const score = claimWords.filter((w) => idx.matches(w.surface, hooks)).length + findQuantities(s, v.p.lang).filter((pq) => claimValues.has(pq.value)).length;
      if (score > bestScore) {
        bestScore = score;
        best = [s];
      } else if (score === bestScore && score > 0) best.push(s);
    }
  }
  if (best.length === 0) return;

  // Negation.
  const claimNeg = hasNegation(text);
  if (claimNeg && !best.some(hasNegation)) add('negation', `"${short}" negates what the cited passages state`);
  if (!claimNeg && bestScore >= 2) {
    const denied = best.some((s) => negatedWords(s).some((nw) => claimWords.some((cw) => new WordIndex(nw).matchesStrict(cw.surface, hooks))));
    if (denied) add('negation', `"${short}" states what the cited passages deny`);
  }

  // Modality.
  const claimHedged = words(text).some((w) => isHedge(w.surface));
  if (!claimHedged && asserts(text) && best.every((s) => words(s).some((w) => isHedge(w.surface)))) {
    add('modality', `"${short}" states as fact what the cited passages only report or plan`);
  }
}

const ASSERTING = new Set([
  'is', 'are', 'was', 'were', 'has', 'have', 'had', 'will', 'does', 'did', 'already', 'now', 'currently', 'actually',
  'ist', 'sind', 'war', 'waren', 'hat', 'haben', 'hatte', 'hatten', 'wird', 'werden', 'wurde', 'wurden', 'bereits', 'schon',
  'jetzt', 'derzeit', 'tatsächlich',
]);
const ACTION_STEMS = /^(?:deliver|supply|supplie|build|built|produc|manufactur|ship|send|sent|sell|sold|provid|liefer|baut|gebaut|produzier|herstell|hergestellt|verkauf|schick|versorg)/i;

/**
 * True when the claim asserts something happens or happened: an auxiliary or finite verb form
 * ("has", "will", "ist", "wird"), "already"/"bereits", a past form in -ed, or a verb of delivery
 * or production. A verbless answer fragment ("About 100 drones a month") asserts nothing.
 */
function asserts(text: string): boolean {
  return words(text).some((w) => {
    const l = w.surface.toLowerCase();
    return ASSERTING.has(l) || (/^\p{Ll}{3,}ed$/u.test(l) && !isHedge(l)) || ACTION_STEMS.test(l);
  });
}

function hasNegation(s: string): boolean {
  return words(s).some((w) => NEGATIONS.has(fold(w.surface)) || /n't$/i.test(w.surface));
}

/** Content words right after each negation word of `s` (its scope, up to 4 words). */
function negatedWords(s: string): string[] {
  const ws = words(s);
  const out: string[] = [];
  ws.forEach((w, i) => {
    if (!NEGATIONS.has(fold(w.surface))) return;
    for (const x of ws.slice(i + 1, i + 5)) {
      if (/[,;:]/.test(s.slice(w.index, x.index))) break; // the scope ends at the clause
      if (!stopword(fold(x.surface)) && fold(x.surface).length > 3) out.push(x.surface);
    }
  });
  return out;
}

const UNIT_ALIASES: Array<[RegExp, RegExp]> = [
  [/^(?:kg|kilos?|kilograms?|kilogrammes?)$/i, /^(?:kg|kilo|kilogramm)/i],
  [/^(?:km|kilomet(?:er|re)s?)$/i, /^(?:km|kilometer)/i],
  [/^(?:t|tons?|tonnes?)$/i, /^(?:t|tonnen?)$/i],
  [/^(?:%|percent|per cent)$/i, /^(?:%|prozent)$/i],
];

function unitAlias(claimUnit: string, passageUnit: string | undefined): boolean {
  if (!passageUnit) return false;
  return UNIT_ALIASES.some(([a, b]) => a.test(claimUnit) && (b.test(passageUnit) || a.test(passageUnit)));
}
