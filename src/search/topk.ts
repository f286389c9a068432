/**
 * Top-k selection with a binary heap (Williams 1964; the bounded "k best" use as in Lucene's
 * TopScoreDocCollector): O(n log k) instead of sorting all n candidates.
 */

/**
 * The `k` best of `n` candidates 0..n−1, best first.
 * @param better true when candidate a ranks before candidate b (a strict total order, e.g. score
 *   descending then id ascending), so the result equals sorting all n and taking the first k.
 * @returns candidate indices, at most k.
 */
export function topK(n: number, k: number, better: (a: number, b: number) => boolean): number[] {
  if (k <= 0 || n === 0) return [];
  // Max-heap on "worse": heap[0] is the worst of the kept candidates.
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let c = 0; c < n; c++) {
    if (heap.length < k) {
      heap.push(c);
      up(heap.length - 1);
    } else if (better(c, heap[0])) {
      heap[0] = c;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
