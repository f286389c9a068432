/**
 * Extractive answers: the best sentence(s) of the top passages, cited verbatim.
 *
 * A sentence's score is the idf mass of the query groups it contains (the same groups the search
 * used, so an English question matches German sentences through its translations). Each cited
 * passage is represented by its best sentence; the answer is the best sentence among the first
 * passages, with matched words and numbers in bold, and — for "how many / wie viele / when"
 * questions — the number phrase nearest to the matched words as the short answer.
 */
import { splitSentences, type Span } from '../text/sentences.js';
import { escapeMarkdown } from '../text/markdown.js';
import { paragraphSpans } from '../text/chunk.js';
import { tokenize, type Token } from '../text/tokenize.js';
import { termsOfTokens } from '../text/terms.js';
import { stemLang } from '../text/stem.js';
import type { Decompounder } from '../text/decompound.js';
import type { QueryGroup } from '../search/lexical.js';
import type { Answer, Citation, DocumentRef } from './types.js';
import type { PageSpan } from '../corpus/types.js';

/** A retrieved passage with what extraction needs of its document. */
export interface Passage {
  doc: DocumentRef & { text: string; language: string; bodyStart: number; pages: PageSpan[] | null };
  start: number;
  end: number;
  score: number;
}

/** Text shown when the documents do not answer. */
export const ABSTAIN_TEXT = 'The documents do not answer this question.';

/** Passages among which the answer sentence is chosen (later ranks lose 15% each). */
const ANSWER_POOL = 3;
const RANK_DECAY = 0.85;

const NUMBER_QUESTION =
  /\b(how (many|much|long|old|far|large|big|high|heavy)|wie (viele?|lange|alt|weit|groß|hoch|schwer)|wann|when|what year|which year|in welchem jahr|how often|wie oft)\b/i;
/** Words that may link a number to what it counts ("im Monat", "pro Jahr", "bis 50", "per month"). */
const PHRASE_LINKS = new Set(['im', 'pro', 'je', 'per', 'a', 'am', 'des', 'der', 'bis', 'und', 'in', 'a', 'each', 'every', 'to', 'and']);
const NUMBER_MODIFIERS = new Set([
  'rund', 'etwa', 'ca', 'circa', 'mindestens', 'höchstens', 'fast', 'knapp', 'über', 'unter', 'bis', 'zu', 'mehr', 'als',
  'weniger', 'insgesamt', 'about', 'around', 'approximately', 'at', 'least', 'most', 'up', 'to', 'over', 'nearly', 'almost', 'some',
]);

/** Month names (German and English): a date answer for "when" questions. */
const MONTH = /^(januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|january|february|march|may|june|july|october|december)$/;

/** True for tokens that can answer a number/date question: numbers, years, month names. */
function isQuantity(norm: string): boolean {
  return /^\d/.test(norm) || MONTH.test(norm);
}

/**
 * For number/date questions, a sentence that states a quantity gains this share of the best
 * possible match score: among sentences matching the question equally, the one with the figure wins.
 */
const QUANTITY_BONUS = 0.5;

function hasQuantity(s: ScoredSentence): boolean {
  return s.tokens.some((t) => isQuantity(t.norm));
}

/** "When" questions want a date: month names and years beat other numbers. */
const WHEN_QUESTION = /\b(when|wann|what year|which year|in welchem jahr|bis wann|seit wann)\b/i;

/** Does the question ask for a number or date? */
export function expectsNumber(question: string): boolean {
  return NUMBER_QUESTION.test(question);
}

interface ScoredSentence {
  span: Span;
  score: number;
  tokens: Token[];
  matchedTokens: boolean[];
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
  const tokenTerms = tokens.map((t) => new Set(termsOfTokens([t], sl, decompounder)));
  const all = new Set<string>();
  tokenTerms.forEach((s) => s.forEach((x) => all.add(x)));
  let score = 0;
  const matchedTokens = tokens.map(() => false);
  groups.forEach((g, i) => {
    if (!g.terms.some((t) => all.has(t))) return;
    score += idfs[i] ?? 1;
    tokenTerms.forEach((terms, ti) => {
      if (g.terms.some((t) => terms.has(t))) matchedTokens[ti] = true;
    });
  });
  return { span, score, tokens, matchedTokens };
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

/** The sentence text with matched tokens and numbers in **bold** (Markdown). */
function highlight(text: string, s: ScoredSentence): string {
  const base = s.span.start;
  let out = '';
  let pos = base;
  s.tokens.forEach((t, i) => {
    if (!s.matchedTokens[i] && !/\d/.test(t.norm)) return;
    const a = base + t.start;
    const b = base + t.end;
    if (a < pos) return;
    out += escapeMd(text.slice(pos, a)) + '**' + escapeMd(text.slice(a, b)) + '**';
    pos = b;
  });
  out += escapeMd(text.slice(pos, s.span.end));
  return out.replace(/\*\*(\s*)\*\*/g, '$1');
}

/** The number phrase nearest to the matched words ("rund 100 Drohnen im Monat"), or null. */
function numberPhrase(text: string, s: ScoredSentence, when: boolean): string | null {
  let nums = s.tokens.map((t, i) => (isQuantity(t.norm) ? i : -1)).filter((i) => i >= 0);
  const dates = nums.filter((i) => MONTH.test(s.tokens[i].norm) || /^(1[5-9]|20)\d\d$/.test(s.tokens[i].norm));
  if (when && dates.length > 0) nums = dates;
  if (nums.length === 0) return null;
  const matched = s.tokens.map((_, i) => i).filter((i) => s.matchedTokens[i] && !/\d/.test(s.tokens[i].norm));
  const dist = (i: number) => (matched.length ? Math.min(...matched.map((m) => Math.abs(m - i))) : i);
  const best = nums.reduce((a, b) => (dist(b) < dist(a) ? b : a));
  let from = best;
  while (from > 0 && NUMBER_MODIFIERS.has(s.tokens[from - 1].norm)) from--;
  let to = best;
  const local = text.slice(s.span.start, s.span.end);
  const tok = (i: number) => s.tokens[i];
  const joined = (i: number) => !/[,;:.!?()"„“”]/.test(local.slice(tok(i - 1).end, tok(i).start));
  const dateTarget = MONTH.test(tok(best).norm);
  // Extend right over the unit and what it counts ("100 Drohnen im Monat", "35 bis 50 Kilogramm"):
  // numbers, capitalised nouns, and short linking words followed by one of those.
  while (to + 1 < s.tokens.length && to - best < 5 && joined(to + 1)) {
    const next = tok(to + 1);
    const isNumber = /^\d/.test(next.norm);
    if (dateTarget ? isNumber : isNumber || next.capitalized) {
      to++;
      continue;
    }
    const after = s.tokens[to + 2];
    if (!dateTarget && PHRASE_LINKS.has(next.norm) && after && joined(to + 2) && (after.capitalized || /^\d/.test(after.norm))) {
      to += 2;
      continue;
    }
    break;
  }
  return local.slice(s.tokens[from].start, s.tokens[to].end);
}

/**
 * Build a cited extractive answer.
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
): Answer {
  if (abstain || passages.length === 0) return { question, abstained: true, answer: ABSTAIN_TEXT, citations: [], mode: 'extractive' };
  const citations: Citation[] = [];
  const best: ScoredSentence[] = [];
  const seen: { docId: string; start: number; end: number }[] = [];
  for (const p of passages) {
    const local = p.doc.text.slice(p.start, p.end);
    const sentences = splitSentences(local, p.doc.language).map((s) => ({ start: s.start + p.start, end: s.end + p.start }));
    if (sentences.length === 0) continue;
    let top: ScoredSentence | null = null;
    const wantsQuantity = expectsNumber(question);
    const bonus = QUANTITY_BONUS * Math.max(...idfs, 1);
    const scored = sentences.map((span) => {
      const s = scoreSentence(p.doc.text, span, p.doc.language, groups, idfs, decompounder);
      if (wantsQuantity && s.score > 0 && hasQuantity(s)) s.score += bonus;
      return s;
    });
    let topIndex = -1;
    for (let i = 0; i < scored.length; i++) {
      if (!top || scored[i].score > top.score) {
        top = scored[i];
        topIndex = i;
      }
    }
    // A figure often sits in the sentence after the one that names the subject ("Es wäre nicht die
    // erste Fabrik … In dieser sollen mindestens 6.000 …"): quote both when only the neighbour has it.
    if (top && wantsQuantity && !hasQuantity(top)) {
      const next = scored[topIndex + 1];
      if (next && next.score > 0 && hasQuantity(next)) {
        top = scoreSentence(p.doc.text, { start: top.span.start, end: next.span.end }, p.doc.language, groups, idfs, decompounder);
      }
    }
    if (!top) continue;
    const overlaps = seen.some((x) => x.docId === p.doc.id && x.start < top!.span.end && top!.span.start < x.end);
    if (overlaps) continue;
    seen.push({ docId: p.doc.id, start: top.span.start, end: top.span.end });
    best.push(top);
    citations.push({
      n: citations.length + 1,
      document: { id: p.doc.id, title: p.doc.title, date: p.doc.date },
      quote: p.doc.text.slice(top.span.start, top.span.end),
      start: top.span.start,
      end: top.span.end,
      score: Math.round(p.score * 1000) / 1000,
      position: positionLabel(p.doc, top.span.start),
    });
  }
  if (citations.length === 0) return { question, abstained: true, answer: ABSTAIN_TEXT, citations: [], mode: 'extractive' };
  let pick = 0;
  for (let i = 1; i < Math.min(ANSWER_POOL, best.length); i++) {
    if (best[i].score * Math.pow(RANK_DECAY, i) > best[pick].score * Math.pow(RANK_DECAY, pick) * 1.0001) pick = i;
  }
  const docText = passages.find((p) => p.doc.id === citations[pick].document.id)!.doc.text;
  const phrase = expectsNumber(question) ? numberPhrase(docText, best[pick], WHEN_QUESTION.test(question)) : null;
  const answer = phrase
    ? `**${escapeMd(phrase)}** [${pick + 1}]`
    : `${highlight(docText, best[pick])} [${pick + 1}]`;
  return { question, abstained: false, answer, citations, mode: 'extractive' };
}
