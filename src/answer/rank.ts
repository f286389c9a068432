/**
 * Scoring answer candidates and answer sentences, after the density/proximity scoring of factoid
 * QA passage retrieval (Tellex et al., "Quantitative evaluation of passage retrieval algorithms
 * for question answering", SIGIR 2003; the TREC-era systems they compare): a candidate of the
 * expected answer type scores by how close it stands to the matched question words in the same
 * sentence, and a sentence by how much of the question (idf mass) it covers.
 *
 * The constants below were set by hand on the TUNING part of the XQuAD dev split
 * (scripts/lib/split.ts) with scripts/answer-eval.ts; the reporting part was not used to set them.
 */
import { unitFamily, type Candidate } from './candidates.js';
import type { QuestionAnalysis } from './question.js';
import type { Token } from '../text/tokenize.js';

/**
 * How well a candidate's kind fits the expected answer type, 0 (not an answer of that type) to 1.
 * Untyped questions (`other`, `yesno`) accept no candidate: their answer is the sentence.
 * @param tokens the sentence's tokens (candidate indices point into them); without them the
 *   year-question rule ({@link NOT_JUST_A_YEAR}) is not applied.
 */
export function typeFit(q: QuestionAnalysis, c: Candidate, tokens?: Token[]): number {
  switch (q.type) {
    case 'number': {
      // "How many panels …": a time span ("for 40 years") counts no panels.
      if (q.countNoun && !TIME_UNIT.test(q.countNoun) && (c.kind === 'duration' || (c.kind === 'number' && tokens && TIME_UNIT.test(tokens[c.to + 1]?.norm ?? '')))) return 0;
      // "How many seconds were left?": a duration in the asked unit ("17 Sekunden") is the answer.
      if (c.kind === 'duration' && q.countNoun && TIME_UNIT.test(q.countNoun)) return 1;
      // … and a count of other things ("11 Punkte") is none.
      if (c.kind === 'number' && c.unit === 'count' && q.countNoun && TIME_UNIT.test(q.countNoun)) return COUNT_FOR_TIME;
      if (c.kind === 'duration') return q.unit === 'count' || q.unit === 'any' ? 0.6 : q.orDuration ? 1 : 0;
      // "How long was it in operation?" — "von 1870 bis 1939": a span of years answers it.
      if (q.orDuration && tokens && isYearRange(tokens, c)) return 1;
      // A date is never a count or a measure ("10 September" for "how many panels").
      if (c.kind === 'number' && tokens && hasMonth(tokens, c)) return 0;
      // "by 2026" is a year, not a number of panels.
      if (q.countNoun && c.kind === 'number' && c.unit === 'any' && tokens && c.from === c.to && /^(1\d|20)\d\d$/.test(tokens[c.from].norm)) return 0;
      if (c.kind !== 'number') return 0;
      if (q.unit === 'count' || q.unit === 'any') {
        if (c.unit === 'count') return 1;
        if (c.unit === 'any') return 0.8;
        if (q.unit === 'any') return 0.9;
        // "Wie viele Windräder …?" is no question for "twelve miles", unless it names the unit ("how many miles").
        if ([...q.questionTerms].some((w) => unitFamily(w) === c.unit)) return 0.5;
        // "How many panels …": a measure ("120-megawatt") counts no panels.
        return q.countNoun ? 0 : MEASURE_FOR_COUNT;
      }
      return c.unit === q.unit ? 1 : 0;
    }
    case 'duration':
      return c.kind === 'duration' || (tokens !== undefined && isYearRange(tokens, c)) ? 1 : 0;
    case 'date':
      if (c.kind !== 'date') return 0;
      // "In which year …": a full date ("am 25. Februar 2010") is no answer when the year stands in
      // it (the year alone is a candidate of its own); a month without a year fits less.
      if (!q.year || !tokens || !hasDayOrMonth(tokens, c)) return 1;
      return hasYear(tokens, c) ? 0 : NOT_JUST_A_YEAR;
    case 'person':
      // "Who approved …?" — "The local council has approved …" (src/answer/bodies.ts).
      if (c.kind === 'body') return q.personNoun ? 0 : BODY_FIT_PERSON;
      if (c.kind !== 'name') return 0;
      // "Insolvenz", "Forschung": a lone German abstract noun is never a person.
      if (c.flavour !== 'person' && c.from === c.to && tokens && ABSTRACT_NOUN.test(tokens[c.from].norm)) return 0;
      // "Who is the director of …" asks for a person: no organisation or place answers it.
      if (q.personNoun && (c.flavour === 'organisation' || c.flavour === 'place')) return 0;
      // "Who makes …?" is often answered by a company.
      return c.flavour === 'person' ? 1 : c.flavour === 'organisation' ? 0.7 : c.flavour === null ? 0.6 : 0.2;
    case 'organisation':
      if (c.kind === 'quoted') return c.flavour === 'organisation' || q.media ? 1 : 0.7;
      if (c.kind === 'body') return q.media ? 0 : BODY_FIT_ORGANISATION;
      if (c.kind !== 'name') return 0;
      return c.flavour === 'organisation' ? 1 : c.flavour === null ? 0.6 : 0.3;
    case 'place':
      if (c.kind !== 'name') return 0;
      return c.flavour === 'place' ? 1 : c.flavour === null ? 0.6 : 0.25;
    default:
      return 0;
  }
}

/**
 * Score of one candidate in its sentence: type fit × proximity, 0 when the candidate only
 * repeats the question (its words are all question words or matched terms).
 * @param matched per token of the sentence: true when it matched a question group.
 * @returns a score in [0, 1].
 */
export function candidateScore(q: QuestionAnalysis, c: Candidate, tokens: Token[], matched: boolean[]): number {
  const fit = typeFit(q, c, tokens);
  if (fit === 0) return 0;
  let own = 0;
  for (let k = c.from; k <= c.to; k++) {
    const t = tokens[k];
    if (matched[k] || q.questionTerms.has(t.norm)) continue;
    // A body is named by common nouns ("the local council", src/answer/bodies.ts).
    if (/^\d/.test(t.norm) || t.capitalized || c.kind === 'date' || c.kind === 'number' || c.kind === 'duration' || c.kind === 'body') own++;
  }
  if (own === 0) return 0;
  // "How many seconds …": a number phrase naming the asked-for thing fits better.
  let names = false;
  for (let k = c.from; k <= c.to; k++) if (matched[k] && !/^\d/.test(tokens[k].norm)) names = true;
  // A number that is only a code of the question ("ZT-180") is not the answer.
  let dist = Infinity;
  for (let k = 0; k < tokens.length; k++) {
    if (!matched[k] || (k >= c.from && k <= c.to)) continue;
    dist = Math.min(dist, k < c.from ? c.from - k : k - c.to);
  }
  const proximity = dist === Infinity ? 0.2 : 1 / (1 + Math.max(0, dist - 1) / PROXIMITY_SCALE);
  // "How many … per month?": a figure that is no rate ("100 Drohnen" beside "100 Drohnen im Monat") fits less.
  const rate = q.rate && c.kind === 'number' && !isRate(tokens, c) ? NOT_A_RATE : 1;
  return fit * proximity * rate * (names && c.kind !== 'name' && c.kind !== 'body' ? NAMED_BONUS : 1);
}

/** True for a number candidate that is a range of two years ("1870 bis 1939", "1914–1918", "from 1870 to 1939"). */
function isYearRange(tokens: Token[], c: Candidate): boolean {
  if (c.kind !== 'number' || c.to - c.from < 1) return false;
  let years = 0;
  for (let k = c.from; k <= c.to; k++) if (/^(1\d|20)\d\d$/.test(tokens[k].norm)) years++;
  return years === 2;
}

/** German abstract-noun endings (-enz, -ung, -heit, -keit, -schaft, -tät, -ion, -ismus): such a word is no person's name. */
const ABSTRACT_NOUN = /^\p{L}{3,}(enz|ung|heit|keit|schaft|tät|ion|ismus)$/u;

/** Multiplier for a date with a day or month when the question asks for the year. */
export const NOT_JUST_A_YEAR = 0.8;

const MONTH_OR_DAY = /^(\d{1,2}|januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|january|february|march|may|june|july|october|december)$/;

/** True when the date candidate holds a year (1000–2099). */
function hasYear(tokens: Token[], c: Candidate): boolean {
  for (let k = c.from; k <= c.to; k++) if (/^(1\d|20)\d\d$/.test(tokens[k].norm)) return true;
  return false;
}

/** True when the candidate holds a month name or follows one. */
function hasMonth(tokens: Token[], c: Candidate): boolean {
  // "10 September 2024": the year after a month name belongs to the date too.
  for (let k = Math.max(0, c.from - 1); k <= c.to; k++) if (MONTH_OR_DAY.test(tokens[k].norm) && !/^\d/.test(tokens[k].norm)) return true;
  return false;
}

/** True when the date candidate holds a day number or a month name. */
function hasDayOrMonth(tokens: Token[], c: Candidate): boolean {
  for (let k = c.from; k <= c.to; k++) if (MONTH_OR_DAY.test(tokens[k].norm)) return true;
  return false;
}

/**
 * Fit of a body named by a common noun ("the local council") for "who" and "which organisation"
 * questions: below a named person (1) or organisation (1), so a name in the same sentence wins
 * (set by hand on tests/fixtures/kinds; the tuning part is unchanged by it).
 */
export const BODY_FIT_PERSON = 0.5;
export const BODY_FIT_ORGANISATION = 0.8;

/** Fit of a count of things ("11 Punkte") for "how many seconds/years …" (tuning part). */
export const COUNT_FOR_TIME = 0.5;

/** Fit of a measure ("twelve miles") for a count question that names no unit of its kind. */
export const MEASURE_FOR_COUNT = 0.3;

/** Multiplier for a figure that is no rate when the question asks for one ("per month"). */
export const NOT_A_RATE = 0.5;

const TIME_UNIT = /^(sekunde|sekunden|minute|minuten|stunde|stunden|tag|tage|tages|woche|wochen|monat|monate|monats|jahr|jahre|jahres|second|seconds|minute|minutes|hour|hours|day|days|week|weeks|month|months|year|years|annum)$/;
const RATE_WORD = /^(stündlich|täglich|wöchentlich|monatlich|jährlich|hourly|daily|weekly|monthly|yearly|annually|jährliche[nmrs]?|monatliche[nmrs]?|tägliche[nmrs]?)$/;

/** True when the number phrase, or the two tokens after it, name a rate ("im Monat", "pro Jahr", "jährlich"). */
export function isRate(tokens: Token[], c: Candidate): boolean {
  for (let k = Math.max(0, c.from - 2); k <= Math.min(tokens.length - 1, c.to + 2); k++) {
    const n = tokens[k].norm;
    if (RATE_WORD.test(n)) return true;
    if (TIME_UNIT.test(n) && k > 0 && /^(pro|je|im|am|per|a|an|each|every|in)$/.test(tokens[k - 1].norm)) return true;
  }
  return false;
}

/** Multiplier for a number phrase that contains a matched question word ("17 Sekunden" for "how many seconds"). */
export const NAMED_BONUS = 1.25;

/** Token distance at which proximity halves (tuning split). */
export const PROXIMITY_SCALE = 4;

/**
 * Weight of the best candidate's score in a sentence's score, relative to coverage in [0, 1].
 * A sentence that covers the question a little less but holds an answer of the right type wins.
 */
export const CANDIDATE_WEIGHT = 0.35;

/** Sentences of later passages lose this share per rank (the retrieval order still counts). */
export const RANK_DECAY = 0.9;

/**
 * Below this share of the question's idf mass, the best sentence with a typed candidate does not
 * count as answering a typed question: the reply is "not stated" (tuning split; near-miss run vs
 * false abstentions).
 */
export const NOT_STATED_COVERAGE = 0.0;

/** A citation is kept only when its sentence covers at least this share of the best sentence's coverage. */
export const RELEVANT_SHARE = 0.34;
