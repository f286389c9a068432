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
 * q·u = Σ_t f_t·(q·w_t + λ·q_t)/‖u‖. {@link ConceptIndex} keeps per language an inverted index from
 * words to units (the compact postings of src/search/postings.ts: tf per posting, f_t derived at
 * query time) with each unit's norm attached to its slot; a query scores the words that share an
 * entry with it (found through an entry → indexed words table) or are among its identity stems,
 * then walks those words' postings. A word has an identity dimension while some indexed unit
 * contains it (removed units take theirs with them). Building is linear in the units' words, which matters because a
 * restart re-indexes every stored paragraph: for the 1,034 paragraphs of scripts/bench.ts's corpus
 * the materialised vectors (~6 M unit–entry postings) took ~3 s to build, this takes ~0.35 s
 * (~0.65 s in a fresh process), and questions are scored ~2× faster.
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

/**
 * Cosine similarity in the concept space over units (paragraphs) with integer ids.
 *
 * Storage: per language one {@link Postings} (word → unit slots with term frequencies, in the
 * compact CSR base + delta form of src/search/postings.ts; f_t = 1 + ln tf is derived from tf at
 * query time) with each unit's vector norm attached to its slot, and an entry id → words table
 * for the words the dictionary knows. No per-word or per-unit JS objects.
 */
export class ConceptIndex {
  /** Per language: the units' words. */
  private readonly words: Record<StemLang, Postings> = { de: new Postings(), en: new Postings() };
  /** Per language: entry id → the words (ever indexed) whose entry part includes it. */
  private readonly byEntry: Record<StemLang, Map<number, string[]>> = { de: new Map(), en: new Map() };
  /** Per language: the words already listed in {@link byEntry} (only words with entries). */
  private readonly listed: Record<StemLang, Set<string>> = { de: new Set(), en: new Set() };
  /** Search scratch over one language's slots: accumulated dot products, touched stamps. */
  private acc: Float64Array = new Float64Array(0);
  private stamp: Int32Array = new Int32Array(0);
  private epoch = 0;
  private bufSlots: Int32Array = new Int32Array(0);
  private bufTfs: Int32Array = new Int32Array(0);

  constructor(readonly space: ConceptSpace) {}

  /** Number of indexed units. */
  get size(): number {
    return this.words.de.size + this.words.en.size;
  }

  /** Fold pending changes into the compact segments (after a bulk load); scores do not change. */
  compact(): void {
    this.words.de.compact();
    this.words.en.compact();
  }

  /** Approximate bytes held by the typed arrays (not the word strings or the entry table). */
  typedBytes(): number {
    return this.words.de.typedBytes() + this.words.en.typedBytes() + this.acc.byteLength + this.stamp.byteLength;
  }

  /** Index a unit from its terms (with repeats) in language `lang`. Re-adding replaces it. Linear in `terms.length`. */
  add(id: number, terms: string[], lang: StemLang): void {
    this.remove(id);
    // Term frequencies in first-occurrence order.
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const listed = this.listed[lang];
    const byEntry = this.byEntry[lang];
    // ‖u‖² = Σ_entries (Σ_t f_t·w_t)² + Σ_t (λ·f_t)² (identity dimensions are one per word).
    const acc = this.space.scratch();
    const dims: number[] = [];
    let sq = 0;
    for (const [t, n] of tf) {
      const w = this.space.entries(t, lang);
      if (w.dims.length > 0 && !listed.has(t)) {
        listed.add(t);
        for (const d of w.dims) {
          const list = byEntry.get(d);
          if (list) list.push(t);
          else byEntry.set(d, [t]);
        }
      }
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
    const postings = this.words[lang];
    postings.add(id, terms);
    postings.setValue(postings.slot(id), Math.sqrt(sq) || 1);
  }

  /** Remove a unit; unknown ids are ignored. */
  remove(id: number): void {
    this.words.de.remove(id);
    this.words.en.remove(id);
  }

  /** True when some unit has the word: it has an identity dimension. */
  private known(word: string): boolean {
    return this.words.de.termId(word) >= 0 || this.words.en.termId(word) >= 0;
  }

  /**
   * Cosine of the query with every unit sharing a dimension with it.
   * @param words query words: `entries` = the stem whose dictionary entries stand for it (in
   *   `lang`), `identity` = stems that match document terms literally (e.g. its German and English
   *   stems), `weight` = e.g. its idf.
   * @param filter keep only units for which it returns true.
   * @param langs score only units of these languages (the others are not visited at all).
   * @returns unit id → cosine in [0, 1].
   */
  search(words: ConceptQueryWord[], filter?: (id: number) => boolean, langs: readonly StemLang[] = ['de', 'en']): Map<number, number> {
    // The query vector: entry part (entry id → value) and identity part (word → value). Identity
    // dimensions exist only for words some unit has, as when they were materialised.
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
    const out = new Map<number, number>();
    if (qn === 0) return out;
    for (const lang of langs) {
      const postings = this.words[lang];
      if (postings.size === 0) continue;
      // Accumulators indexed by this language's unit slots; `touched` lists the slots reached.
      const bound = postings.slotBound;
      if (this.acc.length < bound) {
        this.acc = new Float64Array(bound * 2);
        this.stamp = new Int32Array(bound * 2);
        this.epoch = 0;
      }
      if (++this.epoch === 0x7fffffff) {
        this.epoch = 1;
        this.stamp.fill(0);
      }
      const e = this.epoch;
      const acc = this.acc;
      const stamp = this.stamp;
      const touched: number[] = [];
      // Words of this language that share an entry with the query, plus its identity words.
      const candidates = new Set<string>(qIdentity.keys());
      const byEntry = this.byEntry[lang];
      for (const d of qEntries.keys()) for (const t of byEntry.get(d) ?? []) candidates.add(t);
      for (const t of candidates) {
        const tid = postings.termId(t);
        if (tid < 0) continue;
        const w = this.space.entries(t, lang);
        let s = (qIdentity.get(t) ?? 0) * IDENTITY_WEIGHT;
        for (let i = 0; i < w.dims.length; i++) s += (qEntries.get(w.dims[i]) ?? 0) * w.val;
        if (s === 0) continue;
        const need = postings.storedLength(tid);
        if (this.bufSlots.length < need) {
          this.bufSlots = new Int32Array(need * 2);
          this.bufTfs = new Int32Array(need * 2);
        }
        const slots = this.bufSlots;
        const tfs = this.bufTfs;
        const n = postings.collect(tid, slots, tfs, 0);
        for (let i = 0; i < n; i++) {
          const u = slots[i];
          const f = tfs[i] < 256 ? LOG_TF[tfs[i]] : 1 + Math.log(tfs[i]);
          if (stamp[u] !== e) {
            stamp[u] = e;
            acc[u] = f * s;
            touched.push(u);
          } else acc[u] += f * s;
        }
      }
      for (const u of touched) {
        const id = postings.idOf(u);
        if (filter && !filter(id)) continue;
        out.set(id, acc[u] / (qn * postings.valueOf(u)));
      }
    }
    return out;
  }
}
