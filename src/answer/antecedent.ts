/**
 * Resolving a definite description to its antecedent: "Wie das Magazin weiter berichtet, …"
 * answers "Which magazine reported …?" only through the magazine named earlier in the text
 * ("Laut "Spiegel"-Informationen …"). When the best sentence for a typed question (organisation,
 * person, place) holds no candidate but names the asked-for kind of entity with a definite
 * article or demonstrative ("das Magazin", "der Hersteller", "the company", "diese Stadt"), the
 * nearest earlier candidate of that type in the same document is its referent.
 *
 * This is the recency heuristic of anaphora resolution for definite noun phrases (the most
 * recent compatible antecedent; cf. Hobbs 1978, "Resolving pronoun references", Lingua 44, and
 * Vieira & Poesio 2000, "An empirically based system for processing definite descriptions",
 * Computational Linguistics 26(4)): compatibility here is the answer type.
 */
import { findCandidates, type Candidate, type IsCommonWord } from './candidates.js';
import { ORG_NOUN, PERSON_NOUN, PLACE_NOUN, type QuestionAnalysis } from './question.js';
import { typeFit } from './rank.js';
import { splitSentences, type Span } from '../text/sentences.js';
import { tokenize, type Token } from '../text/tokenize.js';

/** How far back (UTF-16 code units) the antecedent is looked for: about five news sentences. */
export const ANTECEDENT_WINDOW = 1500;
/** Smallest type fit an antecedent needs (a name of the asked-for kind, not any capitalised word). */
export const ANTECEDENT_FIT = 0.9;

const DEFINITE = /^(der|die|das|dem|den|des|dieser|diese|dieses|diesem|diesen|jener|jene|jenes|the|this|that)$/;

/**
 * True when the question names the kind of entity it asks for ("which magazine") and `tokens`
 * hold a definite description of that kind: a definite article or demonstrative directly before
 * a noun of that kind that matched the question (`matched[k]`). A modified description ("der
 * älteste Quarterback") is left alone: it usually introduces a new referent.
 */
export function namesAskedKind(qa: QuestionAnalysis, tokens: Token[], matched: boolean[]): boolean {
  const nouns = qa.type === 'organisation' ? ORG_NOUN : qa.type === 'person' ? PERSON_NOUN : qa.type === 'place' ? PLACE_NOUN : null;
  if (!nouns) return false;
  // The question names the kind ("Which magazine …", "Welcher Hersteller …"), not only "who".
  if (![...qa.questionTerms].some((t) => nouns.test(t))) return false;
  for (let k = 1; k < tokens.length; k++) {
    if (matched[k] && nouns.test(tokens[k].norm) && DEFINITE.test(tokens[k - 1].norm)) return true;
  }
  return false;
}

/** An antecedent found: its sentence (document offsets), tokens, and the candidate (offsets in the sentence). */
export interface Antecedent {
  span: Span;
  tokens: Token[];
  candidate: Candidate;
  fit: number;
}

/**
 * The nearest candidate of the asked-for type in the sentences before `before` (a document
 * offset), looking back at most ANTECEDENT_WINDOW characters and never before `bodyStart`.
 * Cost O(window). Candidates made only of question words are skipped.
 * @returns null when no sentence in the window holds one with fit ≥ ANTECEDENT_FIT.
 */
export function findAntecedent(
  qa: QuestionAnalysis,
  text: string,
  bodyStart: number,
  before: number,
  language: string,
  isCommon: IsCommonWord | null,
): Antecedent | null {
  const from = Math.max(bodyStart, before - ANTECEDENT_WINDOW);
  const window = text.slice(from, before);
  const spans = splitSentences(window, language);
  // The first span may start mid-sentence (cut by the window): it is still searched, last.
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = { start: spans[i].start + from, end: spans[i].end + from };
    const sentence = text.slice(span.start, span.end);
    const tokens = tokenize(sentence);
    let best: { c: Candidate; fit: number } | null = null;
    for (const c of findCandidates(sentence, tokens, isCommon)) {
      const own = tokens.slice(c.from, c.to + 1).some((t) => !qa.questionTerms.has(t.norm));
      const fit = typeFit(qa, c);
      if (own && fit >= ANTECEDENT_FIT && (!best || fit > best.fit)) best = { c, fit };
    }
    if (best) return { span, tokens, candidate: best.c, fit: best.fit };
  }
  return null;
}
