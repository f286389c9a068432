/**
 * The abstention sentence in the asker's language: an English question gets
 * "The documents do not answer this question.", a German one
 * "Die Dokumente beantworten diese Frage nicht." The language is the one whose question words
 * decided the answer type (src/answer/question.ts), so "Wie hoch ist die Zugspitze?" is German and
 * "Was the bridge closed?" English.
 */
import { analyzeQuestion } from './question.js';

/** English abstention sentence. */
export const ABSTAIN_TEXT = 'The documents do not answer this question.';
/** German abstention sentence. */
export const ABSTAIN_TEXT_DE = 'Die Dokumente beantworten diese Frage nicht.';

/**
 * The abstention sentence for a question.
 * @param question the user's question (any text; an empty one gets the English sentence).
 * @returns {@link ABSTAIN_TEXT_DE} for German questions, {@link ABSTAIN_TEXT} otherwise.
 */
export function abstainText(question: string): string {
  return analyzeQuestion(question).language === 'de' ? ABSTAIN_TEXT_DE : ABSTAIN_TEXT;
}
