/**
 * The fixed tuning / reporting split of the dev data. Every tuned constant of dossier (abstention
 * threshold, scorer weights, the answer ranker) is chosen on the **tuning** part only; figures in
 * docs are measured on the **reporting** part.
 *
 * Units of the split (so that no paragraph's questions land on both sides):
 * - XQuAD: the article (its `title`, shared by the German and English files);
 * - MLQA: the context paragraph;
 * - 10kGNAD distractors: the row (article) of `test.csv`.
 *
 * Rule: a unit's key is hashed with FNV-1a (32 bit) salted with {@link SPLIT_SEED}; within one
 * data set the units are sorted by hash and the first half (rounded up) is `tuning`, the rest
 * `reporting`. Sorting by hash (instead of hash mod 2) gives an exact half/half split of units.
 */
export const SPLIT_SEED = 'dossier-split-v1';

export type Part = 'tuning' | 'reporting';

/** FNV-1a 32-bit hash of a string's UTF-16 code units (Fowler–Noll–Vo, IETF draft-eastlake-fnv). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Assign each distinct key to a part.
 * @param keys unit keys (duplicates are one unit)
 * @returns key → part; half of the units (rounded up) are `tuning`
 */
export function splitUnits(keys: Iterable<string>, seed = SPLIT_SEED): Map<string, Part> {
  const unique = [...new Set(keys)];
  unique.sort((a, b) => fnv1a(`${seed}:${a}`) - fnv1a(`${seed}:${b}`) || (a < b ? -1 : 1));
  const half = Math.ceil(unique.length / 2);
  return new Map(unique.map((k, i) => [k, i < half ? 'tuning' : 'reporting'] as const));
}
