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
const NUMBER_MODIFIERS = new Set([
  'rund', 'etwa', 'ca', 'circa', 'mindestens', 'höchstens', 'fast', 'knapp', 'über', 'unter', 'bis', 'zu', 'mehr', 'als',
  'weniger', 'insgesamt', 'about', 'around', 'approximately', 'at', 'least', 'most', 'up', 'to', 'over', 'nearly', 'almost', 'some',
]);

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

/** Escape Discord/Markdown emphasis characters in text we wrap in bold. */
function escapeMd(s: string): string {
  return s.replace(/([*_~`|\\])/g, '\\$1');
}

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
function numberPhrase(text: string, s: ScoredSentence): string | null {
  const nums = s.tokens.map((t, i) => (/^\d/.test(t.norm) ? i : -1)).filter((i) => i >= 0);
  if (nums.length === 0) return null;
  const matched = s.tokens.map((_, i) => i).filter((i) => s.matchedTokens[i] && !/\d/.test(s.tokens[i].norm));
  const dist = (i: number) => (matched.length ? Math.min(...matched.map((m) => Math.abs(m - i))) : i);
  const best = nums.reduce((a, b) => (dist(b) < dist(a) ? b : a));
  let from = best;
  while (from > 0 && NUMBER_MODIFIERS.has(s.tokens[from - 1].norm)) from--;
  let to = best;
  const local = text.slice(s.span.start, s.span.end);
  while (to + 1 < s.tokens.length && to - best < 4) {
    const gap = local.slice(s.tokens[to].end, s.tokens[to + 1].start);
    if (/[,;:.!?()"„“”]/.test(gap)) break;
    to++;
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
    for (const span of sentences) {
      const s = scoreSentence(p.doc.text, span, p.doc.language, groups, idfs, decompounder);
      if (!top || s.score > top.score) top = s;
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
  const phrase = expectsNumber(question) ? numberPhrase(docText, best[pick]) : null;
  const answer = phrase
    ? `**${escapeMd(phrase)}** [${pick + 1}]`
    : `${highlight(docText, best[pick])} [${pick + 1}]`;
  return { question, abstained: false, answer, citations, mode: 'extractive' };
}
