/**
 * Index and query terms: tokens → stopword filter → Snowball stems (+ compound parts for German
 * documents). The same function serves paragraphs and chunks, so their terms agree.
 */
import { forEachToken, type Token } from './tokenize.js';
import { isStopword, stem, type StemLang } from './stem.js';
import type { Decompounder } from './decompound.js';

/**
 * Index terms of `text` for a document in language `lang`.
 * @param decompounder optional German compound splitter (adds parts' stems after the compound's).
 * @returns terms in text order (with repeats: term frequency matters for BM25).
 */
export function indexTerms(text: string, lang: StemLang, decompounder?: Decompounder | null): string[] {
  const out: string[] = [];
  forEachToken(text, (t) => addTerms(out, t, lang, decompounder));
  return out;
}

/**
 * Longest token that becomes a term (UTF-16 units). Longer runs (hashes, base64, hostile text
 * without spaces) match nothing useful, and stemming a megabyte-long "word" is slow.
 */
export const MAX_TERM_CHARS = 64;

/** Like {@link indexTerms} on already tokenised input. */
export function termsOfTokens(tokens: Iterable<Token>, lang: StemLang, decompounder?: Decompounder | null): string[] {
  const out: string[] = [];
  for (const t of tokens) addTerms(out, t, lang, decompounder);
  return out;
}

function addTerms(out: string[], t: Token, lang: StemLang, decompounder?: Decompounder | null): void {
  if (t.norm.length > MAX_TERM_CHARS || isStopword(t.norm, lang) || (t.norm.length < 2 && !/\d/.test(t.norm))) return;
  out.push(stem(t.norm, lang));
  if (decompounder && lang === 'de') {
    for (const part of decompounder.split(t.norm)) out.push(stem(part, 'de'));
  }
}
