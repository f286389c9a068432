/**
 * Name candidates that stand in a sentence for something other than the answer, whatever their
 * score (found in the TUNING part's typed rows with the right sentence and a wrong short answer,
 * scripts/answer-eval.ts --part tuning --dump):
 *
 * - an acronym in parentheses right after matched question words is their abbreviation ("in die
 *   Amerikanische Gebärdensprache (ASL)" for "who did the sign language"): it repeats the question
 *   (not applied to organisation questions, which the acronym of a party or agency may answer);
 * - for a person question, a name run right before a person's title is the title's modifier, not
 *   the person ("Denvers Executive Vice President", "Apple CEO Tim Cook", "Broncos General
 *   Manager John Elway"): the person follows the title; nor is the name a title heads ("Vice
 *   President of Football Operations", "Präsident der Handelskammer").
 */
import type { Token } from '../text/tokenize.js';
import { isPersonTitle, type Candidate } from './candidates.js';
import type { QuestionAnalysis } from './question.js';

/**
 * True when candidate `c` of the sentence `text` is a gloss or a title modifier (see above).
 * @param tokens tokenize(text); `matched` per token: true when it matched a question group.
 */
export function nameInRole(qa: QuestionAnalysis, c: Candidate, text: string, tokens: Token[], matched: boolean[]): boolean {
  if (c.kind !== 'name') return false;
  // (An organisation question may well be answered by the acronym: "Labour Party (ALP)".)
  if (qa.type !== 'organisation' && c.from === c.to && c.from > 0 && /^[\p{Lu}\d-]{2,}$/u.test(text.slice(c.start, c.end))) {
    const before = text.slice(tokens[c.from - 1].end, c.start);
    const after = text.slice(c.end, tokens[c.to + 1]?.start ?? text.length);
    if (/^\s*\($/.test(before) && /^\)/.test(after) && matched[c.from - 1]) return true;
  }
  if (qa.type === 'person') {
    // "President of Football Operations", "Präsident der Handelskammer": what the title heads.
    const prev = tokens[c.from - 1];
    const title = tokens[c.from - 2];
    if (prev && title && /^(of|for|für|des|der)$/.test(prev.norm) && isPersonTitle(title.norm.split('-').pop() ?? '')) return true;
    const next = tokens[c.to + 1];
    // Only a space between them: "Apple CEO", not "Tim Cook, CEO …" (an apposition).
    if (next && /^\s+$/.test(text.slice(c.end, next.start)) && isPersonTitle(next.norm.split('-').pop() ?? '')) return true;
  }
  return false;
}
