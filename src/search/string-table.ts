/**
 * A read-only list of strings kept as one newline-separated text, each string cut out on its
 * first use (and kept): a dictionary cache section of 50–350k sorted words is searched by
 * bisection, which touches ~20 of them per lookup, so a process that asks a few questions never
 * builds most of its strings (splitting the four sections an English question needs cost
 * ~100 ms of a CLI call, measured with `--cpu-prof` on the Ding cache).
 */
export class StringTable {
  private readonly cache: (string | undefined)[];

  /**
   * @param text the strings joined by '\n' (none may contain '\n'), or null for {@link of}
   * @param starts n + 1 offsets: string i is text[starts[i], starts[i + 1] - 1)
   */
  private constructor(
    private readonly text: string | null,
    private readonly starts: Int32Array | null,
    cache: (string | undefined)[],
  ) {
    this.cache = cache;
  }

  /** A table over `text` as written by joining strings with '\n' (an empty text: no strings). */
  static fromJoined(text: string): StringTable {
    if (text.length === 0) return new StringTable(text, new Int32Array(1), []);
    let n = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
    const starts = new Int32Array(n + 1);
    let i = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[i++] = at + 1;
    starts[n] = text.length + 1;
    return new StringTable(text, starts, new Array<string | undefined>(n));
  }

  /** A table over strings already in memory (the array is used as is, not copied). */
  static of(strings: string[]): StringTable {
    return new StringTable(null, null, strings);
  }

  /** Number of strings. */
  get length(): number {
    return this.cache.length;
  }

  /** String `i` (0 ≤ i < length). */
  at(i: number): string {
    const hit = this.cache[i];
    if (hit !== undefined) return hit;
    const s = this.text!.slice(this.starts![i], this.starts![i + 1] - 1);
    this.cache[i] = s;
    return s;
  }

  /** Index of `key` when the strings ascend in UTF-16 code unit order (JS `<`), else -1. */
  find(key: string): number {
    let lo = 0;
    let hi = this.cache.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.at(mid);
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Every string, in order (cuts out those not yet used; the returned array must not be changed). */
  all(): readonly string[] {
    for (let i = 0; i < this.cache.length; i++) if (this.cache[i] === undefined) this.at(i);
    return this.cache as string[];
  }
}
