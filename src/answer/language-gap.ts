/**
 * Abstention across a language gap nothing can bridge.
 *
 * Lexical retrieval links a question to a passage in another language only through the Ding
 * dictionary (src/search/query.ts); dense retrieval links them through the multilingual model.
 * With neither, an English question can still reach a German passage through the words both
 * languages share (names, numbers, "ZT-180"), and the passage then looks like an answer while
 * nothing in it was matched to what was asked ("How many ZT-180 drones per month?" → a sentence
 * about the ZT-180's warhead weight). Such an answer is not supported, so the bot abstains and
 * says why.
 */
import { abstainText } from './abstain-text.js';
import { stemLang } from '../text/stem.js';
import type { Answer } from './types.js';

/** Appended to the abstention when the gap is the reason. */
export const LANGUAGE_GAP_TEXT =
  'Cross-lingual matching is off (no German–English dictionary and no embedding model), so a question ' +
  'in one language cannot be matched to passages in the other. Ask in the language of the documents, ' +
  'or install the dictionary (`apt-get install trans-de-en`, or set DICT_PATH).';

/**
 * True when the question and the best passage are in different languages and no cross-lingual
 * bridge is available.
 * @param questionLanguage the guessed question language ('de' | 'en', src/search/query.ts).
 * @param passageLanguage the stored document language (ISO 639-1 code; other codes count as German,
 *   as in indexing: src/text/stem.ts stemLang).
 * @param bridged true when the dictionary or dense retrieval is on.
 */
export function languageGap(questionLanguage: 'de' | 'en', passageLanguage: string, bridged: boolean): boolean {
  return !bridged && stemLang(passageLanguage) !== questionLanguage;
}

/** The abstention for a language gap: no citations, the reason spelled out. */
export function languageGapAnswer(question: string): Answer {
  return { question, abstained: true, answer: `${abstainText(question)} ${LANGUAGE_GAP_TEXT}`, citations: [], mode: 'extractive' };
}
