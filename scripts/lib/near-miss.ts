/**
 * Near-miss cases (SQuAD 2.0 style, Rajpurkar et al. 2018): cut the sentence that holds the gold
 * answer from its paragraph, so the right reply to the question is "not stated" instead of an
 * answer taken from a neighbouring sentence.
 *
 * Sentence bounds are found by the eval's own rule (independent of src/text/sentences.ts): a
 * boundary is `.`, `!` or `?` (optionally followed by a closing quote or bracket) followed by
 * whitespace and an upper-case letter, digit or opening quote. Single-letter
 * abbreviations ("J. Smith", "z. B.") and a few common ones ("z. B.", "Dr.", "St.") do not end a sentence.
 * Linear in the paragraph length.
 */

const BOUNDARY = /[.!?]["'»«“”’)\]]*\s+(?=[\p{Lu}\d"„«»“'(])/gu;
const NOT_AN_END = /(?:(?:^|[\s(])\p{L}|\b(?:Dr|St|Mr|Mrs|Ms|Nr|bzw|ca|vgl|z\. ?B|u\. ?a|d\. ?h|etc|Jr|Sr|No|Prof|Abs|Art))\.$/u;

/** Start offsets of the sentences of `text` (the first is 0). */
export function sentenceStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(BOUNDARY)) {
    const endOfPunct = m.index + m[0].replace(/\s+$/u, '').length;
    if (NOT_AN_END.test(text.slice(Math.max(0, m.index - 6), m.index + 1))) continue;
    starts.push(endOfPunct + (m[0].length - m[0].replace(/\s+$/u, '').length));
  }
  return starts;
}

/**
 * The paragraph without the sentence(s) spanning the answer at `[answerStart, answerStart +
 * answerLength)`; null when the answer cannot be located or the cut would leave nothing.
 * When `answerStart` does not point at the answer text, its first occurrence is used.
 */
export function cutAnswerSentence(context: string, answer: string, answerStart: number): string | null {
  if (!answer) return null;
  const start = context.slice(answerStart, answerStart + answer.length) === answer ? answerStart : context.indexOf(answer);
  if (start < 0) return null;
  const end = start + answer.length;
  const starts = sentenceStarts(context);
  let from = 0;
  for (const s of starts) if (s <= start) from = s;
  let to = context.length;
  for (const s of starts)
    if (s >= end) {
      to = s;
      break;
    }
  const rest = `${context.slice(0, from)}${context.slice(to)}`.trim();
  return rest.length > 0 ? rest : null;
}
