/**
 * The "concept space" scorer: a second ranking signal that matches words through the dictionary
 * entries they share, in either language, so "drones" meets "Drohnen" and "herstellen" meets
 * "produzieren" without choosing one translation.
 *
 * Every word (a Snowball stem of the unit's language) is a vector over Ding entries: the entries
 * its stem occurs in — at most {@link MAX_ENTRIES} of them, the shortest (most direct) first —
 * each 1/√n, plus an identity dimension of its own at weight {@link IDENTITY_WEIGHT} so that
 * names and words the dictionary lacks still match themselves. A unit (paragraph) is the sum of
 * its words' vectors weighted by 1 + ln tf, normalised; a query is the sum of its words' vectors
 * weighted by their BM25 idf. The score is the cosine.
 *
 * It is computed without materialising the units' vectors: a unit is Σ_t f_t·(w_t + λ·e_t)/‖u‖
 * (f_t = 1 + ln tf, w_t the word's entry part, e_t its identity dimension, λ = IDENTITY_WEIGHT), so
 * q·u = Σ_t f_t·(q·w_t + λ·q_t)/‖u‖. {@link ConceptIndex} reads an inverted index from words to
 * units (the compact postings of src/search/postings.ts: tf per posting, f_t derived at query
 * time) with each unit's language and norm attached to its slot — in PassageSearcher the very
 * paragraph postings BM25 uses, so the paragraphs are stored once; a query scores the words that
 * share an entry with it (found through a per-language entry → indexed words table) or are among
 * its identity stems, then walks those words' postings, keeping units of the scored languages. A
 * word has an identity dimension while some indexed unit contains it (removed units take theirs
 * with them). Building a unit is linear in its words (its norm and the new words' entries); the
 * norms and the listed words are saved in the lexical index snapshot, so a restart rebuilds
 * nothing (before, a restart re-derived every paragraph's vector: ~20 s of background work at
 * 54k chunks).
 *
 * In throwaway trials (shared/notes/retrieval-trials.md) this added ~+4 points of recall@1 over
 * BM25 for English questions on German text when fused by a weighted sum (not RRF: as an equal
 * vote the weaker ranker hurt). Here (fused in PassageSearcher, weight chosen before the
 * tuning/reporting split): on the reporting part XQuAD en→de search-only recall@1/@5 85.3/95.4
 * without it, 86.2/96.3 with it (inside the 95 % interval), German questions on English
 * paragraphs 65.9/82.9 → 73.3/87.1 (see CONCEPT_WEIGHT in passages.ts). Keeping the 30 shortest entries
 * per word instead of 15, 60, 100 or the first 30 made no difference beyond noise (±0.5).
 *
 * The same tables give {@link ConceptSpace.translate}: German → English stems for German
 * questions about English documents.
 */
import type { Dictionary } from './dictionary.js';
import type { StemLang } from '../text/stem.js';
import { Postings } from './postings.js';
import { topK } from './topk.js';
import { EntryWords } from './entry-words.js';

/** Entries kept per word: the shortest lines (direct translations before idioms and examples). */
export const MAX_ENTRIES = 30;
/** Entries (shortest first) whose other-language stems count as a stem's translations. */
export const TRANSLATION_ENTRIES = 8;
/** Translations kept per stem. */
const MAX_TRANSLATIONS = 8;
/** Weight of a word's own dimension relative to its (unit-norm) entry part. */
export const IDENTITY_WEIGHT = 0.5;

/** A word's entry part: entry ids, each with the same value `val` (1/√n as a 32-bit float). */
interface EntryPart {
  dims: Int32Array;
  val: number;
}

/** One query word for {@link ConceptIndex.search}. */
export interface ConceptQueryWord {
  entries: string;
  lang: StemLang;
  identity: string[];
  weight: number;
}

/** The concept vectors of words for one dictionary (memoised; shared by indexes). */
export class ConceptSpace {
  private readonly entryParts: Record<StemLang, Map<string, EntryPart>> = { de: new Map(), en: new Map() };
  private entrySize: Uint16Array | null = null;

  constructor(readonly dict: Dictionary) {}

  /** Number of stems in each entry (both languages), computed once from the stem tables. */
  private sizes(): Uint16Array {
    if (this.entrySize) return this.entrySize;
    const size = new Uint16Array(this.dict.entryCount);
    for (const lang of ['de', 'en'] as const) {
      const ids = this.dict.stems[lang].allEntryIds();
      for (let i = 0; i < ids.length; i++) if (size[ids[i]] < 65535) size[ids[i]]++;
    }
    return (this.entrySize = size);
  }

  /** Per language: entry id → its stems (CSR arrays), built on first use. */
  private readonly entryStems: Partial<Record<StemLang, { offsets: Int32Array; stems: string[] }>> = {};

  private stemsOfEntries(lang: StemLang): { offsets: Int32Array; stems: string[] } {
    const hit = this.entryStems[lang];
    if (hit) return hit;
    const table = this.dict.stems[lang];
    const count = new Int32Array(this.dict.entryCount + 1);
    const keys = table.keys();
    for (const k of keys) for (const e of table.get(k)!) count[e + 1]++;
    for (let i = 1; i < count.length; i++) count[i] += count[i - 1];
    const offsets = Int32Array.from(count);
    const fill = Int32Array.from(count);
    const stems = new Array<string>(offsets[offsets.length - 1]);
    for (const k of keys) for (const e of table.get(k)!) stems[fill[e]++] = k;
    return (this.entryStems[lang] = { offsets, stems });
  }

  /**
   * Translations of a stem: the `to`-language stems of its {@link TRANSLATION_ENTRIES} shortest
   * dictionary entries, most frequent among them first (at most {@link MAX_TRANSLATIONS}).
   * @returns [] when the dictionary does not know the stem.
   */
  translate(term: string, from: StemLang, to: StemLang): string[] {
    const entries = this.dict.stems[from].get(term);
    if (!entries || entries.length === 0) return [];
    const size = this.sizes();
    const best = [...entries].sort((a, b) => size[a] - size[b] || a - b).slice(0, TRANSLATION_ENTRIES);
    const { offsets, stems } = this.stemsOfEntries(to);
    const votes = new Map<string, number>();
    for (const e of best) for (let i = offsets[e]; i < offsets[e + 1]; i++) votes.set(stems[i], (votes.get(stems[i]) ?? 0) + 1);
    return [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_TRANSLATIONS).map(([t]) => t);
  }

  /** The unit-norm entry part of a stem's vector in `lang` (empty when the dictionary lacks it). Memoised. */
  entries(term: string, lang: StemLang): EntryPart {
    const memo = this.entryParts[lang];
    const hit = memo.get(term);
    if (hit) return hit;
    let entries = this.dict.stems[lang].get(term) ?? EMPTY_DIMS;
    if (entries.length > MAX_ENTRIES) entries = shortestEntries(entries, this.sizes(), MAX_ENTRIES);
    // Words the dictionary lacks (names, numbers, many compounds) share one empty part.
    const out = entries.length ? { dims: entries, val: Math.fround(1 / Math.sqrt(entries.length)) } : EMPTY_PART;
    memo.set(term, out);
    return out;
  }

  /** Scratch array over entry ids for a query's entry part; all zeros between uses. */
  queryScratch(): Float64Array {
    return (this.qacc ??= new Float64Array(this.dict.entryCount));
  }
  private qacc: Float64Array | null = null;

  /** Scratch accumulator over entry ids (for {@link ConceptIndex} norms); all zeros between uses. */
  scratch(): Float64Array {
    return (this.acc ??= new Float64Array(this.dict.entryCount));
  }
  private acc: Float64Array | null = null;
}

const EMPTY_DIMS = new Int32Array(0);
const EMPTY_PART: EntryPart = { dims: EMPTY_DIMS, val: 0 };

/**
 * The `k` entries with the fewest stems (ties: lower id), in ascending id order. Same result as
 * sorting by (size, id) and taking the first `k`; sorts packed (size·2^32 + id) numbers natively.
 */
function shortestEntries(entries: Int32Array, size: Uint16Array, k: number): Int32Array {
  const keys = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) keys[i] = size[entries[i]] * 4294967296 + entries[i];
  keys.sort();
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = keys[i] % 4294967296;
  return out.sort();
}

/** 1 + ln tf for small tf (the same doubles as computing it; avoids a log per posting). */
const LOG_TF = Float64Array.from({ length: 256 }, (_, tf) => (tf === 0 ? 0 : 1 + Math.log(tf)));
const logTf = (tf: number) => (tf < 256 ? LOG_TF[tf] : 1 + Math.log(tf));

/** Column of a unit's language in the postings the concept index reads (0 = German, 1 = English). */
export const LANG_COLUMN = 0;
/** Column of a unit's concept vector norm (0 = not built yet). */
export const NORM_COLUMN = 1;
const LANG_CODE: Record<StemLang, number> = { de: 0, en: 1 };

/**
 * Cosine similarity in the concept space over units (paragraphs) with integer ids.
 *
 * Storage: a {@link Postings} (word → unit slots with term frequencies, in the compact CSR base +
 * delta form of src/search/postings.ts; f_t = 1 + ln tf is derived from tf at query time) with
 * each unit's language ({@link LANG_COLUMN}) and vector norm ({@link NORM_COLUMN}) attached to its
 * slot, and per language an entry id → words table for the words the dictionary knows. No
 * per-word or per-unit JS objects.
 *
 * The postings are either its own ({@link add} indexes the terms) or, `attached`, another index's
 * with the same units and terms (PassageSearcher's paragraph BM25 postings): then the owner adds
 * and removes the units and sets their language, and {@link add} only computes the norm and lists
 * the words — one copy of the paragraph postings serves both scorers.
 */
export class ConceptIndex {
  /** Own postings (stand-alone), or null when attached. */
  private readonly own: Postings | null;
  /**
   * Per language: entry id → the words (ever indexed, only words with entries) whose entry part
   * includes it, in listing order (src/search/entry-words.ts).
   */
  private readonly byEntry: Record<StemLang, EntryWords> = { de: new EntryWords(), en: new EntryWords() };
  /** Per scored language of one call: reused accumulators, marks and touched slots. */
  private scratch: { acc: Float64Array; has: Uint8Array; touched: Int32Array; used: number }[] = [];

  private scratchFor(i: number, bound: number): { acc: Float64Array; has: Uint8Array; touched: Int32Array; used: number } {
    let sc = this.scratch[i];
    if (!sc || sc.has.length < bound) {
      const cap = Math.max(bound, 2 * (sc?.has.length ?? 0));
      sc = this.scratch[i] = { acc: new Float64Array(cap), has: new Uint8Array(cap), touched: sc?.touched ?? new Int32Array(256), used: 0 };
    } else {
      for (let k = 0; k < sc.used; k++) sc.has[sc.touched[k]] = 0;
    }
    sc.used = 0;
    return sc;
  }

  /** Search scratch: one word's postings. */
  private bufSlots: Int32Array = new Int32Array(0);
  private bufTfs: Int32Array = new Int32Array(0);

  /**
   * @param attached the postings of another index to read (see the class doc); omitted: own ones.
   */
  constructor(
    readonly space: ConceptSpace,
    private readonly attached?: () => Postings,
  ) {
    this.own = attached ? null : new Postings();
  }

  private get postings(): Postings {
    return this.own ?? this.attached!();
  }

  /** Number of indexed units. */
  get size(): number {
    return this.postings.size;
  }

  /** Fold pending changes into the compact segments (after a bulk load); scores do not change. */
  compact(): void {
    this.own?.compact();
  }

  /** Approximate bytes held by the typed arrays (own postings only; not the word strings or the entry table). */
  typedBytes(): number {
    return this.own?.typedBytes() ?? 0;
  }

  /**
   * Index a unit from its terms (with repeats) in language `lang`. Re-adding replaces it. Linear
   * in `terms.length`. Attached: the unit must be in the postings already (with these terms).
   * @throws Error when attached and the unit is not in the postings.
   */
  add(id: number, terms: string[], lang: StemLang): void {
    this.prepare();
    const postings = this.postings;
    if (this.own) {
      this.own.add(id, terms);
      this.own.setValue(this.own.slot(id), LANG_CODE[lang], LANG_COLUMN);
    }
    const slot = postings.slot(id);
    if (slot < 0) throw new Error(`concept index: unit ${id} is not in the postings`);
    // Term frequencies in first-occurrence order.
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const byEntry = this.byEntry[lang];
    // ‖u‖² = Σ_entries (Σ_t f_t·w_t)² + Σ_t (λ·f_t)² (identity dimensions are one per word).
    const acc = this.space.scratch();
    const dims: number[] = [];
    let sq = 0;
    for (const [t, n] of tf) {
      const w = this.space.entries(t, lang);
      if (w.dims.length > 0) byEntry.add(t, w.dims);
      const f = logTf(n);
      for (let i = 0; i < w.dims.length; i++) {
        const d = w.dims[i];
        if (acc[d] === 0) dims.push(d);
        acc[d] += f * w.val;
      }
      sq += (f * IDENTITY_WEIGHT) ** 2;
    }
    for (const d of dims) {
      sq += acc[d] * acc[d];
      acc[d] = 0;
    }
    postings.setValue(slot, Math.sqrt(sq) || 1, NORM_COLUMN);
  }

  /** Remove a unit; unknown ids are ignored. Attached: the owner removes it from the postings. */
  remove(id: number): void {
    this.own?.remove(id);
  }

  /** True when some unit has the word: it has an identity dimension. */
  private known(word: string): boolean {
    return this.postings.termId(word) >= 0;
  }

  /** The listed words per language, in listing order (for a snapshot; see {@link restoreListed}). */
  listedWords(): Record<StemLang, string[]> {
    this.prepare();
    return { de: this.byEntry.de.list(), en: this.byEntry.en.list() };
  }

  /**
   * Restore the listed words of a snapshot (replacing the current ones): the entry → words table
   * is rebuilt in the same order as when they were listed, so searches add in the same order.
   * Linear in the words' entries.
   */
  restoreListed(words: Record<StemLang, readonly string[]>): void {
    this.pendingListed = words;
    for (const lang of ['de', 'en'] as const) this.byEntry[lang].clear();
  }

  /** Listed words restored but not yet put in the entry table (built by {@link prepare} or the first use). */
  private pendingListed: Record<StemLang, readonly string[]> | null = null;

  /** True while restored listed words wait for {@link prepare}. */
  get pending(): boolean {
    return this.pendingListed !== null;
  }

  /** Build the entry → words table of restored listed words now (else the first add or search does). */
  prepare(): void {
    const words = this.pendingListed;
    if (!words) return;
    this.pendingListed = null;
    for (const lang of ['de', 'en'] as const) this.byEntry[lang].rebuild(words[lang], (t) => this.space.entries(t, lang).dims, this.space.dict.entryCount);
  }

  /**
   * Cosine of the query with every unit sharing a dimension with it, as a map (see {@link score}).
   * @returns unit id → cosine in [0, 1].
   */
  search(words: ConceptQueryWord[], filter?: (id: number) => boolean, langs: readonly StemLang[] = ['de', 'en']): Map<number, number> {
    const r = this.score(words, filter, langs);
    const out = new Map<number, number>();
    for (let i = 0; i < r.count; i++) out.set(r.idAt(i), r.cosAt(i));
    return out;
  }

  /**
   * Cosine of the query with every unit sharing a dimension with it, exhaustively (every posting
   * of every word that shares a dimension with the query is read; the caller's top-k cut-offs
   * work on the result, see PassageSearcher.search).
   * @param words query words: `entries` = the stem whose dictionary entries stand for it (in
   *   `lang`), `identity` = stems that match document terms literally (e.g. its German and English
   *   stems), `weight` = e.g. its idf.
   * @param filter keep only units for which it returns true.
   * @param langs score only units of these languages (the others are not visited at all).
   * @returns the scored units in slot-indexed arrays (valid until the next call of score/search).
   */
  score(words: ConceptQueryWord[], filter?: (id: number) => boolean, langs: readonly StemLang[] = ['de', 'en']): ConceptScores {
    // The query vector: entry part (entry id → value) and identity part (word → value). Identity
    // dimensions exist only for words some unit has, as when they were materialised.
    this.prepare();
    const qEntries = new Map<number, number>();
    const qIdentity = new Map<string, number>();
    for (const { entries, lang, identity, weight } of words) {
      const w = this.space.entries(entries, lang);
      for (let i = 0; i < w.dims.length; i++) qEntries.set(w.dims[i], (qEntries.get(w.dims[i]) ?? 0) + weight * w.val);
      for (const t of identity) if (this.known(t)) qIdentity.set(t, (qIdentity.get(t) ?? 0) + weight * IDENTITY_WEIGHT);
    }
    let qn = 0;
    for (const v of qEntries.values()) qn += v * v;
    for (const v of qIdentity.values()) qn += v * v;
    qn = Math.sqrt(qn);
    const parts: ConceptPart[] = [];
    if (qn === 0) return new ConceptScores(parts);
    // The entry part as a dense array over entry ids (0 where the query has none), for the
    // per-word dot products below; reset before returning.
    const qDense = this.space.queryScratch();
    for (const [d, v] of qEntries) qDense[d] = v;
    try {
      const postings = this.postings;
      const langOf = postings.column(LANG_COLUMN);
      const normOf = postings.column(NORM_COLUMN);
      for (const lang of langs) {
        if (postings.size === 0) continue;
        const code = LANG_CODE[lang];
        // Accumulators indexed by unit slots, reused across calls (the previous result's marks are
        // cleared first: a result is valid until the next call).
        const sc = this.scratchFor(parts.length, postings.slotBound);
        const acc = sc.acc;
        const stamp = sc.has;
        let touched = sc.touched;
        let n = 0;
        // Words of this language that share an entry with the query, plus its identity words, in
        // a fixed order (identity words, then by query entry): each unit's sum is added in that order.
        const candidates = new Set<string>(qIdentity.keys());
        const byEntry = this.byEntry[lang];
        const addCandidate = (t: string) => candidates.add(t);
        for (const d of qEntries.keys()) byEntry.forEachWord(d, addCandidate);
        for (const t of candidates) {
          const tid = postings.termId(t);
          if (tid < 0) continue;
          const w = this.space.entries(t, lang);
          let s = (qIdentity.get(t) ?? 0) * IDENTITY_WEIGHT;
          for (let i = 0; i < w.dims.length; i++) s += qDense[w.dims[i]] * w.val;
          if (s === 0) continue;
          const need = postings.storedLength(tid);
          if (this.bufSlots.length < need) {
            this.bufSlots = new Int32Array(need * 2);
            this.bufTfs = new Int32Array(need * 2);
          }
          const slots = this.bufSlots;
          const tfs = this.bufTfs;
          const m = postings.collect(tid, slots, tfs, 0);
          for (let i = 0; i < m; i++) {
            const u = slots[i];
            if (langOf[u] !== code) continue;
            const f = tfs[i] < 256 ? LOG_TF[tfs[i]] : 1 + Math.log(tfs[i]);
            if (stamp[u] === 0) {
              stamp[u] = 1;
              acc[u] = f * s;
              if (n === touched.length) {
                const b = new Int32Array(n * 2);
                b.set(touched);
                touched = b;
              }
              touched[n++] = u;
            } else acc[u] += f * s;
          }
        }
        // Cosines in place; filtered units leave the touched list.
        let k = 0;
        for (let i = 0; i < n; i++) {
          const u = touched[i];
          if (filter && !filter(postings.idOf(u))) {
            stamp[u] = 0;
            continue;
          }
          acc[u] = acc[u] / (qn * normOf[u]);
          touched[k++] = u;
        }
        sc.touched = touched;
        sc.used = k;
        parts.push({ postings, cos: acc, has: stamp, slots: touched.subarray(0, k) });
      }
    } finally {
      for (const d of qEntries.keys()) qDense[d] = 0;
    }
    return new ConceptScores(parts);
  }
}

/** One language's part of a {@link ConceptScores}: cosines by unit slot. */
interface ConceptPart {
  postings: Postings;
  /** Cosine by slot (meaningful where `has` is 1). */
  cos: Float64Array;
  /** 1 for the scored (touched, not filtered) slots; 2 once {@link ConceptScores.take} took one. */
  has: Uint8Array;
  /** The scored slots. */
  slots: Int32Array;
}

/**
 * The cosines of one concept query ({@link ConceptIndex.score}): per language, arrays indexed by
 * unit slot, so that looking up a unit, the best cosine and the best units not yet taken cost no
 * map per unit.
 */
export class ConceptScores {
  /** Number of scored units. */
  readonly count: number;
  constructor(private readonly parts: ConceptPart[]) {
    this.count = parts.reduce((n, p) => n + p.slots.length, 0);
  }

  private locate(i: number): { part: ConceptPart; slot: number } {
    for (const part of this.parts) {
      if (i < part.slots.length) return { part, slot: part.slots[i] };
      i -= part.slots.length;
    }
    throw new RangeError(`concept score index ${i} out of range`);
  }

  /** Id of the i-th scored unit (0 ≤ i < count; slot order within each language). */
  idAt(i: number): number {
    const { part, slot } = this.locate(i);
    return part.postings.idOf(slot);
  }

  /** Cosine of the i-th scored unit. */
  cosAt(i: number): number {
    const { part, slot } = this.locate(i);
    return part.cos[slot];
  }

  /** The largest cosine (0 when none). */
  max(): number {
    let best = 0;
    for (const p of this.parts) for (let i = 0; i < p.slots.length; i++) best = Math.max(best, p.cos[p.slots[i]]);
    return best;
  }

  /**
   * The cosine of unit `id` (0 when it was not scored), marking it as taken: {@link bestUntaken}
   * leaves it out. One slot lookup.
   */
  take(id: number): number {
    for (const p of this.parts) {
      const s = p.postings.slot(id);
      if (s >= 0 && p.has[s] !== 0) {
        p.has[s] = 2;
        return p.cos[s];
      }
    }
    return 0;
  }

  /** {@link take} by the unit's slot in the scored postings (no lookup). */
  takeSlot(slot: number): number {
    for (const p of this.parts) {
      if (slot < p.has.length && p.has[slot] !== 0) {
        p.has[slot] = 2;
        return p.cos[slot];
      }
    }
    return 0;
  }

  /**
   * The `k` best units not taken, by cosine descending, then id ascending (a strict order: the
   * same as sorting them all), with their slots. O(n log k) (src/search/topk.ts).
   */
  bestUntaken(k: number): { id: number; slot: number; cos: number }[] {
    const part: ConceptPart[] = [];
    let n = 0;
    for (const p of this.parts) n += p.slots.length;
    const slots = new Int32Array(n);
    const cos = new Float64Array(n);
    let m = 0;
    for (const p of this.parts) {
      for (let i = 0; i < p.slots.length; i++) {
        const s = p.slots[i];
        if (p.has[s] !== 1) continue;
        part[m] = p;
        slots[m] = s;
        cos[m++] = p.cos[s];
      }
    }
    // Ids are read only to break ties.
    const better = (a: number, b: number) => cos[a] > cos[b] || (cos[a] === cos[b] && part[a].postings.idOf(slots[a]) < part[b].postings.idOf(slots[b]));
    return topK(m, k, better).map((i) => ({ id: part[i].postings.idOf(slots[i]), slot: slots[i], cos: cos[i] }));
  }

}