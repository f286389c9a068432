/**
 * In a corpus holding documents in the question's own language and in the other one, evidence
 * matched in the question's language (the word itself, or its stem) is surer than evidence
 * matched through a dictionary translation, which may be the wrong sense ("Bau" → "construction"
 * of a solar farm for a question about a harbour). Passages of a document in another language
 * than the question's are scored down by CROSS_LANGUAGE_PRIOR, then the ranking is re-sorted.
 * With documents in one language only nothing changes (every passage is scaled alike or not at all).
 *
 * Only German questions are treated so: English questions over German reports are the product's
 * main path (the bundled report is German, community members ask in English), and a guild's one
 * English document must not push the German passages out of the cited ones; the German→English
 * expansion is the secondary path, added only once English documents are stored.
 */
import type { ScoredChunk } from './passages.js';

/**
 * Score factor for a passage in another language than the question when documents in the
 * question's language exist. Chosen by reasoning, not tuned: no evaluation pool mixes languages
 * (XQuAD pools are one language each), so it is kept mild — a cross-language passage must score
 * 25 % higher to win.
 */
export const CROSS_LANGUAGE_PRIOR = 0.8;

/**
 * @param ranked passages, best first (not modified)
 * @param questionLanguage 'de' or 'en'
 * @param languageOf a passage's document language ('de', 'en', …), undefined when unknown
 * @param ownLanguageStored true when documents in the question's language are stored
 * @returns a new ranking, best first; O(n log n)
 */
export function preferQuestionLanguage(
  ranked: ScoredChunk[],
  questionLanguage: string,
  languageOf: (c: ScoredChunk) => string | undefined,
  ownLanguageStored: boolean,
): ScoredChunk[] {
  if (!ownLanguageStored || questionLanguage !== 'de') return ranked;
  let changed = false;
  const out = ranked.map((r) => {
    const lang = languageOf(r);
    if (lang === undefined || lang === questionLanguage) return r;
    changed = true;
    return { ...r, score: r.score * CROSS_LANGUAGE_PRIOR };
  });
  if (!changed) return ranked;
  return out.sort((a, b) => b.score - a.score);
}
