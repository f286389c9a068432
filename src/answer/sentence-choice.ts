/**
 * Two rules of answer-sentence choice (src/answer/extract.ts) found in the error analysis of
 * scripts/sentence-errors.ts on the TUNING part of the XQuAD dev split (gold paragraph cited
 * first, answer line without the gold text).
 *
 * Pronoun sentences. A sentence that names its topic only by a personal pronoun ("In den meisten westlichen Ländern
 * ist sie heute verboten", "… when he was 39") matches few question words on its own; it is read
 * with the sentence before it, which usually names the referent (the recency heuristic of pronoun
 * resolution: the antecedent is most often in the same or the previous sentence; Hobbs 1978,
 * Lappin & Leass 1994). Pronouns at the very start are the DEPENDENT_START case of extract.ts; this
 * file covers a personal pronoun later in the sentence. Possessives ("sein", "ihre", "his") are
 * left out: they mostly bind inside their own sentence. The short answer still comes from the
 * pronoun sentence itself, not from the sentence it leans on.
 *
 * Measured on the tuning part (scripts/answer-eval.ts --part tuning --near-miss --unanswerable,
 * paired with scripts/dump-diff.ts against the version before): answer@1 EN→DE 0.682 → 0.692
 * (+0.010, 95 % interval [+0.002, +0.021]; 4 questions gained, none lost), DE→DE 0.735 → 0.752
 * (+0.017, [+0.005, +0.033]; 7 gained, none lost); short F1 −0.002 / +0.002 (inside the noise);
 * falseAbstention@top1 0.017 / 0.027 → 0.017 / 0.024; recall@5, near-miss and held-out refusals
 * unchanged. Tried and worse: only the first 12 tokens searched for the pronoun (with or without
 * possessives); candidates taken from the antecedent sentence too (short F1 EN→DE −0.015, outside
 * the noise).
 */
import { tokenize } from '../text/tokenize.js';

/** German and English third-person personal pronouns (subject and object forms), lower case. */
const PERSONAL_PRONOUN = /^(er|sie|ihm|ihn|ihnen|he|she|they|him|them)$/;

/**
 * True when `sentence` contains a third-person personal pronoun (any position). Linear in the
 * sentence length.
 */
export function hasPersonalPronoun(sentence: string): boolean {
  return tokenize(sentence).some((t) => PERSONAL_PRONOUN.test(t.norm));
}

/**
 * A typed question ("who", "how many") whose best sentence has no candidate of the asked type:
 * the best sentence with a candidate replaces it when it covers at least 0.35 (extract.ts
 * NOT_STATED_SHARE) of the best coverage if it is in the same passage (a neighbour on the same
 * topic: "… hat einen Auftrag erhalten. Das teilte Geschäftsführerin Katrin Albrecht mit."), but
 * at least this share if it is in another passage, which at lower coverage is mostly about
 * something else (a Tesla sentence's "zwei Geschäftsleuten" for a question about a Lama's
 * rebirths). Between the two shares the best sentence is quoted without a short answer.
 * Set on the tuning part (scripts/answer-eval.ts --near-miss, tried 0.5, 0.6, 0.8 and the same
 * document instead of the same passage): answer@1 EN→DE 0.692 → 0.696, DE→DE 0.752 → 0.761 (6
 * gained, none lost; paired DE +0.010 [+0.002, +0.021], EN +0.005 [0, +0.012]); made-up short
 * answers on near misses (wrongShort) 0.653 → 0.613 EN, 0.627 → 0.600 DE; short F1 unchanged.
 */
export const OTHER_PASSAGE_SHARE = 0.6;
