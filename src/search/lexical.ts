/**
 * In-memory BM25 index with grouped query terms.
 *
 * BM25 as in Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009),
 * with k1 = 1.2, b = 0.75 and the non-negative idf ln(1 + (N − df + 0.5)/(df + 0.5)) used by Lucene.
 *
 * A query is a list of *groups*: alternative terms for one query word (its stems plus its
 * dictionary translations). A group behaves like one term: its frequency in a unit is the sum of
 * its members' frequencies and its document frequency is the number of units containing any
 * member. So a common word with many translations gets a low idf instead of many votes.
 */

/** BM25 parameters (Robertson & Zaragoza 2009; the usual defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** One query word (or phrase): alternative index terms counted as one. */
export interface QueryGroup {
  /** The query text it came from (for explanations and highlighting). */
  label: string;
  /** Alternative index terms. */
  terms: string[];
  /** Multiplier of the group's BM25 contribution (1 = normal). */
  weight: number;
  /**
   * Corpus-independent specificity of the query word (src/search/confidence.ts); weights the
   * group in the abstention signal only. Missing = 1.
   */
  specificity?: number;
  /** Language of `label` (the question's language); selects the stemmer of the concept scorer. */
  lang?: 'de' | 'en';
  /**
   * For a dictionary phrase ("corporal punishment"): its words as separate groups, used instead
   * when no indexed unit contains the phrase (PassageSearcher).
   */
  fallback?: QueryGroup[];
}

/** A scored unit. `matched[i]` is true when group i occurs in the unit. */
export interface LexicalHit {
  id: number;
  score: number;
  matched: boolean[];
}

/** BM25 over units (chunks or paragraphs) identified by integer ids. */
export class LexicalIndex {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly unitTerms = new Map<number, string[]>();
  private readonly lengths = new Map<number, number>();
  private totalLength = 0;

  /** Number of units indexed. */
  get size(): number {
    return this.lengths.size;
  }

  /** Index a unit's terms (with repeats). Re-adding an id replaces it. */
  add(id: number, terms: string[]): void {
    if (this.lengths.has(id)) this.remove(id);
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let p = this.postings.get(t);
      if (!p) {
        this.postings.set(t, (p = new Map()));
        this.sorted = null;
      }
      p.set(id, n);
    }
    this.unitTerms.set(id, [...tf.keys()]);
    this.lengths.set(id, terms.length);
    this.totalLength += terms.length;
  }

  /** Remove a unit; unknown ids are ignored. */
  remove(id: number): void {
    const terms = this.unitTerms.get(id);
    if (!terms) return;
    for (const t of terms) {
      const p = this.postings.get(t);
      p?.delete(id);
      if (p && p.size === 0) {
        this.postings.delete(t);
        this.sorted = null;
      }
    }
    this.totalLength -= this.lengths.get(id) ?? 0;
    this.unitTerms.delete(id);
    this.lengths.delete(id);
  }

  /** Sorted vocabulary for prefix search; rebuilt on demand after the vocabulary changed. */
  private sorted: string[] | null = null;

  /** Indexed terms starting with `prefix` (binary search over the sorted vocabulary). */
  termsWithPrefix(prefix: string): string[] {
    if (!this.sorted) this.sorted = [...this.postings.keys()].sort();
    const keys = this.sorted;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }

  /** Document frequency of a group (units containing any member). */
  groupDf(group: QueryGroup): number {
    return this.groupTf(group).size;
  }

  /** Inverse document frequency of a group (Lucene's BM25 idf). */
  idf(df: number): number {
    const n = this.lengths.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private groupTf(group: QueryGroup): Map<number, number> {
    const members = [...new Set(group.terms)];
    if (members.length === 1) return this.postings.get(members[0]) ?? new Map();
    const sum = new Map<number, number>();
    for (const t of members) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (const [id, n] of p) sum.set(id, (sum.get(id) ?? 0) + n);
    }
    return sum;
  }

  /**
   * Score every unit that contains at least one group.
   * @param filter keep only units for which it returns true (scope filtering).
   * @returns hits sorted by descending score (ties: lower id first), and each group's idf.
   */
  search(groups: QueryGroup[], filter?: (id: number) => boolean): { hits: LexicalHit[]; idfs: number[] } {
    const n = this.lengths.size;
    const avgdl = n ? this.totalLength / n : 1;
    const acc = new Map<number, LexicalHit>();
    const idfs: number[] = [];
    groups.forEach((g, gi) => {
      const tfs = this.groupTf(g);
      const idf = this.idf(tfs.size);
      idfs.push(idf);
      for (const [id, tf] of tfs) {
        if (filter && !filter(id)) continue;
        const dl = this.lengths.get(id) ?? 0;
        const s = (g.weight * idf * (tf * (BM25_K1 + 1))) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * dl) / avgdl));
        let hit = acc.get(id);
        if (!hit) acc.set(id, (hit = { id, score: 0, matched: new Array(groups.length).fill(false) }));
        hit.score += s;
        hit.matched[gi] = true;
      }
    });
    const hits = [...acc.values()].sort((a, b) => b.score - a.score || a.id - b.id);
    return { hits, idfs };
  }
}
