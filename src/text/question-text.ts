/**
 * A user's question as the core reads it, in one place so that the ask pipeline, the answer's
 * title and the bot's own checks (mention mode's "ask me a question", thread names) agree.
 */
import { sanitizeText } from '../corpus/sanitize.js';
import { chatPlainText } from './markdown.js';

/**
 * The question's words: invisible and control characters removed ({@link sanitizeText}), then
 * mentions, links and emphasis markers dropped and whitespace collapsed ({@link chatPlainText}).
 * Empty when nothing is left (e.g. "<@123>", "https://x.example", "** **"). Linear in `raw`.
 */
export function questionText(raw: string): string {
  return chatPlainText(sanitizeText(raw ?? ''));
}
