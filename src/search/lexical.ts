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
 *
 * The postings themselves live in src/search/postings.ts; this file holds the scoring. A query
 * touches only the postings of its terms: accumulators are slot-indexed typed arrays (no map per
 * query), and which groups matched a unit is a bitset.
 */
import { lowerBound } from './bisect.js';
import { Postings } from './postings.js';

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
 * Every unit that contains at least one query group, with its BM25 score: parallel arrays over
 * the first `count` entries (in the order units were first touched, not sorted).
 */
export interface UnitScores {
  count: number;
  /** External unit ids. */
  ids: Float64Array;
  /** The units' slots in the index's postings (valid until the index next changes). */
  slots: Int32Array;
  scores: Float64Array;
  /** Matched groups: bit `gi & 31` of `masks[i * words + (gi >>> 5)]` is set when unit i has group gi. */
  masks: Uint32Array;
  words: number;
  /** Each group's idf (same order as the groups). */
  idfs: number[];
}

/** True when entry `i` of `r` matched group `gi`. */
export function matchedGroup(r: UnitScores, i: number, gi: number): boolean {
  return (r.masks[i * r.words + (gi >>> 5)] & (1 << (gi & 31))) !== 0;
}

/** The matched flags of entry `i`, as an array over `groups` groups. */
export function matchedFlags(r: UnitScores, i: number, groups: number): boolean[] {
  const out = new Array<boolean>(groups);
  for (let g = 0; g < groups; g++) out[g] = matchedGroup(r, i, g);
  return out;
}

/**
 * BM25 over units (chunks or paragraphs) identified by integer ids, on {@link Postings}.
 *
 * Per query: for each group, the live postings of its distinct member terms are merged (summed
 * frequencies per unit; a slot-indexed stamp array tells a unit already seen), its df is the
 * number of distinct units, and each unit's contribution is added in group order — the same
 * floating-point sums, hence the same scores, as the earlier map-based index. Cost: the query's
 * postings, never all units.
 */
export class LexicalIndex {
  private postings = new Postings();
  /** Scratch, indexed by slot: touched stamp / position, group-merge stamp / tf. */
  private stamp: Int32Array = new Int32Array(0);
  private pos: Int32Array = new Int32Array(0);
  private gstamp: Int32Array = new Int32Array(0);
  private gtf: Int32Array = new Int32Array(0);
  private epoch = 0;
  private groupEpoch = 0;
  /** Scratch lists of one group's postings. */
  private listSlots: Int32Array = new Int32Array(1024);
  private listTfs: Int32Array = new Int32Array(1024);

  /** Number of units indexed. */
  get size(): number {
    return this.postings.size;
  }

  /** Sum of the units' lengths (terms with repeats). */
  get totalLength(): number {
    return this.postings.totalLength;
  }

  /** Index a unit's terms (with repeats). Re-adding an id replaces it. Linear in `terms.length`. */
  add(id: number, terms: string[]): void {
    this.postings.add(id, terms);
  }

  /** Remove a unit; unknown ids are ignored. */
  remove(id: number): void {
    this.postings.remove(id);
  }

  /** Fold pending additions and removals into the compact segment (after a bulk load, before a snapshot). */
  compact(): void {
    this.postings.compact();
  }

  /** The underlying postings (for snapshots). */
  get data(): Postings {
    return this.postings;
  }

  /** Replace the contents by postings loaded from a snapshot. */
  replace(p: Postings): void {
    this.postings = p;
    this.sorted = null;
    this.stamp = new Int32Array(0);
    this.pos = new Int32Array(0);
    this.gstamp = new Int32Array(0);
    this.gtf = new Int32Array(0);
  }

  /** Sorted live vocabulary for prefix search; rebuilt after the vocabulary changed. */
  private sorted: string[] | null = null;
  private sortedVersion = -1;

  /** Indexed terms starting with `prefix` (binary search over the sorted vocabulary). */
  termsWithPrefix(prefix: string): string[] {
    if (!this.sorted || this.sortedVersion !== this.postings.vocabularyVersion) {
      this.sorted = this.postings.liveTerms().sort();
      this.sortedVersion = this.postings.vocabularyVersion;
    }
    const keys = this.sorted;
    const lo = lowerBound(keys, keys.length, prefix);
    const out: string[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }

  /** Document frequency of a group (units containing any member). */
  groupDf(group: QueryGroup): number {
    const tids = this.termIds(group);
    if (tids.length === 0) return 0;
    if (tids.length === 1) return this.postings.docFreq(tids[0]);
    return this.mergeGroup(tids);
  }

  /** Inverse document frequency of a group (Lucene's BM25 idf). */
  idf(df: number): number {
    const n = this.postings.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Distinct live term ids of a group's members. */
  private termIds(group: QueryGroup): number[] {
    const out: number[] = [];
    for (const t of group.terms) {
      const tid = this.postings.termId(t);
      if (tid >= 0 && !out.includes(tid)) out.push(tid);
    }
    return out;
  }

  private ensureScratch(): void {
    const n = this.postings.slotBound;
    if (this.stamp.length >= n) return;
    const cap = Math.max(n, this.stamp.length * 2, 1024);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.stamp = grow(this.stamp);
    this.pos = grow(this.pos);
    this.gstamp = grow(this.gstamp);
    this.gtf = grow(this.gtf);
  }

  /** A new stamp value for the touched-unit marks (stamps are cleared when the counter wraps). */
  private nextEpoch(): number {
    if (++this.epoch === 0x7fffffff) {
      this.epoch = 1;
      this.stamp.fill(0);
    }
    return this.epoch;
  }

  /** A new stamp value for the group-merge marks. */
  private nextGroupEpoch(): number {
    if (++this.groupEpoch === 0x7fffffff) {
      this.groupEpoch = 1;
      this.gstamp.fill(0);
    }
    return this.groupEpoch;
  }

  /**
   * The group's live postings into listSlots/listTfs (frequencies of the members summed per unit);
   * returns their number (= the group's df).
   */
  private mergeGroup(tids: number[]): number {
    const P = this.postings;
    let need = 0;
    for (const t of tids) need += P.storedLength(t);
    if (this.listSlots.length < need) {
      this.listSlots = new Int32Array(Math.max(need, this.listSlots.length * 2));
      this.listTfs = new Int32Array(this.listSlots.length);
    }
    if (tids.length === 1) return P.collect(tids[0], this.listSlots, this.listTfs, 0);
    this.ensureScratch();
    const e = this.nextGroupEpoch();
    const gstamp = this.gstamp;
    const gtf = this.gtf;
    const slots = this.listSlots;
    const tfs = this.listTfs;
    // Collect all members' postings at the end of the buffer region, then fold duplicates.
    let n = 0;
    for (const t of tids) {
      const from = n;
      n = P.collect(t, slots, tfs, n);
      let w = from;
      for (let i = from; i < n; i++) {
        const s = slots[i];
        if (gstamp[s] !== e) {
          gstamp[s] = e;
          gtf[s] = tfs[i];
          slots[w++] = s;
        } else gtf[s] += tfs[i];
      }
      n = w;
    }
    for (let i = 0; i < n; i++) tfs[i] = gtf[slots[i]];
    return n;
  }

  /**
   * BM25 of every unit that contains at least one group (no filtering, no sorting).
   * @returns see {@link UnitScores}; arrays are fresh (safe to keep across calls).
   */
  score(groups: QueryGroup[]): UnitScores {
    const P = this.postings;
    const n = P.size;
    const avgdl = n ? P.totalLength / n : 1;
    const words = Math.max(1, (groups.length + 31) >>> 5);
    this.ensureScratch();
    let cap = 256;
    let slotsOut = new Int32Array(cap);
    let scores = new Float64Array(cap);
    let masks = new Uint32Array(cap * words);
    let count = 0;
    const idfs: number[] = [];
    const touched = this.nextEpoch();
    const stamp = this.stamp;
    const pos = this.pos;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const tids = this.termIds(g);
      const len = tids.length ? this.mergeGroup(tids) : 0;
      const idf = this.idf(len);
      idfs.push(idf);
      if (len === 0) continue;
      const ls = this.listSlots;
      const lt = this.listTfs;
      const word = gi >>> 5;
      const bit = 1 << (gi & 31);
      for (let k = 0; k < len; k++) {
        const slot = ls[k];
        const tf = lt[k];
        const dl = P.lengthOf(slot);
        const s = (g.weight * idf * (tf * (BM25_K1 + 1))) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * dl) / avgdl));
        let i: number;
        if (stamp[slot] !== touched) {
          stamp[slot] = touched;
          if (count === cap) {
            cap *= 2;
            const a = new Int32Array(cap);
            a.set(slotsOut);
            slotsOut = a;
            const b = new Float64Array(cap);
            b.set(scores);
            scores = b;
            const c = new Uint32Array(cap * words);
            c.set(masks);
            masks = c;
          }
          i = count++;
          pos[slot] = i;
          slotsOut[i] = slot;
          scores[i] = 0;
        } else i = pos[slot];
        scores[i] += s;
        masks[i * words + word] |= bit;
      }
    }
    const ids = new Float64Array(count);
    for (let i = 0; i < count; i++) ids[i] = P.idOf(slotsOut[i]);
    return { count, ids, slots: slotsOut.subarray(0, count), scores: scores.subarray(0, count), masks: masks.subarray(0, count * words), words, idfs };
  }

  /**
   * Score every unit that contains at least one group.
   * @param filter keep only units for which it returns true (scope filtering).
   * @returns hits sorted by descending score (ties: lower id first), and each group's idf.
   */
  search(groups: QueryGroup[], filter?: (id: number) => boolean): { hits: LexicalHit[]; idfs: number[] } {
    const r = this.score(groups);
    const hits: LexicalHit[] = [];
    for (let i = 0; i < r.count; i++) {
      if (filter && !filter(r.ids[i])) continue;
      hits.push({ id: r.ids[i], score: r.scores[i], matched: matchedFlags(r, i, groups.length) });
    }
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return { hits, idfs: r.idfs };
  }
}
