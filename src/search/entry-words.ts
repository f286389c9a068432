/**
 * The concept scorer's table from dictionary entry ids to the indexed words whose entry part
 * includes them (src/search/concept.ts), for one language. Words are kept in listing order, and
 * each entry's words come back in that order (the scorer adds each unit's sum in it, so the order
 * is part of its exact result).
 *
 * Layout: the words listed up to the last {@link EntryWords.rebuild} (a snapshot's listed words)
 * as CSR arrays — `off[e] .. off[e + 1]` indexes `word`, word numbers into the listing — and the
 * words listed since in a small map of arrays. At 54k chunks the CSR form takes ~1.5 MB where a
 * Map of string arrays took ~13 MB (one JS array per entry).
 */
export class EntryWords {
  /** Listed words, in listing order. */
  private readonly words: string[] = [];
  private readonly listed = new Set<string>();
  private off: Int32Array = new Int32Array(1);
  private word: Int32Array = new Int32Array(0);
  /** Entry id → word numbers listed after the CSR part was built. */
  private readonly delta = new Map<number, number[]>();

  /** Number of listed words. */
  get size(): number {
    return this.words.length;
  }

  /** True when the word is listed. */
  has(w: string): boolean {
    return this.listed.has(w);
  }

  /** The listed words in listing order (a copy). */
  list(): string[] {
    return [...this.words];
  }

  /** List a word under its entry ids (a no-op when it is listed already). O(dims). */
  add(w: string, dims: Int32Array): void {
    if (this.listed.has(w)) return;
    this.listed.add(w);
    const k = this.words.push(w) - 1;
    for (let i = 0; i < dims.length; i++) {
      const list = this.delta.get(dims[i]);
      if (list) list.push(k);
      else this.delta.set(dims[i], [k]);
    }
  }

  /**
   * Replace the contents by `words` in this order (skipping repeats and words without entries),
   * in CSR form. Linear in the words' entries plus `entryCount`.
   * @param dimsOf a word's entry ids (each below `entryCount`)
   */
  rebuild(words: readonly string[], dimsOf: (w: string) => Int32Array, entryCount: number): void {
    this.words.length = 0;
    this.listed.clear();
    this.delta.clear();
    const dims: Int32Array[] = [];
    for (const w of words) {
      const d = dimsOf(w);
      if (d.length === 0 || this.listed.has(w)) continue;
      this.listed.add(w);
      this.words.push(w);
      dims.push(d);
    }
    const off = new Int32Array(entryCount + 1);
    for (const d of dims) for (let i = 0; i < d.length; i++) off[d[i] + 1]++;
    for (let e = 0; e < entryCount; e++) off[e + 1] += off[e];
    const fill = off.slice(0, entryCount);
    const word = new Int32Array(off[entryCount]);
    dims.forEach((d, k) => {
      for (let i = 0; i < d.length; i++) word[fill[d[i]]++] = k;
    });
    this.off = off;
    this.word = word;
  }

  /** Empty the table. */
  clear(): void {
    this.rebuild([], () => new Int32Array(0), 0);
  }

  /** Call `fn` for each word listed under entry `e`, in listing order. */
  forEachWord(e: number, fn: (w: string) => void): void {
    if (e + 1 < this.off.length) for (let i = this.off[e], end = this.off[e + 1]; i < end; i++) fn(this.words[this.word[i]]);
    const d = this.delta.get(e);
    if (d) for (const k of d) fn(this.words[k]);
  }
}
