import { describe, expect, it } from 'vitest';
import { topK } from '../src/search/topk.js';

describe('topK', () => {
  it('equals sorting everything and taking the first k, ties included', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of [0, 1, 7, 100, 1000]) {
      // Few distinct scores, so ties (broken by id) are frequent.
      const score = Array.from({ length: n }, () => Math.floor(rand() * 10));
      const id = Array.from({ length: n }, (_, i) => (i * 7919) % 1009);
      const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && id[a] < id[b]);
      const all = Array.from({ length: n }, (_, i) => i).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
      for (const k of [0, 1, 5, 50, 2000]) expect(topK(n, k, better)).toEqual(all.slice(0, k));
    }
  });
});
