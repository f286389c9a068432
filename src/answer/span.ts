/**
 * The short answer: which span of the answer sentence is shown in bold.
 *
 * Candidate spans of the sentence are its typed candidates (numbers with unit, dates, durations,
 * name runs, quoted titles: candidates.ts), its noun-phrase chunks (phrases.ts) and the
 * attributive adjectives in front of a matched question noun ({@link modifierSpans}: "what type
 * of heating element" → "ein [elektrisches] Heizelement"; XQuAD answers a kind, rank or
 * nationality with the adjective alone). Each is
 * described by a feature vector (its kind and how it fits the expected answer type, cue words of
 * the question such as "how many" or "name" anywhere in it, proximity to the matched question
 * words and on which side, length, position, capitalisation, overlap with the question) and the
 * span with the highest linear score w·x is the short answer: a listwise (softmax) logistic model
 * in the manner of the answer-span rankers of factoid QA (e.g. Ravichandran & Hovy 2002; the
 * maximum-entropy answer selection of Ittycheriah et al., TREC 2001). The weights are data
 * (span-weights.json), trained by scripts/train-span.ts on the TUNING part of the XQuAD dev split
 * only (scripts/lib/split.ts), cross-validated by article inside it; that script's docstring has
 * the figures. Without weights the hand-set rule of extract.ts decides (nearest typed candidate or
 * noun phrase); typed questions always use it (the learned model was not better for them).
 *
 * Reporting part, `SHARED_DATA_DIR=/work/shared/data nice -n 10 npx tsx scripts/answer-eval.ts
 * --part reporting` (with the question-typing and candidate changes of the same branch; base
 * 83ba61e): short-answer F1 over all questions EN→DE 0.272 → 0.288 (paired bootstrap by question,
 * 95 %: −0.024…+0.057, inside the noise), DE→DE 0.272 → 0.317 (+0.006…+0.085); untyped questions
 * EN→DE 0.154 → 0.151, DE→DE 0.153 → 0.206. Tuning part (fit): EN→DE 0.244 → 0.318, DE→DE 0.276 → 0.343.
 * With the modifier candidates and the retrained weights (branch span2, same command, paired with
 * scripts/dump-diff.ts against c66ab1c, which also includes span2's date/name/sentence fixes):
 * reporting short F1 EN→DE 0.282 → 0.296 (+0.014, 95 % −0.008…+0.035), DE→DE 0.313 → 0.314
 * (+0.000, −0.019…+0.022): inside the noise; untyped questions EN→DE 0.146 → 0.175, DE→DE 0.200 → 0.197.
 *
 * Further candidates of untyped questions come from span-extend.ts (coordinations, attached
 * prepositional phrases, reason clauses, question words cut from the edges), further features
 * from span-context.ts (copula, naming verb, apposition, brackets, echoed question words); a
 * candidate whose only own words are function words or hedges is not offered ({@link filler}).
 * Tuning part, branch short-other, paired with scripts/dump-diff.ts against 0b66f23 (`answer-eval.ts
 * --part tuning`, in-sample: the weights were fit on this part): short F1 EN→DE 0.324 → 0.347
 * (+0.022, 95 % +0.003…+0.042), DE→DE 0.394 → 0.419 (+0.025, +0.009…+0.042); untyped questions
 * 0.226 → 0.273 and 0.353 → 0.401; answer@1 unchanged. Cross-validated figures: train-span.ts.
 *
 * Linear in the sentence length (a bounded window around each candidate).
 */
import { narrowFigures } from './figure-choice.js';
import type { Token } from '../text/tokenize.js';
import type { QuestionAnalysis } from './question.js';
import { findCandidates, type Candidate, type IsCommonWord } from './candidates.js';
import { allPhrases } from './phrases.js';
import { typeFit } from './rank.js';
import { isStopword } from '../text/stem.js';
import { extraSpans, WHY_QUESTION, type ExtraSpan } from './span-extend.js';
import { CONTEXT_FEATURES, contextFeatures, echoStems } from './span-context.js';
import weights from './span-weights.json' with { type: 'json' };

/** A candidate short answer: a token range of the sentence. */
export interface SpanCandidate {
  kind: Candidate['kind'] | 'np';
  flavour: Candidate['flavour'];
  unit: Candidate['unit'];
  /** Inclusive token range and character offsets (end exclusive) in the sentence text. */
  from: number;
  to: number;
  start: number;
  end: number;
  /** How the kind fits the expected answer type (rank.ts typeFit), 0 for noun phrases. */
  fit: number;
  /** True for a shortened variant of another candidate (the bare figure, the head noun). */
  variant?: boolean;
  /** True for a noun phrase extended by the phrase attached to it with von/mit/of/with. */
  extended?: boolean;
  /** True for the attributive adjectives in front of a matched question noun ("ein [elektrisches] Heizelement"). */
  modifier?: boolean;
  /** How a candidate of span-extend.ts was built (coordination, attached phrase, reason clause, question words trimmed). */
  extra?: ExtraSpan['how'];
}

/** Names of the span features, in the order of {@link spanFeatures}. */
export const SPAN_FEATURES = [
  'bias', 'fit', 'np', 'number', 'date', 'duration', 'name', 'quoted', 'flavPerson', 'flavOrg', 'flavPlace',
  'typedQ', 'fitTyped', 'npOther', 'nameOther', 'numberOther', 'dateOther', 'quotedOther',
  'cueQuantityNumber', 'cueNameName', 'cueTimeDate', 'cuePlaceName', 'cueWhoName', 'cueWhoNp',
  'prox', 'adjacent', 'rightOfMatch', 'leftOfMatch', 'betweenMatches', 'around', 'insideMatched', 'questionShare',
  'len1', 'len2', 'len34', 'len5p', 'relPos', 'atStart', 'capShare', 'nonCommon', 'inPrevious',
  'afterPreposition', 'afterArticle', 'hasDigit', 'hasLink', 'beforeComma', 'bestHandNp', 'bestHandTyped',
  'variant', 'variantNumber', 'unitMatch', 'countUnit', 'sameClause', 'insideMatchedSpan', 'near3', 'qWhy', 'qHowOther', 'extended', 'measureOther',
  'modifier', 'modifierKindQ',
  ...CONTEXT_FEATURES,
  'xCoordination', 'xAttachment', 'xClause', 'xTrimmed', 'whyLong', 'howShort',
] as const;

/** Question cue words anywhere in the question (lower-case normalised tokens). */
const CUE_QUANTITY = /^(many|much|percent|percentage|population|score|number|amount|size|prozent|anzahl|viele|einwohner|einwohnerzahl|ergebnis|spielstand|zahl|menge|wieviel|wieviele|cost|price|kosten|preis|age|alter|often|oft)$/;
const CUE_NAME = /^(name|named|called|title|heißt|hieß|name[n]?|titel|genannt|who|whom|wer|wem|wen)$/;
const CUE_TIME = /^(year|years|when|date|century|decade|jahr|jahre|jahres|wann|datum|jahrhundert|jahrzehnt|month|monat|day|tag)$/;
const CUE_PLACE = /^(where|wo|wohin|woher|city|country|place|stadt|land|ort|river|fluss|region|state|staat)$/;
const CUE_WHO = /^(who|whom|wer|wem|wen|person|people)$/;
const PREPOSITION = /^(in|im|an|am|auf|aus|bei|mit|nach|von|vom|zu|zum|zur|für|durch|gegen|über|unter|um|als|of|on|at|by|for|with|from|into|to|as|against)$/;
const ARTICLE = /^(der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen|the|a|an)$/;
const WINDOW = 12;
/** Question words asking for a kind, rank or origin: answered by an adjective ("what type of", "welcher Nationalität"). */
const KIND_CUE = /^(type|types|kind|kinds|sort|form|nationality|rank|ranking|part|art|arten|sorte|form|nationalität|rang|abschnitt|platform|plattform)$/;

/** Hedges before a figure ("etwa 505 Millionen"). */
const HEDGE = /^(etwa|rund|circa|ca|fast|knapp|about|around|nearly|almost|approximately)$/;
/**
 * A function word or hedge: a candidate whose only words besides the question's are these repeats
 * the question ("etwa 505 Millionen" for "vor 505 Millionen Jahren").
 */
function filler(norm: string): boolean {
  return isStopword(norm, 'de') || isStopword(norm, 'en') || HEDGE.test(norm);
}

/** What {@link chooseShort} needs of the sentence. */
export interface SpanInput {
  qa: QuestionAnalysis;
  /** Text of the quoted span (the previous sentence included when the answer sentence depends on it). */
  text: string;
  tokens: Token[];
  matched: boolean[];
  /** Token index where the answer sentence itself starts inside `tokens` (0 when no previous sentence is quoted). */
  ownFrom: number;
  german: boolean;
  isCommon: IsCommonWord | null;
}

/**
 * Candidate spans of a sentence: typed candidates and noun phrases, one per character range, none
 * made only of question words.
 */
export function spanCandidates(input: SpanInput): SpanCandidate[] {
  const { qa, text, tokens, matched, german, isCommon } = input;
  const out: SpanCandidate[] = [];
  const seen = new Set<string>();
  const own = (from: number, to: number) => {
    for (let k = from; k <= to; k++) if (!matched[k] && !qa.questionTerms.has(tokens[k].norm) && !filler(tokens[k].norm)) return true;
    return false;
  };
  for (const c of findCandidates(text, tokens, isCommon)) {
    const key = `${c.start}:${c.end}`;
    if (seen.has(key) || !own(c.from, c.to)) continue;
    seen.add(key);
    out.push({ kind: c.kind, flavour: c.flavour, unit: c.unit, from: c.from, to: c.to, start: c.start, end: c.end, fit: typeFit(qa, c, input.tokens) });
  }
  for (const p of allPhrases(text, tokens, matched, qa.questionTerms, german)) {
    const key = `${p.start}:${p.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: 'np', flavour: null, unit: null, from: p.from, to: p.to, start: p.start, end: p.end, fit: 0 });
  }
  // The attributive adjectives in front of a matched question noun: "what type of heating element"
  // → "ein [elektrisches] Heizelement", "artists of which nationality" → "[britischen] Künstler".
  for (const m of modifierSpans(text, tokens, matched, german)) {
    const key = `${tokens[m.from].start}:${tokens[m.to].end}`;
    if (seen.has(key) || !own(m.from, m.to)) continue;
    seen.add(key);
    out.push({ kind: 'np', flavour: null, unit: null, from: m.from, to: m.to, start: tokens[m.from].start, end: tokens[m.to].end, fit: 0, modifier: true });
  }
  // Shorter variants: the head of a noun phrase before its genitive ("Sitz der Partei" → "Sitz").
  // A number phrase keeps its unit, hedge and what it counts (the reader needs them: "rund 100
  // Drohnen im Monat", "35 bis 50 Kilogramm"), although the bare figure would score higher on XQuAD.
  const variants: SpanCandidate[] = [];
  const drop = new Set<SpanCandidate>();
  for (const c of out) {
    let a = -1;
    let b = -1;
    if (c.kind === 'np' && c.to > c.from) {
      const link = tokens.slice(c.from, c.to + 1).findIndex((t, i) => i > 0 && /^(des|der|of|von|vom)$/.test(t.norm));
      if (link > 0) [a, b] = [c.from, c.from + link - 1];
    }
    if ((c.kind === 'np' || c.kind === 'name') && a < 0 && !c.variant) {
      // A noun phrase with the figure or phrase attached by "von/mit/of/with" ("Sprengkopf von 35 bis 50 Kilogramm").
      const p = tokens[c.to + 1];
      const next = p && /^(von|vom|mit|of|with)$/.test(p.norm) ? out.find((x) => x.from === c.to + 2) : undefined;
      if (next && !/[,;:.!?]/.test(text.slice(tokens[c.to].end, tokens[next.from].start))) {
        const start = tokens[c.from].start;
        const end = tokens[next.to].end;
        const key = `${start}:${end}`;
        if (!seen.has(key)) {
          seen.add(key);
          variants.push({ ...c, kind: 'np', to: next.to, end, extended: true });
          // For an untyped question the attached figure describes the noun ("einen Sprengkopf von
          // 35 bis 50 Kilogramm" is what is carried): the figure alone is not offered.
          if (next.kind === 'number' && qa.type === 'other') drop.add(next);
        }
      }
    }
    if (a < 0 || (a === c.from && b === c.to)) continue;
    const start = tokens[a].start;
    const end = tokens[b].end;
    const key = `${start}:${end}`;
    if (seen.has(key) || !own(a, b)) continue;
    seen.add(key);
    variants.push({ ...c, from: a, to: b, start, end, variant: true });
  }
  const kept = out.filter((c) => !drop.has(c)).concat(variants);
  const why = [...qa.questionTerms].some((t) => WHY_QUESTION.test(t));
  const extras: SpanCandidate[] = [];
  for (const x of extraSpans({ text, tokens, matched, questionTerms: qa.questionTerms, why, german }, kept)) {
    const start = tokens[x.from].start;
    const end = tokens[x.to].end;
    const key = `${start}:${end}`;
    if (seen.has(key) || !own(x.from, x.to)) continue;
    seen.add(key);
    extras.push({ kind: 'np', flavour: null, unit: null, from: x.from, to: x.to, start, end, fit: 0, extra: x.how });
  }
  return kept.concat(extras);
}

/** German attributive adjective endings (strong and weak declension). */
const ADJECTIVE_END = /(e|en|er|es|em)$/;
/** Words a modifier run never holds besides stopwords: adverbs and quantifiers that take adjective endings. */
const NOT_MODIFIER = /^(viele|vielen|vieler|einige|einigen|einiger|mehrere|mehreren|andere|anderen|anderer|weitere|weiteren|beide|beiden|alle|allen|aller|jede|jeden|jeder|jedes|keine|keinen|keiner|diese|diesen|dieser|dieses|solche|solchen|eigene|eigenen|ersten|erste|zweite|zweiten|letzte|letzten|neue|neuen|neuer|neues)$/;

/**
 * Runs of one or two attributive adjectives directly before a matched noun (German: capitalised;
 * English: any content word), none of them matched, a stopword or a number, nothing but spaces
 * or a hyphen between them. Linear in the sentence length.
 * @returns inclusive token ranges.
 */
export function modifierSpans(text: string, tokens: Token[], matched: boolean[], german: boolean): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  const adjective = (t: Token) =>
    !t.capitalized && !/\d/.test(t.norm) && t.norm.length > 2 && !isStopword(t.norm, 'de') && !isStopword(t.norm, 'en') && !NOT_MODIFIER.test(t.norm) && (!german || ADJECTIVE_END.test(t.norm));
  const tight = (a: number) => /^\s*$/.test(text.slice(tokens[a].end, tokens[a + 1].start));
  for (let k = 1; k < tokens.length; k++) {
    if (!matched[k] || (german && !tokens[k].capitalized)) continue;
    let j = k - 1;
    while (j >= 0 && k - j <= 2 && !matched[j] && adjective(tokens[j]) && tight(j)) j--;
    if (j < k - 1) out.push({ from: j + 1, to: k - 1 });
  }
  return out;
}

/** The hand-set rule's choices: nearest noun phrase, and the typed candidate with the best fit × proximity. */
export interface HandChoice {
  np: SpanCandidate | null;
  typed: SpanCandidate | null;
}

/** The hand-set choices among `cands` (one pass; the proximity scan is bounded per candidate). */
export function handChoice(input: SpanInput, cands: SpanCandidate[]): HandChoice {
  const { tokens, matched } = input;
  const handProx = (x: SpanCandidate) => {
    let d = Infinity;
    for (let k = Math.max(0, x.from - WINDOW); k <= Math.min(tokens.length - 1, x.to + WINDOW); k++) {
      if (matched[k] && (k < x.from || k > x.to)) d = Math.min(d, k < x.from ? x.from - k : k - x.to);
    }
    return d === Infinity ? 0 : 1 / (1 + (d - 1) / 4) + Math.min(x.to - x.from + 1, 4) * 0.02;
  };
  let np: SpanCandidate | null = null;
  let typed: SpanCandidate | null = null;
  let npScore = -1;
  let typedScore = -1;
  for (const x of cands) {
    const p = handProx(x);
    if (x.kind === 'np' && p > npScore) [np, npScore] = [x, p];
    if (x.fit > 0 && x.fit * p > typedScore) [typed, typedScore] = [x, x.fit * p];
  }
  return { np, typed };
}

/** Feature vector of one candidate (order: {@link SPAN_FEATURES}). */
export function spanFeatures(input: SpanInput, c: SpanCandidate, hand: HandChoice, stems?: Set<string>): number[] {
  const { qa, text, tokens, matched, ownFrom, isCommon } = input;
  const terms = [...qa.questionTerms];
  const cue = (re: RegExp) => terms.some((t) => re.test(t));
  const typedQ = qa.type !== 'other' && qa.type !== 'yesno';
  const other = !typedQ;
  const is = (k: SpanCandidate['kind']) => (c.kind === k ? 1 : 0);
  const isName = c.kind === 'name' || c.kind === 'quoted';
  // Nearest matched token on each side.
  let left = Infinity;
  let right = Infinity;
  let around = 0;
  let inside = 0;
  let questionWords = 0;
  for (let k = Math.max(0, c.from - WINDOW); k <= Math.min(tokens.length - 1, c.to + WINDOW); k++) {
    if (k >= c.from && k <= c.to) {
      if (matched[k]) inside = 1;
      if (matched[k] || qa.questionTerms.has(tokens[k].norm)) questionWords++;
      continue;
    }
    if (!matched[k]) continue;
    const d = k < c.from ? c.from - k : k - c.to;
    if (k < c.from) left = Math.min(left, d);
    else right = Math.min(right, d);
    around += 1 / (1 + (d - 1) / 4);
  }
  const dist = Math.min(left, right);
  // No clause boundary (comma, semicolon, colon) between the candidate and its nearest matched word.
  let sameClause = 0;
  let near3 = 0;
  for (let k = Math.max(0, c.from - 3); k <= Math.min(tokens.length - 1, c.to + 3); k++) if (matched[k] && (k < c.from || k > c.to)) near3++;
  if (dist !== Infinity) {
    const k = left <= right ? c.from - left : c.to + right;
    const a = Math.min(k, c.from);
    const b = Math.max(k, c.to);
    sameClause = /[,;:]/.test(text.slice(tokens[a].end, tokens[b].start)) ? 0 : 1;
  }
  const firstMatch = matched.indexOf(true);
  const lastMatch = matched.lastIndexOf(true);
  const prox = dist === Infinity ? 0 : 1 / (1 + (dist - 1) / 4);
  const len = c.to - c.from + 1;
  let caps = 0;
  let nonCommon = 0;
  let link = 0;
  let digit = 0;
  for (let k = c.from; k <= c.to; k++) {
    const t = tokens[k];
    if (t.capitalized) caps++;
    if (t.capitalized && k > 0 && isCommon && !isCommon(t.norm)) nonCommon = 1;
    if (/^(des|der|of|von|vom)$/.test(t.norm) && k > c.from) link = 1;
    if (/\d/.test(t.norm)) digit = 1;
  }
  const before = c.from > 0 ? tokens[c.from - 1].norm : '';
  const ctx = { text, tokens, matched, questionTerms: qa.questionTerms, german: input.german };
  const afterText = text.slice(c.end, c.end + 2);
  return [
    1,
    c.fit,
    is('np'), is('number'), is('date'), is('duration'), is('name'), is('quoted'),
    c.flavour === 'person' ? 1 : 0, c.flavour === 'organisation' ? 1 : 0, c.flavour === 'place' ? 1 : 0,
    typedQ ? 1 : 0, typedQ ? c.fit : 0,
    other ? is('np') : 0, other && c.kind === 'name' ? 1 : 0, other ? is('number') : 0, other ? is('date') : 0, other ? is('quoted') : 0,
    cue(CUE_QUANTITY) && c.kind === 'number' ? 1 : 0,
    cue(CUE_NAME) && isName ? 1 : 0,
    cue(CUE_TIME) && c.kind === 'date' ? 1 : 0,
    cue(CUE_PLACE) && c.kind === 'name' ? 1 : 0,
    cue(CUE_WHO) && isName ? 1 : 0,
    cue(CUE_WHO) && c.kind === 'np' ? 1 : 0,
    prox,
    dist === 1 ? 1 : 0,
    left < right ? 1 : 0,
    right < left ? 1 : 0,
    left !== Infinity && right !== Infinity ? 1 : 0,
    Math.min(around, 4) / 4,
    inside,
    questionWords / len,
    len === 1 ? 1 : 0, len === 2 ? 1 : 0, len >= 3 && len <= 4 ? 1 : 0, len >= 5 ? 1 : 0,
    tokens.length > 1 ? c.from / (tokens.length - 1) : 0,
    c.from === ownFrom ? 1 : 0,
    caps / len,
    nonCommon,
    c.to < ownFrom ? 1 : 0,
    PREPOSITION.test(before) ? 1 : 0,
    ARTICLE.test(before) ? 1 : 0,
    digit,
    link,
    /^\s?[,;:]/.test(afterText) ? 1 : 0,
    hand.np === c ? 1 : 0,
    hand.typed === c ? 1 : 0,
    c.variant ? 1 : 0,
    c.variant && c.kind === 'number' ? 1 : 0,
    qa.type === 'number' && qa.unit !== null && qa.unit === c.unit ? 1 : 0,
    c.unit === 'count' ? 1 : 0,
    sameClause,
    c.from > firstMatch && c.to < lastMatch ? 1 : 0,
    Math.min(near3, 3) / 3,
    terms.some((t) => /^(why|warum|weshalb|wieso)$/.test(t)) && PREPOSITION.test(before) ? 1 : 0,
    other && terms.some((t) => /^(how|wie)$/.test(t)) ? 1 : 0,
    c.extended ? 1 : 0,
    other && c.kind === 'number' && c.unit !== null && c.unit !== 'count' && c.unit !== 'any' ? 1 : 0,
    c.modifier ? 1 : 0,
    c.modifier && terms.some((t) => KIND_CUE.test(t)) ? 1 : 0,
    ...contextFeatures(ctx, c.from, c.to, stems ?? echoStems(ctx)),
    c.extra === 'coordination' ? 1 : 0,
    c.extra === 'attachment' ? 1 : 0,
    c.extra === 'clause' ? 1 : 0,
    c.extra === 'trimmed' ? 1 : 0,
    terms.some((t) => WHY_QUESTION.test(t)) && len >= 4 ? 1 : 0,
    other && terms.some((t) => /^(how|wie)$/.test(t)) && len <= 2 ? 1 : 0,
  ];
}

/** Weights of the span scorer: one per feature name. */
export interface SpanModel {
  features: readonly string[];
  weights: number[];
}

/** One sentence's candidates as handed to {@link SPAN_TRACE} (training). */
export interface SpanTrace {
  question: string;
  typed: boolean;
  texts: string[];
  features: number[][];
  fits: number[];
  /** The sentence as the scorer saw it, so that training can rebuild candidates and features offline. */
  input?: SpanInputRecord;
}

/**
 * A JSON-safe copy of a {@link SpanInput}: the question analysis with its terms as an array, and
 * the token norms the common-word list knows (isCommon answers true for them).
 */
export interface SpanInputRecord {
  qa: Omit<QuestionAnalysis, 'questionTerms'> & { questionTerms: string[] };
  text: string;
  tokens: Token[];
  matched: boolean[];
  ownFrom: number;
  german: boolean;
  common: string[] | null;
}

/** {@link SpanInputRecord} of an input (training only). */
export function recordInput(input: SpanInput): SpanInputRecord {
  const { qa, isCommon } = input;
  const common = isCommon ? [...new Set(input.tokens.filter((t) => isCommon(t.norm)).map((t) => t.norm))] : null;
  return { qa: { ...qa, questionTerms: [...qa.questionTerms] }, text: input.text, tokens: input.tokens, matched: input.matched, ownFrom: input.ownFrom, german: input.german, common };
}

/** The {@link SpanInput} back from its record (isCommon answers from the recorded list). */
export function restoreInput(r: SpanInputRecord): SpanInput {
  const common = r.common ? new Set(r.common) : null;
  return { ...r, qa: { ...r.qa, questionTerms: new Set(r.qa.questionTerms) }, isCommon: common ? (w: string) => common.has(w) : null };
}

/** Candidates and their features for one sentence (what {@link chooseShort} scores). */
export function scoredCandidates(input: SpanInput): { cands: SpanCandidate[]; feats: number[][] } {
  const cands = spanCandidates(input);
  const hand = handChoice(input, cands);
  const stems = echoStems({ ...input, questionTerms: input.qa.questionTerms });
  return { cands, feats: cands.map((c) => spanFeatures(input, c, hand, stems)) };
}

/** Set by scripts/train-span.ts to receive every sentence's candidates; null otherwise. */
export const SPAN_TRACE: { on: ((t: SpanTrace) => void) | null } = { on: null };

/**
 * The committed model for untyped questions. Typed questions keep the hand-set rule (nearest
 * candidate of the type, rank.ts): a model trained on them was not better in cross-validation
 * (scripts/train-span.ts docstring). Null when the feature list changed since training.
 */
const MODELS: { other: SpanModel | null } = { other: null };
{
  const w = weights as { features: string[]; other: number[] } | null;
  if (w && w.features.length === SPAN_FEATURES.length && w.features.every((f, i) => f === SPAN_FEATURES[i])) {
    MODELS.other = { features: SPAN_FEATURES, weights: w.other };
  }
}

/** The models in use (the training script switches them off while collecting). */
export function spanModels(): { other: SpanModel | null } {
  return { ...MODELS };
}
/** Replace the models in use (null: hand-set rule). */
export function setSpanModels(m: { other: SpanModel | null }): void {
  Object.assign(MODELS, m);
}

/** The model for a question type, or null (hand-set rule). */
function modelFor(qa: QuestionAnalysis): SpanModel | null {
  return qa.type === 'other' ? MODELS.other : null;
}

/** w·x. */
export function spanScore(m: SpanModel, x: number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
  return z;
}

/**
 * The short answer span of a sentence, or null (no candidate, or no model: the caller keeps its
 * hand-set rule). Typed questions choose only among candidates of their type when one exists.
 * @param question the question as asked (for the training trace only).
 */
export function chooseShort(question: string, input: SpanInput): SpanCandidate | null {
  if (input.qa.type === 'yesno' || !input.matched.includes(true)) return null;
  const { cands, feats } = scoredCandidates(input);
  if (cands.length === 0) return null;
  const typedQ = input.qa.type !== 'other';
  SPAN_TRACE.on?.({ question, typed: typedQ, texts: cands.map((c) => input.text.slice(c.start, c.end)), features: feats, fits: cands.map((c) => c.fit), input: recordInput(input) });
  const m = modelFor(input.qa);
  if (!m) return null;
  const typedPool = typedQ && cands.some((c) => c.fit > 0) ? cands.map((c, i) => (c.fit > 0 ? i : -1)).filter((i) => i >= 0) : cands.map((_, i) => i);
  // Several figures or dates of the asked kind: the rules of figure-choice.ts narrow the pool.
  const pool = narrowFigures(input.qa, cands, typedPool, input.tokens, input.matched);
  let best = -1;
  let bestScore = -Infinity;
  for (const i of pool) {
    const s = spanScore(m, feats[i]);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best >= 0 ? cands[best] : null;
}
