/**
 * The answer span proper of a typed candidate, as SQuAD annotators mark it: the words a
 * candidate phrase carries around its core that the question already names or that only hedge
 * the figure are left out of the `short` answer (the answer line still shows the whole phrase).
 *
 * - an approximating word before a figure or date ("rund", "etwa", "nur", "about", "only") is
 *   dropped; bounds that change the amount ("über", "mehr als", "bis zu", "more than") stay;
 * - a count's counted noun and the words between it and the figure ("zwei verschiedene Teams",
 *   "nur 308 Punkte", "390 Personen") are dropped (the noun is what "how many" names, or what
 *   the answer line shows beside the span), and a rate tail ("im Monat", "per month") when the
 *   question names the period; a frequency word ("zwei Mal") and units of measure ("515
 *   Millionen Jahren", "240 million euros", "50 metres") always stay;
 * - a date loses its leading article-like preposition ("am 8. Februar 2007", "im Sommer 1521",
 *   "in May 2026"), but not one that changes its meaning ("bis April", "seit 2010", "ab 1851").
 *
 * XQuAD gold spans show these conventions ("308" for "how many points", "8. Februar 2007",
 * "über 70.000"); the rules were checked on the TUNING part of the dev split only
 * (scripts/answer-eval.ts --part tuning). Linear in the candidate length.
 */
import type { Token } from '../text/tokenize.js';
import { isFigureWord, unitFamily, type Candidate } from './candidates.js';
import type { QuestionAnalysis } from './question.js';

/** Words before a figure that only hedge it (EN, DE); they are no part of the answer span. */
const HEDGE = new Set(['rund', 'etwa', 'ca', 'circa', 'ungefähr', 'annähernd', 'nur', 'insgesamt', 'bereits', 'schon', 'about', 'around', 'approximately', 'roughly', 'some', 'only', 'just']);
/** Prepositions before a date that SQuAD leaves out of the span ("am 8. Februar", "in the spring of 1848"). */
const DATE_ARTICLE = new Set(['am', 'im', 'in', 'on', 'at', 'the', 'dem']);
const SCALE = /^(millionen|million|millions|mio|milliarden|milliarde|billion|billions|mrd|tausend|thousand|hundert|hundred|billionen|trillion)$/;
const PERIOD = /^(sekunde|stunde|tag|woche|monat|jahr|second|hour|day|week|month|year|annum)/;
const TIMES = /^(mal|times)$/;
const RATE_LEAD = /^(pro|je|im|am|per|a|an|each|every|in)$/;

/** A token range inside the sentence (inclusive) with its character offsets (end exclusive). */
export interface CoreSpan {
  from: number;
  to: number;
  start: number;
  end: number;
}

/**
 * The core span of `c` in its sentence.
 * @param tokens the sentence tokens `c` indexes; `matched` per token: true when it matched a question group.
 * @returns the (possibly equal) narrower range; never empty: a candidate that would lose all its
 *   tokens is returned as it was.
 */
export function coreSpan(qa: QuestionAnalysis, c: Candidate, tokens: Token[], matched: boolean[]): CoreSpan {
  let from = c.from;
  let to = c.to;
  const named = (k: number) => matched[k] || qa.questionTerms.has(tokens[k].norm);
  if (c.kind === 'number' || c.kind === 'duration') {
    while (from < to && HEDGE.has(tokens[from].norm)) from++;
  }
  // "How many seconds …": the unit the question names is no part of the span ("17" of "17 Sekunden").
  if (c.kind === 'duration' && to > from && named(to) && qa.type === 'number') to--;
  if (qa.year && c.kind === 'date' && c.from < c.to && /^(1\d|20)\d\d$/.test(tokens[c.to].norm)) {
    // "In which year …": the year alone ("1851" of "ab 1851").
    let leads = true;
    for (let k = from; k < to; k++) if (/^\d/.test(tokens[k].norm)) leads = false;
    if (leads) from = to;
  }
  if (c.kind === 'date') {
    while (from < to && DATE_ARTICLE.has(tokens[from].norm)) from++;
  }
  if (c.kind === 'number' && c.unit === 'count') {
    // The figure itself: the last digit, number word or scale word of the phrase.
    let figure = -1;
    for (let k = from; k <= to; k++) if (isFigureWord(tokens[k].norm) || SCALE.test(tokens[k].norm)) figure = k;
    if (figure >= from && figure < to) {
      let end = to;
      // "100 Drohnen im Monat": a rate tail the question names ("per month") goes first; a rate
      // the question does not ask for stays, and with it the counted noun before it.
      const rateTail = end - 1 > figure && RATE_LEAD.test(tokens[end - 1].norm) && PERIOD.test(tokens[end].norm);
      const keepTail = rateTail && !named(end) && !qa.rate;
      if (rateTail && !keepTail) end -= 2;
      // The counted noun (the last word left) and the words between it and the figure: SQuAD spans
      // hold the figure alone whether or not the question names the noun ("390" for "how many
      // settlers" in "390 Personen"); tuning part, short F1 EN→DE +0.023 vs +0.016 for named nouns only.
      // "zwei Mal", "three times" answer "how often": the frequency word stays.
      if (!keepTail && end > figure && end - figure <= 4 && !TIMES.test(tokens[end].norm)) end = figure;
      to = end;
    }
  }
  // "5-Zylinder-Zweitaktmotor" for "how many cylinders": the figure glued to a noun by a hyphen.
  if (c.kind === 'number' && c.unit !== null && ['count', 'any'].includes(c.unit) && from === to) {
    const glued = /^(\d[\d.,]*)-\p{L}/u.exec(tokens[from].norm);
    if (glued && !unitFamily(tokens[from].norm.slice(glued[1].length + 1).split('-')[0])) {
      const start = tokens[from].start;
      return { from, to, start, end: start + glued[1].length };
    }
  }
  if (from === c.from && to === c.to) return { from, to, start: c.start, end: c.end };
  // Keep a currency sign written before the figure ("£38 million"): the candidate starts there.
  const start = from === c.from ? c.start : tokens[from].start;
  return { from, to, start, end: tokens[to].end };
}
