/**
 * Citations of the seed report for LLM tests: the sentence holding a needle, cut as the
 * extractive answerer quotes it (from the previous ". " or line start to the next ". " or ".\n").
 */
import fs from 'node:fs';
import type { Citation, DocumentRef } from '../../src/answer/types.js';
import { SEED } from '../helpers.js';

/** The bundled seed report's text. */
export const SEED_TEXT = fs.readFileSync(SEED, 'utf8');
/** A document reference for the seed report. */
export const seedDoc: DocumentRef = { id: 'seed', title: 'Chinesische Drohnen für Russland', date: '2023-02' };

/**
 * Citation number `n` of the sentence of `text` containing `needle`; score 1 − n/10, position ¶n.
 * @throws Error when `needle` is not in `text` (a test typo, not a product error).
 */
export function cite(n: number, needle: string, text = SEED_TEXT, doc = seedDoc): Citation {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in text: ${needle}`);
  const start = Math.max(text.lastIndexOf('. ', at) + 2, text.lastIndexOf('\n', at) + 1);
  const dots = [text.indexOf('. ', at), text.indexOf('.\n', at)].filter((k) => k >= 0);
  const end = dots.length ? Math.min(...dots) + 1 : text.length;
  return { n, document: doc, quote: text.slice(start, end), start, end, score: 1 - n / 10, position: `¶${n}` };
}
