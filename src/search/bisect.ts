/**
 * Binary search for sorted arrays (the classic lower bound, Knuth, TAOCP vol. 3 §6.2.1).
 * @param a sorted ascending in its first `n` places (numbers or strings, compared with `<`).
 * @returns the first index i in [0, n] with a[i] >= key (n when every element is smaller).
 */
export function lowerBound<T extends number | string>(a: ArrayLike<T>, n: number, key: T): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
