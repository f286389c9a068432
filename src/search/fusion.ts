/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms
 * Condorcet and individual Rank Learning Methods", SIGIR 2009):
 *
 *   RRF(d) = Σ_lists  w_i / (k + rank_i(d)),   rank 1-based, k = 60 in the paper,
 *
 * summed over the lists in which d appears within that list's depth. Generic over id types.
 */
import type { Config } from '../config.js';

export interface FusionOptions {
  /** The constant k (default 60, the paper's value). Larger k flattens the rank differences. */
  k?: number;
  /** Per list: only the first `depths[i]` entries count (default: the whole list). */
  depths?: number[];
  /** Per list: weight of its votes (default 1 each, i.e. plain RRF). */
  weights?: number[];
}

/** One fused result. */
export interface Fused<T> {
  id: T;
  /** The RRF score. */
  score: number;
  /** 1-based rank of the id in each input list (within depth), null where absent. */
  ranks: (number | null)[];
}

/**
 * Fuse ranked lists of ids (best first). Repeated ids within a list count at their first rank.
 * Ties in score are broken by the best single rank, then by the order of first appearance
 * (earlier list first), so the result is deterministic.
 * @returns every id that appears within depth in some list, best first.
 * @throws RangeError if k is not positive, or a depth/weight is negative or not finite.
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], options: FusionOptions = {}): Fused<T>[] {
  const k = options.k ?? 60;
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`RRF k must be a positive number, got ${k}`);
  const table = new Map<T, { score: number; ranks: (number | null)[]; best: number; first: number }>();
  let order = 0;
  lists.forEach((list, li) => {
    const depth = options.depths?.[li] ?? list.length;
    const weight = options.weights?.[li] ?? 1;
    if (!(depth >= 0) || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new RangeError(`list ${li}: depth and weight must be non-negative numbers`);
    }
    const n = Math.min(list.length, depth);
    for (let r = 0; r < n; r++) {
      const id = list[r];
      let e = table.get(id);
      if (!e) {
        e = { score: 0, ranks: lists.map(() => null), best: Infinity, first: order++ };
        table.set(id, e);
      }
      if (e.ranks[li] !== null) continue; // repeated within this list
      const rank = r + 1;
      e.ranks[li] = rank;
      e.score += weight / (k + rank);
      e.best = Math.min(e.best, rank);
    }
  });
  return [...table.entries()]
    .sort(([, a], [, b]) => b.score - a.score || a.best - b.best || a.first - b.first)
    .map(([id, e]) => ({ id, score: e.score, ranks: e.ranks }));
}

/**
 * The hybrid ranking of the ask path: lexical ids (depth LEXICAL_DEPTH) and dense ids (depth
 * DENSE_DEPTH) fused with k = RRF_K; `ranks` is always [lexical rank, dense rank]. With `dense`
 * null (no embedder) the lexical order is kept, scored by the same formula, so callers need no
 * special case.
 */
export function fuseHybrid<T>(
  lexical: readonly T[],
  dense: readonly T[] | null,
  config: Pick<Config, 'LEXICAL_DEPTH' | 'DENSE_DEPTH' | 'RRF_K'>,
): Fused<T>[] {
  return reciprocalRankFusion([lexical, dense ?? []], { k: config.RRF_K, depths: [config.LEXICAL_DEPTH, config.DENSE_DEPTH] });
}
