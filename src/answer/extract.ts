/**
 * Extractive answers: the short answer of the expected type and the sentence that holds it, cited
 * verbatim.
 *
 * A sentence's coverage is the idf mass of the query groups it contains (the same groups the
 * search used, so an English question matches German sentences through its translations).
 * Question analysis (question.ts) gives the expected answer type, candidates.ts finds typed
 * candidates in each sentence, rank.ts scores them by proximity to the matched words.
 */
import { splitSentences, type Span } from '../text/sentences.js';
import { chatConstructSpans, escapeMarkdown } from '../text/markdown.js';
import { paragraphSpans } from '../text/chunk.js';
import { tokenize, type Token } from '../text/tokenize.js';
import { termsOfTokens } from '../text/terms.js';
import { stem, stemLang } from '../text/stem.js';
import type { Decompounder } from '../text/decompound.js';
import type { QueryGroup } from '../search/lexical.js';
import type { Answer, Citation, DocumentRef } from './types.js';
import type { PageSpan } from '../corpus/types.js';
import { analyzeQuestion, type QuestionAnalysis } from './question.js';
import { abstainText } from './abstain-text.js';
import { narrowFigures } from './figure-choice.js';
import { coreSpan } from './core-span.js';
import { nameInRole } from './name-role.js';
import { strongerTopicDocument, topicCoverage, TOPIC_MISSING_SHARE, TOPIC_WHOLE_MARGIN } from './topic-document.js';
import { findCandidates, type Candidate, type IsCommonWord } from './candidates.js';
import { candidateScore, isRate, typeFit, CANDIDATE_WEIGHT, RANK_DECAY, NOT_STATED_COVERAGE, RELEVANT_SHARE } from './rank.js';
import { logistic, notStatedModel, sentenceFeatures, sentenceModel } from './learned.js';
import { bestPhrase } from './phrases.js';
import { contextFacts, germanVariants } from './sentence-rank.js';
import { answerLike, answeredType, fullerName, learnedShort } from './short.js';
import { findAntecedent, namesAskedKind } from './antecedent.js';
import { isHeading } from '../text/heading.js';
import { hasPersonalPronoun, OTHER_PASSAGE_SHARE } from './sentence-choice.js';
import { focusStated, questionFocus, withFocusUnit } from './focus.js';
import { verdictLine, yesNoVerdict } from './yesno.js';
import { CONTEXT_SCORE, CONTEXT_SHARE, strongOrganisation, wantsContextOrganisation } from './context-org.js';
import { isNearMiss, nearMissFeatures, type PickEvidence } from './near-miss.js';

/** A retrieved passage with what extraction needs of its document. */
export interface Passage {
  doc: DocumentRef & { text: string; language: string; bodyStart: number; pages: PageSpan[] | null };
  start: number;
  end: number;
  score: number;
}

/** Text shown when the documents do not answer (English; German questions get abstainText's German sentence). */
export { ABSTAIN_TEXT } from './abstain-text.js';

interface ScoredSentence {
  span: Span;
  score: number;
  tokens: Token[];
  matchedTokens: boolean[];
  /** Number of query groups matched, and whether the rarest (highest-idf) group is among them. */
  groups: number;
  rarest: boolean;
  /** Per query group: true when the sentence matches it. */
  matchedGroups: boolean[];
}

function scoreSentence(
  text: string,
  span: Span,
  lang: string,
  groups: QueryGroup[],
  idfs: number[],
  decompounder: Decompounder | null,
): ScoredSentence {
  const tokens = tokenize(text.slice(span.start, span.end));
  const sl = stemLang(lang);
  const tokenTerms = tokens.map((t) => {
    const terms = termsOfTokens([t], sl, decompounder);
    // A feminine agent noun also matches its masculine form ("Museumsleiterin" ~ "Leiter", "Direktorin" ~ "Direktor").
    if (sl === 'de' && FEMININE_AGENT.test(t.norm)) terms.push(...termsOfTokens([{ ...t, norm: t.norm.replace(/in(nen)?$/, '') }], sl, decompounder));
    return new Set(sl === 'de' ? terms.flatMap(germanVariants) : terms);
  });
  const all = new Set<string>();
  tokenTerms.forEach((s) => s.forEach((x) => all.add(x)));
  let score = 0;
  const matchedTokens = tokens.map(() => false);
  let n = 0;
  let rarest = false;
  let top = -1;
  const matchedGroups = groups.map(() => false);
  idfs.forEach((x, i) => (top < 0 || x > idfs[top] ? (top = i) : 0));
  groups.forEach((g, i) => {
    // Verb-form variants for German question words only: an English word's dictionary translations
    // are many already, and their variants mostly add false matches (tuning part: EN→DE 0.653 → 0.658).
    let terms = sl === 'de' && g.lang === 'de' ? variantTerms(g) : g.terms;
    if (!terms.some((t) => all.has(t))) {
      // A German compound of the question also matches when all its parts occur ("Sammlung von Kostümen").
      const parts = sl === 'de' ? compoundParts(g, decompounder) : [];
      if (parts.length < 2 || !parts.every((p) => all.has(p))) return;
      terms = parts;
    }
    score += idfs[i] ?? 1;
    n++;
    matchedGroups[i] = true;
    if (i === top) rarest = true;
    tokenTerms.forEach((tt, ti) => {
      if (terms.some((t) => tt.has(t))) matchedTokens[ti] = true;
    });
  });
  return { span, score, tokens, matchedTokens, groups: n, rarest, matchedGroups };
}

/** German feminine agent nouns: "-erin", "-orin", "-entin", "-antin", "-istin", "-eurin" (and their plurals). */
const FEMININE_AGENT = /^\p{L}{2,}(er|or|ent|ant|ist|eur)in(nen)?$/u;

const variantCache = new WeakMap<QueryGroup, string[]>();
/**
 * A group's terms with their German verb-form variants ({@link germanVariants}; cached per group object).
 * Measured on the XQuAD tuning part (scripts/answer-eval.ts): DE→DE answer@1 0.706 → 0.713.
 */
function variantTerms(g: QueryGroup): string[] {
  let v = variantCache.get(g);
  if (!v) variantCache.set(g, (v = [...new Set(g.terms.flatMap(germanVariants))]));
  return v;
}

/**
 * Question words, contracted prepositions and naming verbs of question frames ("Wie lautet …",
 * "Wie hieß …"): they weigh nothing as sentence evidence (they still search). Tuning part: DE→DE
 * answer@1 0.716 → 0.720.
 */
const QUESTION_FRAME =
  /^(wer|wen|wem|wessen|was|wann|wo|woher|wohin|womit|wovon|wofür|worauf|woran|worin|wodurch|weshalb|wieso|warum|wie|welche[rsmn]?|beim|vom|zum|zur|im|am|ins|ans|hieß|hießen|heißt|heißen|lautet|lauten|lautete|lauteten|nennt|nannte|nannten|who|whom|whose|what|when|where|which|why|how)$/;
const partsCache = new WeakMap<QueryGroup, string[]>();
/**
 * Stems of the parts of a German one-word group's compound label ([] when it is not a compound).
 * Tuning part: DE→DE answer@1 0.713 → 0.716.
 */
function compoundParts(g: QueryGroup, decompounder: Decompounder | null): string[] {
  if (!decompounder || g.lang !== 'de' || /[\d\s-]/.test(g.label)) return [];
  let v = partsCache.get(g);
  if (!v) partsCache.set(g, (v = decompounder.split(g.label).map((p) => stem(p, 'de'))));
  return v;
}

/** Matched tokens / the token window from the first to the last matched one (0 when none). */
function density(matched: boolean[]): number {
  const a = matched.indexOf(true);
  if (a < 0) return 0;
  const b = matched.lastIndexOf(true);
  return matched.filter(Boolean).length / (b - a + 1);
}

/** 1-based paragraph number of `offset`, and the page when the document is paged. */
export function positionLabel(doc: Passage['doc'], offset: number): string {
  const paras = paragraphSpans(doc.text, doc.bodyStart);
  let n = paras.findIndex((p) => offset >= p.start && offset < p.end) + 1;
  if (n === 0) n = Math.max(1, paras.filter((p) => p.start <= offset).length);
  const page = doc.pages?.find((p) => offset >= p.start && offset < p.end)?.page;
  return page ? `p. ${page}, ¶${n}` : `¶${n}`;
}

/** Document text shown literally in Discord Markdown (links, headings, mentions too). */
const escapeMd = escapeMarkdown;

/**
 * The sentence text with matched tokens and numbers in **bold** (Markdown). Tokens inside a chat
 * construct of the document (a mention, timestamp tag, "@everyone", masked or bare link:
 * src/text/markdown.ts chatConstructSpans) stay plain, so bold never splits one or its escape.
 */
function highlight(text: string, s: ScoredSentence): string {
  const base = s.span.start;
  const shielded = chatConstructSpans(text.slice(base, s.span.end));
  let k = 0;
  let out = '';
  let pos = base;
  s.tokens.forEach((t, i) => {
    if (!s.matchedTokens[i] && !/\d/.test(t.norm)) return;
    while (k < shielded.length && shielded[k][1] <= t.start) k++;
    if (k < shielded.length && shielded[k][0] < t.end) return;
    const a = base + t.start;
    const b = base + t.end;
    if (a < pos) return;
    out += escapeMd(text.slice(pos, a)) + '**' + escapeMd(text.slice(a, b)) + '**';
    pos = b;
  });
  out += escapeMd(text.slice(pos, s.span.end));
  return out.replace(/\*\*(\s*)\*\*/g, '$1');
}

/** A sentence of a passage with everything the ranker needs. */
interface RankedSentence {
  s: ScoredSentence;
  /** The quoted span scored (equals `s` unless the previous sentence is quoted too). */
  shown: ScoredSentence;
  passage: number;
  coverage: number;
  best: { c: Candidate; score: number } | null;
  total: number;
  /** Span quoted for it (the previous sentence included when this one depends on it). */
  quote: Span;
  /** Index of the sentence in its passage and whether it refers back to the previous one. */
  index: number;
  dependent: boolean;
}

/** One scored sentence as handed to {@link ExtractOptions.onSentences} (training the ranker). */
export interface SentenceTrace {
  features: number[];
  /** The raw facts behind the features (named), for trying new features offline. */
  facts: Record<string, number>;
  /** The quoted text and the best candidate's text (null when none). */
  quote: string;
  short: string | null;
  /** True for the sentence the answer uses. */
  picked: boolean;
  /** True when the hand-set rules already answer "not stated". */
  ruleNotStated: boolean;
  /** 0-based rank of its passage and that passage's retrieval score. */
  passage: number;
  passageScore: number;
  /** The picked row only: the near-miss features of src/answer/near-miss.ts (scripts/train-not-stated.ts). */
  nearMiss?: number[];
}

/** Sentence openings that refer back to the previous sentence ("Sie…", "In dieser…", "Demnach…"). */
const DEPENDENT_START =
  /^(sie|er|es|dessen|deren|dies|diese[rsmn]?|dieses|in dieser|in diesem|demnach|danach|dort|damit|daher|deshalb|dabei|darin|dazu|davon|hier|they|he|she|it|this|these|that|those|there|in this|thus|therefore|its|their|his|her)\b/i;


/** Options of {@link extractAnswer}. */
export interface ExtractOptions {
  /** Tells dictionary words from names in German text (lower-case word → common?). */
  isCommon?: IsCommonWord | null;
  /** Receives the features of every candidate sentence (scripts/train-ranker.ts); no effect on the answer. */
  onSentences?: (rows: SentenceTrace[]) => void;
  /** At most this many citations (the answer's own first); default: one per passage given. */
  cite?: number;
  /** Per query group: no document holds it (src/search/passages.ts groupsUnseen); read by the near-miss model. */
  unseen?: boolean[];
}

/**
 * Build a cited extractive answer.
 *
 * Every sentence of the first passages is scored by its coverage of the question (idf mass of
 * the matched groups / all groups) plus, for typed questions, its best answer candidate
 * (src/answer/rank.ts); later passages decay. The answer line is the short answer in bold (when
 * the question has a type and a candidate of it exists) followed by the sentence holding it,
 * cited [n]. A typed question whose topic is found but no candidate of its type is answered
 * "not stated" with the closest passages cited (`notStated: true`). Citations whose sentence
 * covers much less of the question than the best one are dropped.
 * @param passages retrieved passages, best first (already cut to the number to cite).
 * @param idfs idf of each query group (same order as `groups`).
 * @param abstain when true, return the "do not answer" result instead.
 */
export function extractAnswer(
  question: string,
  groups: QueryGroup[],
  idfs: number[],
  passages: Passage[],
  decompounder: Decompounder | null,
  abstain: boolean,
  options: ExtractOptions = {},
): Answer {
  const none = (): Answer => ({ question, abstained: true, answer: abstainText(question), citations: [], mode: 'extractive', notStated: false });
  if (abstain || passages.length === 0) return none();
  const focus = questionFocus(question);
  // A focus with a unit family sets the unit ("Wie hoch waren die Kosten" asks for money; src/answer/focus.ts).
  const qa = withFocusUnit(analyzeQuestion(question), focus);
  // Question words and frames ("wer", "wann", "lautet") are not evidence that a sentence answers.
  idfs = idfs.map((x, i) => (QUESTION_FRAME.test(groups[i]?.label ?? '') ? 0 : x));
  const typed = typeFit(qa, DUMMY_PROBE) >= 0 && qa.type !== 'other' && qa.type !== 'yesno';
  const mass = idfs.reduce((a, b) => a + (b ?? 1), 0) || 1;
  const perPassage: RankedSentence[][] = [];
  for (const [pi, p] of passages.entries()) {
    const local = p.doc.text.slice(p.start, p.end);
    const spans = splitSentences(local, p.doc.language).map((s) => ({ start: s.start + p.start, end: s.end + p.start }));
    const list: RankedSentence[] = [];
    for (const [si, span] of spans.entries()) {
      if (isHeading(p.doc.text, span)) continue;
      const s = scoreSentence(p.doc.text, span, p.doc.language, groups, idfs, decompounder);
      let coverage = s.score / mass;
      let quote: Span = span;
      const prev = spans[si - 1];
      // Candidates of the quote start at this offset (a pronoun's antecedent sentence gives none).
      let ownFrom = 0;
      if (prev && !isHeading(p.doc.text, prev)) {
        const sentence = p.doc.text.slice(span.start, span.end);
        if (DEPENDENT_START.test(sentence.trimStart())) quote = { start: prev.start, end: span.end };
        else if (hasPersonalPronoun(sentence)) {
          // "… ist sie heute verboten": read with the sentence naming the referent (src/answer/sentence-choice.ts).
          quote = { start: prev.start, end: span.end };
          ownFrom = span.start - prev.start;
        }
      }
      // A dependent sentence's subject is in the previous one: its candidates count too.
      let shown = quote === span ? s : scoreSentence(p.doc.text, quote, p.doc.language, groups, idfs, decompounder);
      let best: RankedSentence['best'] = null;
      // A dependent sentence is searched with the one it refers to ("… the tram line. It is built by …").
      if (typed && (s.score > 0 || (shown !== s && shown.score > 0))) best = bestTypedCandidate(qa, p.doc.text.slice(quote.start, quote.end), shown, ownFrom, options.isCommon ?? null);
      // A dependent sentence is read with the one before it: their joint coverage counts, a little discounted.
      if (shown !== s) coverage = Math.max(coverage, DEPENDENT_DISCOUNT * (shown.score / mass));
      // "Wie das Magazin weiter berichtet …": the magazine named earlier in the document is the
      // candidate, and the sentence naming it is quoted (src/answer/antecedent.ts).
      if (typed && !best && s.score > 0 && namesAskedKind(qa, s.tokens, s.matchedTokens)) {
        const found = findAntecedent(qa, p.doc.text, p.doc.bodyStart, quote.start, p.doc.language, options.isCommon ?? null);
        if (found) {
          shown = scoreSentence(p.doc.text, found.span, p.doc.language, groups, idfs, decompounder);
          quote = found.span;
          best = { c: found.candidate, score: found.fit * ANTECEDENT_DISCOUNT };
        }
      }
      const total = (coverage + (best ? CANDIDATE_WEIGHT * best.score : 0)) * Math.pow(RANK_DECAY, pi);
      list.push({ s, shown, passage: pi, coverage, best, total, quote, index: si, dependent: quote !== span });
    }
    perPassage.push(list);
  }
  // The learned ranker (src/answer/learned.ts) replaces the hand-set total when trained.
  const all = perPassage.flat();
  const maxCoverage = Math.max(0, ...all.map((r) => r.coverage));
  const maxHand = Math.max(0, ...all.map((r) => r.total));
  const topScore = passages[0].score || 1;
  const model = sentenceModel();
  const features = new Map<RankedSentence, number[]>();
  const facts = new Map<RankedSentence, Record<string, number>>();
  // Context facts only feed the training traces (scripts/train-ranker.ts) for now.
  const context = options.onSentences ? contextFacts(question, groups, idfs, all.map((r) => ({ passage: r.passage, docId: passages[r.passage].doc.id, matchedGroups: r.s.matchedGroups, tokens: r.s.tokens, start: r.s.span.start, end: r.s.span.end }))) : null;
  for (const [ri, r] of all.entries()) {
    const unmatched = r.s.matchedTokens.filter((m) => !m).length / Math.max(1, r.s.tokens.length);
    const f = {
      coverage: r.coverage, maxCoverage, shownCoverage: r.shown.score / mass, candidate: r.best?.score ?? 0, hasCandidate: r.best !== null,
      typed, passage: r.passage, passageScoreRel: passages[r.passage].score / topScore, sentenceIndex: r.index, tokens: r.s.tokens.length,
      dependent: r.dependent, handTotal: r.total, maxHandTotal: maxHand, unmatchedShare: unmatched,
      groupShare: r.s.groups / Math.max(1, groups.length), rarest: r.s.rarest, density: density(r.s.matchedTokens),
    };
    const x = sentenceFeatures(f);
    if (options.onSentences) facts.set(r, { ...f, typed: +f.typed, hasCandidate: +f.hasCandidate, dependent: +f.dependent, rarest: +f.rarest, ...context?.[ri] } as Record<string, number>);
    features.set(r, x);
    if (model && r.s.score > 0) r.total = logistic(model, x);
  }
  // The chosen sentence: best total over all passages.
  let pick: RankedSentence | null = null;
  for (const list of perPassage) for (const r of list) if (r.s.score > 0 && (!pick || r.total > pick.total + 1e-9)) pick = r;
  if (!pick) return none();
  // A typed question needs a candidate: the best sentence that has one, unless none covers enough.
  let notStated = false;
  if (typed && !pick.best) {
    let withCandidate: RankedSentence | null = null;
    for (const list of perPassage) for (const r of list) if (r.best && (!withCandidate || r.total > withCandidate.total)) withCandidate = r;
    // "Who is the director of …": a person right after the matched title ("Institutsdirektorin Antje Boetius") answers it.
    const titled = qa.personNoun === true && withCandidate?.best?.c.flavour === 'person' && withCandidate.best.c.from > 0 && withCandidate.shown.matchedTokens[withCandidate.best.c.from - 1];
    // A sentence of another passage needs more coverage to replace the best one (src/answer/sentence-choice.ts).
    const share = withCandidate && withCandidate.passage !== pick.passage ? OTHER_PASSAGE_SHARE : NOT_STATED_SHARE;
    if (withCandidate && (titled || withCandidate.coverage >= share * pick.coverage)) pick = withCandidate;
    // Covered, but only by a weak sentence elsewhere: the best sentence is quoted without a short answer.
    else if (!withCandidate || withCandidate.coverage < NOT_STATED_SHARE * pick.coverage) notStated = true;
  }
  // "How many … per month?": a sentence whose figure is a rate beats one whose figure is not,
  // when it covers at least NOT_STATED_SHARE as much of the question.
  if (qa.rate && pick.best && !isRate(pick.shown.tokens, pick.best.c)) {
    let withRate: RankedSentence | null = null;
    for (const r of all) if (r.best && isRate(r.shown.tokens, r.best.c) && (!withRate || r.total > withRate.total)) withRate = r;
    if (withRate && withRate.coverage >= NOT_STATED_SHARE * pick.coverage) pick = withRate;
  }
  // A person named by surname only: the sentence naming them in full, when it scores nearly as high.
  if (typed) pick = fullerName(pick, all);
  // The question's topic is another document's ("How much did the wind farm cost?" over a
  // swimming-pool report's "kostete"): the answer is sought there, or not stated (src/answer/topic-document.ts).
  if (typed && pick.best && passages.some((p) => p.doc.id !== passages[0].doc.id)) {
    // Topic words are frequent in their own document, so corpus idf undervalues them: the groups
    // weigh by their corpus-independent specificity (src/search/confidence.ts; frames stay 0).
    const weights = groups.map((g, i) => ((idfs[i] ?? 1) > 0 ? (g.specificity ?? 1) * (g.weight ?? 1) : 0));
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    // Only what the chosen sentence leaves out counts: does its document know that part at all?
    const missing = weights.map((x, g) => (pick!.shown.matchedGroups[g] ? 0 : x));
    const missShare = missing.reduce((a, b) => a + b, 0) / total;
    const units = all.map((r) => ({ docId: passages[r.passage].doc.id, matchedGroups: r.s.matchedGroups }));
    const chosenDoc = passages[pick.passage].doc.id;
    // Only a sentence that shares a single content group with the question (the asked attribute:
    // "kostete") is suspected of being about something else.
    const shared = weights.filter((x, g) => x > 0 && pick!.shown.matchedGroups[g]).length;
    const candidate = shared <= 1 && missShare >= TOPIC_MISSING_SHARE ? strongerTopicDocument(topicCoverage(units, missing), chosenDoc) : null;
    // … and it must cover at least as much of the whole question as the chosen sentence's document.
    const whole = candidate ? topicCoverage(units, weights) : null;
    const other = candidate && whole && (whole.get(candidate) ?? 0) >= (whole.get(chosenDoc) ?? 0) + TOPIC_WHOLE_MARGIN ? candidate : null;
    if (other) {
      const alt = topicDocumentPick(other, perPassage, passages, qa, options.isCommon ?? null);
      if (alt) pick = alt;
      else notStated = true;
    }
  }
  // An organisation in a sentence beside the matched ones ("Den Auftrag erhielt die X GmbH").
  let contextOrg = false;
  const where = typed ? wantsContextOrganisation(qa, pick.best?.c ?? null) : false;
  if (where) {
    let alt: RankedSentence | null = null;
    let altCover = 0;
    for (const [pi, list] of perPassage.entries()) {
      if (where === 'same' && pi !== pick.passage) continue;
      const cover = Math.max(0, ...list.map((r) => r.coverage));
      if (cover < CONTEXT_SHARE * pick.coverage || cover <= altCover) continue;
      const text = passages[list[0]?.passage ?? 0].doc.text;
      for (const r of list) {
        const c = strongOrganisation(text.slice(r.shown.span.start, r.shown.span.end), r.shown.tokens, qa.questionTerms, options.isCommon ?? null);
        if (!c) continue;
        alt = { ...r, best: { c, score: CONTEXT_SCORE } };
        altCover = cover;
        break;
      }
    }
    if (alt) {
      pick = alt;
      notStated = false;
      contextOrg = true;
    }
  }
  // Too little of the question in the best sentence: the asked-for fact is not there.
  if (pick.coverage < NOT_STATED_COVERAGE) notStated = true;
  // The sentence names neither the asked-for attribute nor a figure of its kind (src/answer/focus.ts).
  if (!notStated && !focusStated(focus, qa, groups, focusEvidence(pick, passages, options.isCommon ?? null))) notStated = true;
  // The topic is found but the chosen sentence lacks the question's specific part (src/answer/near-miss.ts).
  const nearMiss = nearMissFeatures(pickEvidence(pick, perPassage, groups, idfs, passages, options.unseen ?? groups.map(() => false)));
  if (options.onSentences) {
    const chosen = pick;
    options.onSentences(all.filter((r) => r.s.score > 0).map((r) => {
      const text = passages[r.passage].doc.text;
      const local = text.slice(r.shown.span.start, r.shown.span.end);
      return { features: features.get(r)!, facts: facts.get(r)!, quote: text.slice(r.quote.start, r.quote.end), short: r.best ? local.slice(r.best.c.start, r.best.c.end) : null, picked: r === chosen, ruleNotStated: notStated, passage: r.passage, passageScore: passages[r.passage].score, ...(r === chosen ? { nearMiss } : {}) };
    }));
  }
  if (!notStated && isNearMiss(nearMiss)) notStated = true;
  // The learned decision (near misses vs answered questions, scripts/train-ranker.ts).
  const ns = notStatedModel();
  if (ns && logistic(ns, features.get(pick)!) < ns.threshold) notStated = true;
  // Citations: the chosen sentence first's passage keeps its place; each passage is represented by
  // its best sentence; passages much less relevant than the chosen sentence are left out.
  const citations: Citation[] = [];
  const seen: Span[] = [];
  const seenDoc: string[] = [];
  let answerN = 0;
  for (const [pi, list] of perPassage.entries()) {
    let top: RankedSentence | null = null;
    for (const r of list) if (!top || r.total > top.total) top = r;
    if (pick.passage === pi) top = pick;
    if (!top || (top.s.score === 0 && top !== pick)) continue;
    if (top !== pick && top.coverage < RELEVANT_SHARE * pick.coverage) continue;
    const p = passages[pi];
    const q = top.quote;
    if (seen.some((x, i) => seenDoc[i] === p.doc.id && x.start < q.end && q.start < x.end)) {
      if (top === pick) {
        const i = seen.findIndex((x, k) => seenDoc[k] === p.doc.id && x.start < q.end && q.start < x.end);
        // The chosen sentence overlaps an earlier citation: widen that one to hold it.
        const c = citations[i];
        const start = Math.min(c.start, q.start);
        const end = Math.max(c.end, q.end);
        Object.assign(c, { start, end, quote: p.doc.text.slice(start, end), position: positionLabel(p.doc, start) });
        seen[i] = { start, end };
        answerN = c.n;
      }
      continue;
    }
    seen.push(q);
    seenDoc.push(p.doc.id);
    citations.push({
      n: citations.length + 1,
      document: { id: p.doc.id, title: p.doc.title, date: p.doc.date },
      quote: p.doc.text.slice(q.start, q.end),
      start: q.start,
      end: q.end,
      score: Math.round(p.score * 1000) / 1000,
      position: positionLabel(p.doc, q.start),
    });
    if (top === pick) answerN = citations.length;
  }
  if (citations.length === 0 || answerN === 0) return none();
  // The sentence the answer line quotes is citation [1]; the others keep their order.
  if (answerN !== 1) {
    const [own] = citations.splice(answerN - 1, 1);
    citations.unshift(own);
    citations.forEach((c, i) => (c.n = i + 1));
    answerN = 1;
  }
  if (options.cite !== undefined && citations.length > options.cite) citations.length = Math.max(1, options.cite);
  const docText = passages[pick.passage].doc.text;
  const sentence = highlight(docText, pick.shown);
  if (notStated) {
    const refs = citations.map((c) => `[${c.n}]`).join(' ');
    return { question, abstained: false, notStated: true, answerType: qa.type, answer: notStatedText(qa) + ' ' + refs, citations, mode: 'extractive' };
  }
  // The learned span scorer (src/answer/span.ts) chooses the short answer when trained.
  const learned = contextOrg ? null : learnedShort(question, qa, docText, pick.shown, pick.s.span, passages[pick.passage].doc.language, options.isCommon ?? null);
  if (learned) {
    return { question, abstained: false, notStated: false, answerType: qa.type, short: learned, answer: `**${escapeMd(learned)}** — ${sentence} [${answerN}]`, citations, mode: 'extractive' };
  }
  if (pick.best) {
    const local = docText.slice(pick.shown.span.start, pick.shown.span.end);
    // The answer line shows the whole phrase (unit, counted thing); `short` is the span proper (core-span.ts).
    const phrase = local.slice(pick.best.c.start, pick.best.c.end);
    const core = coreSpan(qa, pick.best.c, pick.shown.tokens, pick.shown.matchedTokens);
    const short = local.slice(core.start, core.end);
    return { question, abstained: false, notStated: false, answerType: answeredType(qa, pick.best.c.flavour), short, answer: `**${escapeMd(phrase)}** — ${sentence} [${answerN}]`, citations, mode: 'extractive' };
  }
  // Untyped "what/which" questions: the nearest noun phrase of the sentence is the short answer.
  if (qa.type === 'other') {
    const local = docText.slice(pick.shown.span.start, pick.shown.span.end);
    const np = bestPhrase(local, pick.shown.tokens, pick.shown.matchedTokens, qa.questionTerms, passages[pick.passage].doc.language === 'de');
    if (np && !chatConstructSpans(local).some(([a, b]) => np.start < b && a < np.end)) {
      const short = local.slice(np.start, np.end);
      return { question, abstained: false, notStated: false, answerType: qa.type, short, answer: `**${escapeMd(short)}** — ${sentence} [${answerN}]`, citations, mode: 'extractive' };
    }
  }
  // Yes/no questions: a verdict when the quoted sentence settles it (src/answer/yesno.ts).
  const verdict = yesNoVerdict(question, qa, groups, idfs, { text: docText.slice(pick.shown.span.start, pick.shown.span.end), ...pick.shown });
  if (verdict) {
    return { question, abstained: false, notStated: false, answerType: qa.type, verdict, answer: `${verdictLine(verdict, qa.language)} — ${sentence} [${answerN}]`, citations, mode: 'extractive' };
  }
  return { question, abstained: false, notStated: false, answerType: qa.type, answer: `${sentence} [${answerN}]`, citations, mode: 'extractive' };
}

/**
 * The best candidate of the asked type in a quoted span (`text` = the span, `shown` its scored
 * tokens): chat constructs, candidates before `ownFrom` (a pronoun sentence's antecedent) and
 * mere repetitions of the question are skipped; several figures of the asked kind are narrowed by
 * src/answer/figure-choice.ts. The score is the best candidate score of the span (the narrowed
 * best is the one returned).
 * @returns null when no candidate fits the type.
 */
function bestTypedCandidate(qa: QuestionAnalysis, text: string, shown: ScoredSentence, ownFrom: number, isCommon: IsCommonWord | null): RankedSentence['best'] {
  // A snowflake in "<@123…>", a time in "<t:…>" or part of a link is no answer (src/text/markdown.ts).
  const constructs = chatConstructSpans(text);
  const scored: { c: Candidate; score: number }[] = [];
  for (const c of findCandidates(text, shown.tokens, isCommon)) {
    if (constructs.some(([a, b]) => c.start < b && a < c.end)) continue;
    if (c.start < ownFrom) continue;
    if (!answerLike(c, shown.tokens, shown.matchedTokens, qa.questionTerms) || nameInRole(qa, c, text, shown.tokens, shown.matchedTokens)) continue;
    const score = candidateScore(qa, c, shown.tokens, shown.matchedTokens);
    if (score > 0) scored.push({ c, score });
  }
  // Several figures or dates of the asked kind: the rules of figure-choice.ts narrow them.
  const cs = scored.map((x) => x.c);
  // The span keeps the score of its best candidate; the narrowed best is the one shown.
  let top = 0;
  for (const x of scored) top = Math.max(top, x.score);
  let best: RankedSentence['best'] = null;
  for (const i of narrowFigures(qa, cs, cs.map((_, i) => i), shown.tokens, shown.matchedTokens)) if (!best || scored[i].score > best.score) best = scored[i];
  return best ? { c: best.c, score: top } : null;
}

/**
 * The answer sentence in document `docId` (see src/answer/topic-document.ts): among its retrieved
 * passages, the sentence with a candidate of the asked type — also sentences that match no
 * question word ("The total investment amounted to 2.1 billion pounds") — ranked by its passage's
 * best coverage, its own coverage, its candidate score and its distance to the passage's best
 * sentence. Null when the document offers no candidate.
 */
function topicDocumentPick(docId: string, perPassage: RankedSentence[][], passages: Passage[], qa: QuestionAnalysis, isCommon: IsCommonWord | null): RankedSentence | null {
  let pick: RankedSentence | null = null;
  let value = -Infinity;
  for (const list of perPassage) {
    if (list.length === 0 || passages[list[0].passage].doc.id !== docId) continue;
    let top = 0;
    for (const [i, r] of list.entries()) if (r.coverage > list[top].coverage) top = i;
    const passageCover = list[top].coverage;
    for (const [i, r] of list.entries()) {
      const text = passages[r.passage].doc.text.slice(r.quote.start, r.quote.end);
      const best = r.best ?? bestTypedCandidate(qa, text, r.shown, 0, isCommon);
      if (!best) continue;
      const v = passageCover + r.coverage + CANDIDATE_WEIGHT * best.score - TOPIC_DISTANCE_COST * Math.abs(i - top);
      if (v > value) [pick, value] = [{ ...r, best, coverage: Math.max(r.coverage, passageCover), s: r.s.score > 0 ? r.s : { ...r.s, score: 1e-9 } }, v];
    }
  }
  return pick;
}

/** Cost per sentence between a candidate sentence and its passage's best-covering one (set by hand on the fresh-trial documents). */
const TOPIC_DISTANCE_COST = 0.05;

/** The chosen sentence's quoted span as src/answer/focus.ts reads it. */
function focusEvidence(r: RankedSentence, passages: Passage[], isCommon: IsCommonWord | null) {
  const text = passages[r.passage].doc.text.slice(r.shown.span.start, r.shown.span.end);
  return { matchedGroups: r.shown.matchedGroups, tokens: r.shown.tokens, candidates: findCandidates(text, r.shown.tokens, isCommon) };
}

/** What src/answer/near-miss.ts reads of the chosen sentence and the other sentences scored. */
function pickEvidence(pick: RankedSentence, perPassage: RankedSentence[][], groups: QueryGroup[], idfs: number[], passages: Passage[], unseen: boolean[]): PickEvidence {
  const doc = passages[pick.passage].doc.id;
  const others = perPassage.flat()
    .filter((r) => r !== pick && !(r.s.span.start === pick.s.span.start && passages[r.passage].doc.id === doc))
    .map((r) => ({ samePassage: r.passage === pick.passage, groups: r.shown.matchedGroups, coverage: r.coverage }));
  return { idfs, specificity: groups.map((g) => g.specificity ?? 1), unseen, pickGroups: pick.shown.matchedGroups, coverage: pick.coverage, others };
}

/** A probe candidate (only to keep typeFit total for every type). */
const DUMMY_PROBE: Candidate = { kind: 'name', unit: null, flavour: null, from: 0, to: 0, start: 0, end: 0 };

/** A typed question falls back to "not stated" when the best sentence with a candidate covers less than this share of the best sentence's coverage. */
const NOT_STATED_SHARE = 0.35;
/** Candidate score factor for a referent found through a definite description (one step removed from the sentence). */
const ANTECEDENT_DISCOUNT = 0.8;
/** Share of the joint coverage a dependent sentence gets with the sentence it refers to (tuning split). */
const DEPENDENT_DISCOUNT = 0.9;

const WHAT_EN: Record<string, string> = {
  speed: 'how fast', weight: 'the weight', money: 'the cost or amount of money', distance: 'the distance or size',
  percent: 'the percentage', area: 'the area', temperature: 'the temperature', power: 'the power or capacity', count: 'the number', any: 'the figure',
};
const WHAT_DE: Record<string, string> = {
  speed: 'die Geschwindigkeit', weight: 'das Gewicht', money: 'den Preis oder Betrag', distance: 'die Entfernung oder Größe',
  percent: 'den Anteil', area: 'die Fläche', temperature: 'die Temperatur', power: 'die Leistung', count: 'die Anzahl', any: 'die Zahl',
};
const TYPE_EN: Record<string, string> = { date: 'when', place: 'where', person: 'who', organisation: 'which organisation', duration: 'how long' };
const TYPE_DE: Record<string, string> = { date: 'wann', place: 'wo', person: 'wer', organisation: 'welche Organisation', duration: 'wie lange' };

/** "The documents do not say …; closest passages:" in the asker's language. */
export function notStatedText(qa: QuestionAnalysis): string {
  const topic = escapeMd(qa.topic);
  if (qa.language === 'de') {
    const what = qa.type === 'number' ? WHAT_DE[qa.unit ?? 'any'] : TYPE_DE[qa.type] ?? 'das Gefragte';
    return `Die Dokumente nennen nicht ${what} (${topic}); nächstliegende Stellen:`;
  }
  const what = qa.type === 'number' ? WHAT_EN[qa.unit ?? 'any'] : TYPE_EN[qa.type] ?? 'this';
  return `The documents do not say ${what} (${topic}); closest passages:`;
}
