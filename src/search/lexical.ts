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

/**
 * A term's posting list: unit ids and term frequencies in parallel arrays, in insertion order.
 * Plain arrays of small integers (V8 "SMI" elements) are compact and cheap to grow; removal is a
 * native `indexOf` plus a shift, linear in the list's length.
 */
class Posting {
  readonly ids: number[] = [];
  readonly tfs: number[] = [];
}

/** What a group matches: units and the summed frequency of the group's members in each. */
interface GroupTf {
  ids: readonly number[];
  tfs: readonly number[];
}

/**
 * BM25 over units (chunks or paragraphs) identified by integer ids.
 *
 * Layout (chosen for load speed: a restart re-indexes every stored unit): term → {@link Posting}
 * of parallel id/tf arrays; per unit its distinct terms and length. Adding a unit costs one map
 * lookup per term occurrence (frequencies are counted in the postings themselves) and allocates no
 * per-term or per-unit map; the earlier map-of-maps layout took ~1.6× as long to build and ~1.4× as
 * long to search (scripts/bench.ts corpus, 11,331 chunks + 1,034 paragraphs).
 */
export class LexicalIndex {
  private readonly postings = new Map<string, Posting>();
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
    // One map lookup per term occurrence: the unit's entry is the last one of each of its terms'
    // postings while it is being added (it was removed from all of them above).
    const distinct: string[] = [];
    for (const t of terms) {
      let p = this.postings.get(t);
      if (!p) {
        this.postings.set(t, (p = new Posting()));
        this.sorted = null;
      }
      const last = p.ids.length - 1;
      if (last >= 0 && p.ids[last] === id) p.tfs[last]++;
      else {
        p.ids.push(id);
        p.tfs.push(1);
        distinct.push(t);
      }
    }
    this.unitTerms.set(id, distinct);
    this.lengths.set(id, terms.length);
    this.totalLength += terms.length;
  }

  /** Remove a unit; unknown ids are ignored. */
  remove(id: number): void {
    const terms = this.unitTerms.get(id);
    if (!terms) return;
    for (const t of terms) {
      const p = this.postings.get(t);
      if (!p) continue;
      const i = p.ids.indexOf(id);
      if (i < 0) continue;
      p.ids.splice(i, 1);
      p.tfs.splice(i, 1);
      if (p.ids.length === 0) {
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
    return this.groupTf(group).ids.length;
  }

  /** Inverse document frequency of a group (Lucene's BM25 idf). */
  idf(df: number): number {
    const n = this.lengths.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private static readonly EMPTY: GroupTf = { ids: [], tfs: [] };

  /** Units containing any of the group's members, with the members' summed frequency. */
  private groupTf(group: QueryGroup): GroupTf {
    const terms = group.terms;
    // The common case, one member (or the same member repeated): the posting itself.
    let single = true;
    for (let i = 1; i < terms.length; i++) if (terms[i] !== terms[0]) single = false;
    if (terms.length === 0) return LexicalIndex.EMPTY;
    if (single) return this.postings.get(terms[0]) ?? LexicalIndex.EMPTY;
    const sum = new Map<number, number>();
    for (const t of new Set(terms)) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (let i = 0; i < p.ids.length; i++) sum.set(p.ids[i], (sum.get(p.ids[i]) ?? 0) + p.tfs[i]);
    }
    return { ids: [...sum.keys()], tfs: [...sum.values()] };
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
      const { ids, tfs } = this.groupTf(g);
      const idf = this.idf(ids.length);
      idfs.push(idf);
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k];
        const tf = tfs[k];
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
