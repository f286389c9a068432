/** Reciprocal rank fusion against values computed by hand. */
import { describe, expect, it } from 'vitest';
import { fuseHybrid, reciprocalRankFusion } from '../src/search/fusion.js';

describe('reciprocalRankFusion', () => {
  it('matches a hand-computed example with k = 60', () => {
    // lexical: a b c d ; dense: c a e
    //   a: 1/61 + 1/62 = 0.0163934 + 0.0161290 = 0.0325224
    //   c: 1/63 + 1/61 = 0.0158730 + 0.0163934 = 0.0322664
    //   b: 1/62                                = 0.0161290
    //   e: 1/63                                = 0.0158730
    //   d: 1/64                                = 0.0156250
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c', 'd'],
      ['c', 'a', 'e'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b', 'e', 'd']);
    const want = [1 / 61 + 1 / 62, 1 / 63 + 1 / 61, 1 / 62, 1 / 63, 1 / 64];
    fused.forEach((f, i) => expect(f.score).toBeCloseTo(want[i], 12));
    expect(fused[0].ranks).toEqual([1, 2]);
    expect(fused[3].ranks).toEqual([null, 3]);
  });

  it('honours per-list depth, weights, small k, and counts a repeated id once per list', () => {
    // depth 2 on the first list drops z; k = 1: x = 1/2 + 1/(1+2) ; y = 1/3 ; w = 2 · 1/2 (weight 2)
    const fused = reciprocalRankFusion(
      [
        [1, 2, 9],
        [3, 1, 1],
      ],
      { k: 1, depths: [2, 10], weights: [1, 2] },
    );
    const byId = new Map(fused.map((f) => [f.id, f.score]));
    expect(byId.get(1)).toBeCloseTo(1 / 2 + 2 / 3, 12);
    expect(byId.get(2)).toBeCloseTo(1 / 3, 12);
    expect(byId.get(3)).toBeCloseTo(1, 12);
    expect(byId.has(9)).toBe(false);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2]);
  });

  it('breaks score ties by best rank, then first appearance', () => {
    // p and q both get 1/61 + 1/62; r and s tie at 1/63 (r seen first).
    const fused = reciprocalRankFusion([
      ['p', 'q', 'r'],
      ['q', 'p', 's'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['p', 'q', 'r', 's']);
  });

  it('rejects a non-positive k; empty input gives an empty result', () => {
    expect(() => reciprocalRankFusion([['a']], { k: 0 })).toThrow(RangeError);
    expect(reciprocalRankFusion([])).toEqual([]);
  });

  it('fuseHybrid uses LEXICAL_DEPTH, DENSE_DEPTH and RRF_K, and keeps lexical order without dense', () => {
    const config = { LEXICAL_DEPTH: 2, DENSE_DEPTH: 1, RRF_K: 10 };
    const fused = fuseHybrid([7, 8, 9], [9, 7], config);
    // 7: 1/11 ; 8: 1/12 ; 9: (beyond lexical depth) 1/11 from dense; 7 wins the tie on first appearance.
    expect(fused.map((f) => [f.id, f.ranks])).toEqual([
      [7, [1, null]],
      [9, [null, 1]],
      [8, [2, null]],
    ]);
    const alone = fuseHybrid([3, 1, 2], null, config);
    expect(alone.map((f) => f.id)).toEqual([3, 1]);
    expect(alone[0].ranks).toEqual([1, null]);
  });
});
