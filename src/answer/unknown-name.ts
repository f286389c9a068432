/**
 * Names in a question that no document mentions. "How many drones does France deliver per month?"
 * over a report that never names France must not be answered with Russia's figure: the asked-for
 * fact is about something the documents do not know, so the reply is "not mentioned", with the
 * closest passages cited (issue 9, near misses; found by the breaker trial).
 *
 * A question word is a name when it is a code (letters then digits: "Zorka999", "ZT-190"; not
 * "3rd" or "1700s"), or, in an English question, a capitalised word other than the first (German
 * capitalises every noun, and many compounds are in no dictionary, so only codes and the
 * dictionary's place names, "Frankreich", count there).
 * A name counts as mentioned when some document holds it, its compound parts, or a spelling within
 * two edits (PassageSearcher.mentions: "Sentanta" finds "Setanta").
 */
import type { Token } from '../text/tokenize.js';
import type { QueryGroup } from '../search/lexical.js';
import type { Answer } from './types.js';
import { escapeMarkdown } from '../text/markdown.js';

/**
 * The question's names (surface form as typed) whose group `mentioned` rejects.
 * @param question the cleaned question text the tokens index.
 * @param groups the query groups (one-word groups are labelled with the token's norm).
 * @param mentioned true when some document contains the group (PassageSearcher.mentions).
 * @param isPlace lower-case word → true for a place name of the dictionary (German questions).
 * @returns names in question order, without duplicates; [] when every name is known.
 */
export function unknownNames(
  question: string,
  tokens: Token[],
  groups: QueryGroup[],
  language: 'de' | 'en',
  mentioned: (g: QueryGroup) => boolean,
  isPlace: ((lower: string) => boolean) | null = null,
): string[] {
  const byLabel = new Map(groups.map((g) => [g.label, g] as const));
  const out: string[] = [];
  for (const [i, t] of tokens.entries()) {
    const g = byLabel.get(t.norm);
    if (!g || !isName(t, i, language, isPlace)) continue;
    const surface = question.slice(t.start, t.end);
    if (!out.includes(surface) && !mentioned(g)) out.push(surface);
  }
  return out;
}

/** A code: letters, then digits ("ZT-190", "Zorka999", "F-16"); not an ordinal or decade ("3rd", "1700s"). */
const CODE = /^\p{L}+[-‐]?\d+$/u;

function isName(t: Token, index: number, language: 'de' | 'en', isPlace: ((lower: string) => boolean) | null): boolean {
  const w = t.norm;
  if (CODE.test(w)) return true;
  // German capitalises every noun, and many compounds are in no dictionary: only codes and the
  // dictionary's place names ("Frankreich", "Moskau") count there, at any position.
  if (language !== 'en') return t.capitalized && isPlace !== null && isPlace(w);
  if (!t.capitalized || index === 0 || /[\d-]/.test(w) || w.length < 3) return false;
  // Units named after people are written as symbols in most texts ("565 °C" for "in degrees Celsius").
  return !EPONYMOUS_UNIT.test(w);
}

/**
 * Units named after a person (SI brochure, 9th ed., table 4, and the Fahrenheit and Rankine
 * scales) that are rarely the name of anything else; "Siemens", "Tesla", "Newton" or "Henry" are
 * left out, being companies and persons as often.
 */
const EPONYMOUS_UNIT = /^(celsius|fahrenheit|kelvin|rankine|joules?|watts?|volts?|amperes?|ohms?|hertz|pascals?|coulombs?|becquerels?|sieverts?)$/;

/**
 * The reply for a question naming what no document mentions: `answer` turned into "not stated",
 * keeping its citations as the closest passages.
 */
export function notMentionedAnswer(answer: Answer, names: string[], language: 'de' | 'en'): Answer {
  const list = names.map((n) => `“${escapeMarkdown(n)}”`).join(', ');
  const refs = answer.citations.map((c) => `[${c.n}]`).join(' ');
  const text = language === 'de'
    ? `Die Dokumente erwähnen ${list} nicht; nächstliegende Stellen: ${refs}`
    : `The documents do not mention ${list}; closest passages: ${refs}`;
  const rest: Answer = { ...answer };
  delete rest.short;
  delete rest.verdict;
  return { ...rest, abstained: false, notStated: true, answer: text };
}
