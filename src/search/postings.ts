/**
 * Compact inverted postings: term → (unit slot, term frequency) lists, kept apart from scoring
 * (src/search/lexical.ts), as Lucene keeps its postings format apart from its Similarity.
 *
 * Layout, in the manner of Lucene's segments:
 * - a *base* segment in CSR form — `baseOff[tid] .. baseOff[tid + 1]` indexes `baseSlot` /
 *   `baseTf` (Int32Array, 8 bytes a posting, no per-term object);
 * - a *delta* segment of plain arrays for the units added since the base was built;
 * - deletions as tombstones (`alive[slot] = 0`) with live document frequencies kept per term, so
 *   statistics are exact at all times.
 * Slots are handed out in increasing order and never reused before a compaction, so every list is
 * sorted by slot. {@link compact} folds delta and tombstones into a new base; it runs by itself
 * when the delta or the dead units outgrow the base (doubling: amortised linear in the postings),
 * and after bulk loads. Per unit, its distinct term ids are kept (CSR in the base) for removal.
 *
 * Terms are interned once (term id `tid`); a term whose live df fell to 0 stays interned until the
 * next compaction but is invisible ({@link termId} returns -1).
 */
import { lowerBound } from './bisect.js';

/** Postings of one term in the delta segment, in slot order. */
interface DeltaList {
  slots: number[];
  tfs: number[];
}

/** What {@link Postings.save} writes and {@link Postings.load} reads (all arrays compacted). */
export interface PostingsData {
  terms: string[];
  off: Int32Array;
  slot: Int32Array;
  /** Term frequencies: one byte each when every one is below 256 (see {@link narrowTf}), else 32-bit. */
  tf: TfArray;
  unitOff: Int32Array;
  unitTids: Int32Array;
  ids: Float64Array;
  lengths: Int32Array;
}

const EMPTY_I32: Int32Array = new Int32Array(0);

/** Term frequencies of the base segment. */
export type TfArray = Uint8Array | Int32Array;

/**
 * The term frequencies as one byte each when all fit (the usual case: a term rarely occurs 256
 * times in one chunk or paragraph), else as they are: 3 bytes less per posting in memory and in
 * the snapshot, read as fast (a typed-array load either way), values unchanged — the narrow-width
 * idea of Lucene's packed postings blocks without their bit packing. Linear.
 */
export function narrowTf(tf: TfArray): TfArray {
  if (tf instanceof Uint8Array) return tf;
  for (let i = 0; i < tf.length; i++) if (tf[i] > 255) return tf;
  return Uint8Array.from(tf);
}
/** Term maps shared by two postings ({@link Postings.shareVocabulary}); never written to. */
const sharedMaps = new WeakSet<Map<string, number>>();
/** Source of {@link Postings.generation} values. */
let generations = 0;

/** Growable typed-array helpers (capacity doubling). */
function growI32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
function growF64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, need: number): Uint8Array {
  if (need <= a.length) return a;
  const b = new Uint8Array(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
}

/** Inverted postings over units with numeric external ids (chunk or paragraph row ids). */
export class Postings {
  private terms: string[] = [];
  /** Term → term id; built on first use after {@link install} (a snapshot load need not pay for it). */
  private tidMap: Map<string, number> | null = new Map();
  /**
   * Set by {@link shareVocabulary}: the term map is built once for both postings (whichever asks
   * first) and shared until one of them interns a new term, which then copies it first.
   */
  private vocabHolder: { map: Map<string, number> | null } | null = null;
  private get tidOf(): Map<string, number> {
    if (this.tidMap) return this.tidMap;
    const holder = this.vocabHolder;
    if (holder?.map) return (this.tidMap = holder.map);
    const m = new Map<string, number>();
    for (let t = 0; t < this.terms.length; t++) m.set(this.terms[t], t);
    if (holder) {
      holder.map = m;
      sharedMaps.add(m);
    }
    return (this.tidMap = m);
  }

  /**
   * After a load: when both postings have the same terms in the same order (the chunk and the
   * paragraph postings of one corpus usually do), keep one copy of the term strings and one
   * term → id map for both (copy-on-write: a postings that interns a new term copies the map
   * first). Saves a string and a map entry per term. Linear in the terms' characters.
   * @returns true when the vocabularies were equal and are now shared.
   */
  shareVocabulary(other: Postings): boolean {
    const a = this.terms;
    const b = other.terms;
    if (this.tidMap || other.tidMap || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    this.terms = b.slice();
    this.vocabHolder = other.vocabHolder = { map: null };
    return true;
  }
  /** Live document frequency per term id. */
  private df: Int32Array = new Int32Array(0);

  private baseOff: Int32Array = new Int32Array(1);
  private baseSlot: Int32Array = EMPTY_I32;
  private baseTf: TfArray = EMPTY_I32;
  /** Slots below this are in the base segment. */
  private baseSlots = 0;
  private baseUnitOff: Int32Array = new Int32Array(1);
  private baseUnitTids: Int32Array = EMPTY_I32;

  /** Delta lists, in the order their terms first entered the delta; `deltaOf[tid]` = index + 1 (0: none). */
  private deltaLists: DeltaList[] = [];
  private deltaOf: Int32Array = EMPTY_I32;
  private deltaPostings = 0;
  private deltaUnitTids = new Map<number, Int32Array>();

  /** Per slot: external id, length (terms with repeats), alive flag. */
  private extId: Float64Array = new Float64Array(0);
  private len: Int32Array = new Int32Array(0);
  private alive: Uint8Array = new Uint8Array(0);
  /**
   * Per slot, numbers the owners attach to the unit ({@link setValue}), one array per column;
   * kept through compaction. Columns are the owners' (e.g. a paragraph's language and its concept
   * vector norm): an index stays one set of postings however many scorers read it.
   */
  private cols: Float64Array[] = [];
  /**
   * Changes whenever slots are renumbered ({@link compact}, a load): slots kept elsewhere are
   * stale. Unique across all Postings objects, so a replaced index never looks unchanged.
   */
  generation = ++generations;
  private slotCount = 0;
  /**
   * Id → slot, only once ids stopped ascending with the slots (a re-added id). While every
   * added id is larger than the one before (store row ids are), {@link slot} binary-searches the
   * slot-ordered ids instead: no map entry per unit (~45 bytes each).
   */
  private slotMap: Map<number, number> | null = null;
  private live = 0;
  private dead = 0;
  /** Sum of the live units' lengths. */
  totalLength = 0;

  /** Number of live units. */
  get size(): number {
    return this.live;
  }

  /** Slot of a live unit, or -1 (binary search while ids ascend with slots, else the map). */
  private findSlot(id: number): number {
    if (this.slotMap) return this.slotMap.get(id) ?? -1;
    const ids = this.extId;
    const lo = lowerBound(ids, this.slotCount, id);
    return lo < this.slotCount && ids[lo] === id && this.alive[lo] === 1 ? lo : -1;
  }

  /** Switch to the id → slot map (ids no longer ascend with slots). Linear in the slots. */
  private useSlotMap(): Map<number, number> {
    if (this.slotMap) return this.slotMap;
    const m = new Map<number, number>();
    for (let s = 0; s < this.slotCount; s++) if (this.alive[s] === 1) m.set(this.extId[s], s);
    return (this.slotMap = m);
  }

  /** Slots handed out so far (live or dead): the bound of slot-indexed scratch arrays. */
  get slotBound(): number {
    return this.slotCount;
  }

  /** External id of a slot. */
  idOf(slot: number): number {
    return this.extId[slot];
  }

  /** Length (number of terms, with repeats) of a slot's unit. */
  lengthOf(slot: number): number {
    return this.len[slot];
  }

  /** The number attached to a slot's unit in column `col` by {@link setValue} (0 when none was). */
  valueOf(slot: number, col = 0): number {
    const c = this.cols[col];
    return c !== undefined && slot < c.length ? c[slot] : 0;
  }

  /** Column `col` over the slots (for hot loops: index by slot, 0 where unset); valid until the next add. */
  column(col: number): Float64Array {
    while (this.cols.length <= col) this.cols.push(new Float64Array(0));
    this.cols[col] = growF64(this.cols[col], this.slotCount);
    return this.cols[col];
  }

  /**
   * Attach a number to a slot's unit in column `col` (e.g. the concept index's vector norm); it
   * follows the unit when {@link compact} renumbers slots. Not part of {@link export} (see
   * {@link exportColumn}).
   */
  setValue(slot: number, v: number, col = 0): void {
    this.column(col)[slot] = v;
  }

  /** True when the slot holds a live unit. */
  isAlive(slot: number): boolean {
    return this.alive[slot] === 1;
  }

  /** Slot of a live unit, or -1. */
  slot(id: number): number {
    return this.findSlot(id);
  }

  /** Term id of a term some live unit has, or -1. */
  termId(term: string): number {
    const t = this.tidOf.get(term);
    return t !== undefined && this.df[t] > 0 ? t : -1;
  }

  /** Live document frequency of a term id. */
  docFreq(tid: number): number {
    return this.df[tid];
  }

  /** Terms some live unit has (unsorted). */
  liveTerms(): string[] {
    const out: string[] = [];
    for (let t = 0; t < this.terms.length; t++) if (this.df[t] > 0) out.push(this.terms[t]);
    return out;
  }

  /** Bumped whenever the set of live terms may have changed (for caches of the vocabulary). */
  vocabularyVersion = 0;

  /**
   * Add a unit's terms (with repeats; frequencies are counted here). Re-adding an id replaces it.
   * Linear in `terms.length`.
   */
  add(id: number, terms: readonly string[]): void {
    if (this.findSlot(id) >= 0) this.remove(id);
    if (!this.slotMap && this.slotCount > 0 && this.extId[this.slotCount - 1] >= id) this.useSlotMap();
    const slot = this.slotCount++;
    this.extId = growF64(this.extId, this.slotCount);
    this.len = growI32(this.len, this.slotCount);
    this.alive = growU8(this.alive, this.slotCount);
    this.extId[slot] = id;
    this.len[slot] = terms.length;
    this.alive[slot] = 1;
    this.slotMap?.set(id, slot);
    this.live++;
    this.totalLength += terms.length;
    // The unit's entry is the last one of each of its terms' delta lists while it is added.
    const tids: number[] = [];
    let tidOf = this.tidOf;
    for (const term of terms) {
      let tid = tidOf.get(term);
      if (tid === undefined) {
        if (sharedMaps.has(tidOf)) {
          // The map is shared with another postings (shareVocabulary): copy before writing.
          tidOf = this.tidMap = new Map(tidOf);
          this.vocabHolder = null;
        }
        tid = this.terms.length;
        this.terms.push(term);
        tidOf.set(term, tid);
        this.df = growI32(this.df, this.terms.length);
      }
      let list = this.deltaList(tid);
      if (!list) {
        this.deltaOf = growI32(this.deltaOf, this.terms.length);
        this.deltaOf[tid] = this.deltaLists.push((list = { slots: [], tfs: [] }));
      }
      const last = list.slots.length - 1;
      if (last >= 0 && list.slots[last] === slot) list.tfs[last]++;
      else {
        list.slots.push(slot);
        list.tfs.push(1);
        if (this.df[tid]++ === 0) this.vocabularyVersion++;
        tids.push(tid);
        this.deltaPostings++;
      }
    }
    this.deltaUnitTids.set(slot, Int32Array.from(tids));
    if (this.deltaPostings > Math.max(this.baseSlot.length, 1 << 16)) this.compact();
  }

  /** Remove a unit; unknown ids are ignored. Linear in the unit's distinct terms. */
  remove(id: number): void {
    const slot = this.findSlot(id);
    if (slot < 0) return;
    this.slotMap?.delete(id);
    this.live--;
    this.alive[slot] = 0;
    this.totalLength -= this.len[slot];
    this.dead++;
    const tids = this.unitTids(slot);
    for (let i = 0; i < tids.length; i++) if (--this.df[tids[i]] === 0) this.vocabularyVersion++;
    if (this.dead > Math.max(this.size, 1024)) this.compact();
  }

  /** The delta list of term `tid`, or undefined. */
  private deltaList(tid: number): DeltaList | undefined {
    const k = tid < this.deltaOf.length ? this.deltaOf[tid] : 0;
    return k > 0 ? this.deltaLists[k - 1] : undefined;
  }

  private unitTids(slot: number): Int32Array {
    if (slot < this.baseSlots) return this.baseUnitTids.subarray(this.baseUnitOff[slot], this.baseUnitOff[slot + 1]);
    return this.deltaUnitTids.get(slot) ?? EMPTY_I32;
  }

  /**
   * Call `fn(slot, tf)` for each live unit containing term `tid`, in slot order.
   * Cost: the term's postings (tombstones included until the next compaction).
   */
  forEach(tid: number, fn: (slot: number, tf: number) => void): void {
    const alive = this.alive;
    if (tid + 1 < this.baseOff.length) {
      const slots = this.baseSlot;
      const tfs = this.baseTf;
      for (let i = this.baseOff[tid], end = this.baseOff[tid + 1]; i < end; i++) if (alive[slots[i]] === 1) fn(slots[i], tfs[i]);
    }
    const d = this.deltaList(tid);
    if (d) for (let i = 0; i < d.slots.length; i++) if (alive[d.slots[i]] === 1) fn(d.slots[i], d.tfs[i]);
  }

  /** Postings of term `tid` stored (live and tombstoned): the capacity {@link collect} needs. */
  storedLength(tid: number): number {
    const base = tid + 1 < this.baseOff.length ? this.baseOff[tid + 1] - this.baseOff[tid] : 0;
    return base + (this.deltaList(tid)?.slots.length ?? 0);
  }

  /**
   * Write the live postings of term `tid` into `slots` / `tfs` from index `at` (capacity at least
   * `at` + {@link storedLength}); returns the new end. Slot order. No callback: the hot loop of
   * query scoring.
   */
  collect(tid: number, slots: Int32Array, tfs: Int32Array, at: number): number {
    const alive = this.alive;
    let w = at;
    if (tid + 1 < this.baseOff.length) {
      const bs = this.baseSlot;
      const bt = this.baseTf;
      for (let i = this.baseOff[tid], end = this.baseOff[tid + 1]; i < end; i++) {
        const s = bs[i];
        if (alive[s] === 1) {
          slots[w] = s;
          tfs[w++] = bt[i];
        }
      }
    }
    const d = this.deltaList(tid);
    if (d) {
      for (let i = 0; i < d.slots.length; i++) {
        const s = d.slots[i];
        if (alive[s] === 1) {
          slots[w] = s;
          tfs[w++] = d.tfs[i];
        }
      }
    }
    return w;
  }

  /** True when the live unit in `slot` contains term `tid`. */
  contains(tid: number, slot: number): boolean {
    return this.alive[slot] === 1 && this.tfOf(tid, slot) > 0;
  }

  /**
   * A live unit's terms with repeats, each distinct term `tf` times in a row, distinct terms in
   * their first-occurrence order (what a consumer counting frequencies in order, such as the
   * concept index, sees exactly as from the original list). [] for unknown ids.
   */
  unitTerms(id: number): string[] {
    const slot = this.findSlot(id);
    if (slot < 0) return [];
    const out: string[] = [];
    const tids = this.unitTids(slot);
    for (let i = 0; i < tids.length; i++) {
      const tf = this.tfOf(tids[i], slot);
      for (let k = 0; k < tf; k++) out.push(this.terms[tids[i]]);
    }
    return out;
  }

  /** Frequency of term `tid` in `slot` (0 when absent); binary search in the base, scan in the delta. */
  private tfOf(tid: number, slot: number): number {
    if (slot < this.baseSlots) {
      if (tid + 1 >= this.baseOff.length) return 0;
      let lo = this.baseOff[tid];
      const end = this.baseOff[tid + 1];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.baseSlot[mid] < slot) lo = mid + 1;
        else hi = mid;
      }
      return lo < end && this.baseSlot[lo] === slot ? this.baseTf[lo] : 0;
    }
    const d = this.deltaList(tid);
    const i = d ? d.slots.lastIndexOf(slot) : -1;
    return i >= 0 ? d!.tfs[i] : 0;
  }

  /**
   * Fold the delta segment and the tombstones into a new base segment; live units are renumbered
   * 0..size−1 in their slot order (so relative order, and every ranking, is unchanged). Linear in
   * the postings; called by itself when the delta or the dead outgrow the base.
   * @param order number the live terms in the order of this postings' terms (those it lacks
   *   after them, in their own order) instead of keeping their relative order; term ids are
   *   internal, so scores do not change (see {@link exportInOrderOf}). O(V log V) more for V terms.
   */
  compact(order?: Postings): void {
    const oldSlots = this.slotCount;
    const newSlotOf = new Int32Array(oldSlots).fill(-1);
    let live = 0;
    for (let s = 0; s < oldSlots; s++) if (this.alive[s] === 1) newSlotOf[s] = live++;
    // Term renumbering: live terms keep their relative order (or follow `order`'s).
    const liveTids: number[] = [];
    for (let t = 0; t < this.terms.length; t++) if (this.df[t] > 0) liveTids.push(t);
    if (order) {
      const key = new Float64Array(this.terms.length);
      const base = order.terms.length;
      for (const t of liveTids) {
        const o = order.tidOf.get(this.terms[t]);
        key[t] = o !== undefined ? o : base + t;
      }
      liveTids.sort((a, b) => key[a] - key[b]);
    }
    const newTid = new Int32Array(this.terms.length).fill(-1);
    const terms: string[] = [];
    for (const t of liveTids) newTid[t] = terms.push(this.terms[t]) - 1;
    const off = new Int32Array(terms.length + 1);
    for (const t of liveTids) off[newTid[t] + 1] = this.df[t];
    for (let t = 0; t < terms.length; t++) off[t + 1] += off[t];
    const total = off[terms.length];
    const slot = new Int32Array(total);
    const tf = new Int32Array(total);
    let w = 0;
    for (const t of liveTids) {
      this.forEach(t, (s, f) => {
        slot[w] = newSlotOf[s];
        tf[w++] = f;
      });
    }
    // Per unit distinct term ids, in the new numbering.
    const unitOff = new Int32Array(live + 1);
    const extId = new Float64Array(live);
    const len = new Int32Array(live);
    const cols = this.cols.map(() => new Float64Array(live));
    for (let s = 0; s < oldSlots; s++) {
      const n = newSlotOf[s];
      if (n < 0) continue;
      unitOff[n + 1] = this.unitTids(s).length;
      extId[n] = this.extId[s];
      len[n] = this.len[s];
      for (let k = 0; k < cols.length; k++) if (s < this.cols[k].length) cols[k][n] = this.cols[k][s];
    }
    for (let n = 0; n < live; n++) unitOff[n + 1] += unitOff[n];
    const unitTids = new Int32Array(unitOff[live]);
    for (let s = 0; s < oldSlots; s++) {
      const n = newSlotOf[s];
      if (n < 0) continue;
      const tids = this.unitTids(s);
      for (let i = 0; i < tids.length; i++) unitTids[unitOff[n] + i] = newTid[tids[i]];
    }
    this.install({ terms, off, slot, tf, unitOff, unitTids, ids: extId, lengths: len });
    this.cols = cols;
  }

  /** Replace everything by compacted arrays (from {@link compact} or a snapshot). */
  private install(d: PostingsData): void {
    const live = d.ids.length;
    this.terms = d.terms;
    this.tidMap = null;
    this.vocabHolder = null;
    this.df = new Int32Array(d.terms.length);
    for (let t = 0; t < d.terms.length; t++) this.df[t] = d.off[t + 1] - d.off[t];
    this.baseOff = d.off;
    this.baseSlot = d.slot;
    this.baseTf = narrowTf(d.tf);
    this.baseSlots = live;
    this.baseUnitOff = d.unitOff;
    this.baseUnitTids = d.unitTids;
    this.deltaLists = [];
    this.deltaOf = EMPTY_I32;
    this.deltaPostings = 0;
    this.deltaUnitTids = new Map();
    this.extId = d.ids;
    this.len = d.lengths;
    this.alive = new Uint8Array(live).fill(1);
    this.cols = this.cols.map(() => new Float64Array(live));
    this.generation = ++generations;
    this.slotCount = live;
    this.slotMap = null;
    this.live = live;
    let total = 0;
    let ascending = true;
    for (let s = 0; s < live; s++) {
      if (s > 0 && d.ids[s] <= d.ids[s - 1]) ascending = false;
      total += d.lengths[s];
    }
    if (!ascending) {
      this.slotMap = new Map();
      for (let s = 0; s < live; s++) this.slotMap.set(d.ids[s], s);
    }
    this.totalLength = total;
    this.dead = 0;
    this.vocabularyVersion++;
  }

  /**
   * {@link export} with the terms numbered in `other`'s order (compacting when they are not yet):
   * the chunk and paragraph postings of a snapshot then list the same vocabulary in the same
   * order, and a load shares one copy of it ({@link shareVocabulary}).
   */
  exportInOrderOf(other: Postings): PostingsData {
    const d = this.export();
    const o = other.terms;
    let same = d.terms.length === o.length;
    for (let i = 0; same && i < o.length; i++) same = d.terms[i] === o[i];
    if (same) return d;
    this.compact(other);
    return this.export();
  }

  /** The compacted arrays (compacts first); shared, not copied: do not modify. */
  export(): PostingsData {
    if (this.deltaPostings > 0 || this.dead > 0 || this.slotCount !== this.baseSlots) this.compact();
    return {
      terms: this.terms,
      off: this.baseOff,
      slot: this.baseSlot,
      tf: this.baseTf,
      unitOff: this.baseUnitOff,
      unitTids: this.baseUnitTids,
      ids: this.extId.subarray(0, this.baseSlots),
      lengths: this.len.subarray(0, this.baseSlots),
    };
  }

  /** Column `col` over the compacted slots (call after {@link export}, which compacts); a copy. */
  exportColumn(col: number): Float64Array {
    return Float64Array.from(this.column(col).subarray(0, this.baseSlots));
  }

  /**
   * Set column `col` for every slot (a snapshot's column, slots as exported).
   * @throws Error when the length is not the number of slots.
   */
  importColumn(col: number, values: Float64Array): void {
    if (values.length !== this.slotCount) throw new Error(`inconsistent postings data: column ${col} has ${values.length} values for ${this.slotCount} units`);
    this.column(col).set(values);
  }

  /**
   * Postings from exported arrays (a snapshot).
   * @throws Error when the arrays are inconsistent (wrong lengths, ids out of range).
   */
  static from(d: PostingsData): Postings {
    const n = d.ids.length;
    const v = d.terms.length;
    const bad = (why: string) => new Error(`inconsistent postings data: ${why}`);
    if (d.off.length !== v + 1 || d.off[0] !== 0 || d.off[v] !== d.slot.length || d.tf.length !== d.slot.length) throw bad('term offsets');
    if (d.lengths.length !== n || d.unitOff.length !== n + 1 || d.unitOff[0] !== 0 || d.unitOff[n] !== d.unitTids.length) throw bad('unit offsets');
    if (d.unitTids.length !== d.slot.length) throw bad('posting counts');
    // The arrays in locals: these loops run over every posting of a snapshot at each load.
    const { off, unitOff, slot, tf, unitTids } = d;
    for (let t = 0; t < v; t++) if (off[t + 1] < off[t]) throw bad('term offsets');
    for (let i = 0; i < n; i++) if (unitOff[i + 1] < unitOff[i]) throw bad('unit offsets');
    for (let i = 0, m = slot.length; i < m; i++) {
      const s = slot[i];
      if (s < 0 || s >= n || tf[i] < 1) throw bad('posting');
    }
    for (let i = 0, m = unitTids.length; i < m; i++) {
      const t = unitTids[i];
      if (t < 0 || t >= v) throw bad('unit terms');
    }
    const p = new Postings();
    p.install(d);
    if (p.slotMap && p.slotMap.size !== n) throw bad('duplicate unit ids');
    return p;
  }

  /** Approximate bytes held by the typed arrays (postings, units; not the term strings). */
  typedBytes(): number {
    return this.baseOff.byteLength + this.baseSlot.byteLength + this.baseTf.byteLength + this.baseUnitOff.byteLength + this.baseUnitTids.byteLength + this.extId.byteLength + this.len.byteLength + this.alive.byteLength + this.cols.reduce((n, c) => n + c.byteLength, 0) + this.df.byteLength;
  }
}
