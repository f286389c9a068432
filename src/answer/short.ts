/**
 * The glue between the answer sentence chosen by extract.ts and the span scorer (span.ts): the
 * short answer text of that sentence, or null when the scorer has no model or no candidate.
 */
import type { Span } from '../text/sentences.js';
import type { Token } from '../text/tokenize.js';
import type { IsCommonWord } from './candidates.js';
import type { QuestionAnalysis } from './question.js';
import { chooseShort } from './span.js';

/**
 * Short answer of the chosen sentence.
 * @param docText the document text; `shown.span` is the quoted span (offsets into it), `own` the answer sentence itself.
 * @param language the document language (ISO 639-1); German text marks nouns by capitals.
 */
export function learnedShort(
  question: string,
  qa: QuestionAnalysis,
  docText: string,
  shown: { span: Span; tokens: Token[]; matchedTokens: boolean[] },
  own: Span,
  language: string,
  isCommon: IsCommonWord | null,
): string | null {
  const text = docText.slice(shown.span.start, shown.span.end);
  const rel = own.start - shown.span.start;
  const ownFrom = Math.max(0, shown.tokens.findIndex((t) => t.start >= rel));
  const c = chooseShort(question, { qa, text, tokens: shown.tokens, matched: shown.matchedTokens, ownFrom, german: language === 'de', isCommon });
  return c ? text.slice(c.start, c.end) : null;
}

/**
 * The answer type reported with a short answer: "who" questions answered by a company, newspaper
 * or agency report `organisation`, a person answering "which organisation" reports `person`.
 */
export function answeredType(qa: QuestionAnalysis, flavour: 'person' | 'organisation' | 'place' | null): QuestionAnalysis['type'] {
  if (qa.type === 'person' && flavour === 'organisation') return 'organisation';
  if (qa.type === 'organisation' && flavour === 'person') return 'person';
  return qa.type;
}

/**
 * Typed near miss: a typed question whose best candidate stands far from the matched words
 * (candidate score below {@link WEAK_CANDIDATE}) in a sentence covering little of the question
 * (coverage below {@link WEAK_COVERAGE}) is "not stated": the candidate is some other date, name or
 * figure of the same topic. Set on the TUNING part of XQuAD dev with
 * `SHARED_DATA_DIR=/work/shared/data nice -n 10 npx tsx scripts/answer-eval.ts --part tuning --near-miss`:
 * near-miss refused EN→DE 0.333 → 0.347, DE→DE 0.333 → 0.373, false abstention at rank 1 EN→DE
 * 0.012 → 0.017, DE→DE 0.024 unchanged. Looser bounds (0.5 / 0.3) reached 0.41–0.44 near-miss
 * refusals but 0.037 false abstention, over the 3 % budget.
 */
export const WEAK_CANDIDATE = 0.5;
/** See {@link WEAK_CANDIDATE}. */
export const WEAK_COVERAGE = 0.2;

/** True when a typed answer's candidate and sentence are both too weak (see {@link WEAK_CANDIDATE}). */
export function weakTypedAnswer(candidateScore: number, coverage: number): boolean {
  return candidateScore < WEAK_CANDIDATE && coverage < WEAK_COVERAGE;
}
