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
 * weighted by their BM25 idf. The score is the cosine, computed through an inverted index from
 * dimensions to units.
 *
 * In throwaway trials (shared/notes/retrieval-trials.md) this added ~+4 points of recall@1 over
 * BM25 for English questions on German text when fused by a weighted sum (not RRF: as an equal
 * vote the weaker ranker hurt). Here (scripts/eval.ts, fused in PassageSearcher): XQuAD en→de
 * recall@1/@5 84.2/94.9 → 85.8/96.7, with 1,028 distractor articles 78.2/89.6 → 80.7/91.1;
 * German questions on English paragraphs 55.9/70.3 → 65.7/85.3. Keeping the 30 shortest entries
 * per word instead of 15, 60, 100 or the first 30 made no difference beyond noise (±0.5).
 *
 * The same tables give {@link ConceptSpace.translate}: German → English stems for German
 * questions about English documents.
 */
import type { Dictionary } from './dictionary.js';
import type { StemLang } from '../text/stem.js';

/** Entries kept per word: the shortest lines (direct translations before idioms and examples). */
export const MAX_ENTRIES = 30;
/** Entries (shortest first) whose other-language stems count as a stem's translations. */
export const TRANSLATION_ENTRIES = 8;
/** Translations kept per stem. */
const MAX_TRANSLATIONS = 8;
/** Weight of a word's own dimension relative to its (unit-norm) entry part. */
export const IDENTITY_WEIGHT = 0.5;

/** A sparse vector: parallel dimension ids and values. */
interface Sparse {
  dims: Int32Array;
  vals: Float32Array;
}

/** One query word for {@link ConceptIndex.search}. */
export interface ConceptQueryWord {
  entries: string;
  lang: StemLang;
  identity: string[];
  weight: number;
}

/** A growable posting list of (unit, value). */
class Postings {
  units = new Int32Array(4);
  vals = new Float32Array(4);
  n = 0;
  push(unit: number, val: number): void {
    if (this.n === this.units.length) {
      const u = new Int32Array(this.n * 2);
      u.set(this.units);
      this.units = u;
      const v = new Float32Array(this.n * 2);
      v.set(this.vals);
      this.vals = v;
    }
    this.units[this.n] = unit;
    this.vals[this.n] = val;
    this.n++;
  }
  delete(unit: number): void {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (this.units[r] === unit) continue;
      this.units[w] = this.units[r];
      this.vals[w] = this.vals[r];
      w++;
    }
    this.n = w;
  }
}

/** The concept vectors of words for one dictionary (memoised; shared by indexes). */
export class ConceptSpace {
  private readonly identity = new Map<string, number>();
  private readonly entryParts = new Map<string, Sparse>();
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

  /**
   * Id of the identity dimension of `term` (ids after the entry ids), registering it when
   * `create` (documents); queries only look up (a word no document has cannot match).
   */
  identityDim(term: string, create: boolean): number | undefined {
    let id = this.identity.get(term);
    if (id === undefined && create) this.identity.set(term, (id = this.dict.entryCount + this.identity.size));
    return id;
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

  /** The unit-norm entry part of a stem's vector in `lang` (empty when the dictionary lacks it). */
  entries(term: string, lang: StemLang): Sparse {
    const key = `${lang}:${term}`;
    const hit = this.entryParts.get(key);
    if (hit) return hit;
    let entries = this.dict.stems[lang].get(term) ?? new Int32Array(0);
    if (entries.length > MAX_ENTRIES) {
      const size = this.sizes();
      entries = Int32Array.from([...entries].sort((a, b) => size[a] - size[b] || a - b).slice(0, MAX_ENTRIES)).sort();
    }
    const v = entries.length ? 1 / Math.sqrt(entries.length) : 0;
    const out = { dims: entries, vals: new Float32Array(entries.length).fill(v) };
    this.entryParts.set(key, out);
    return out;
  }
}

/** Cosine similarity in the concept space over units (paragraphs) with integer ids. */
export class ConceptIndex {
  private readonly postings = new Map<number, Postings>();
  private readonly unitDims = new Map<number, Int32Array>();

  constructor(readonly space: ConceptSpace) {}

  /** Number of indexed units. */
  get size(): number {
    return this.unitDims.size;
  }

  /** Index a unit from its terms (with repeats) in language `lang`. Re-adding replaces it. */
  add(id: number, terms: string[], lang: StemLang): void {
    if (this.unitDims.has(id)) this.remove(id);
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const vec = new Map<number, number>();
    for (const [t, n] of tf) {
      const w = this.space.entries(t, lang);
      const f = 1 + Math.log(n);
      for (let i = 0; i < w.dims.length; i++) vec.set(w.dims[i], (vec.get(w.dims[i]) ?? 0) + f * w.vals[i]);
      const id = this.space.identityDim(t, true)!;
      vec.set(id, (vec.get(id) ?? 0) + f * IDENTITY_WEIGHT);
    }
    let norm = 0;
    for (const v of vec.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    const dims = new Int32Array(vec.size);
    let i = 0;
    for (const [d, v] of vec) {
      dims[i++] = d;
      let p = this.postings.get(d);
      if (!p) this.postings.set(d, (p = new Postings()));
      p.push(id, v / norm);
    }
    this.unitDims.set(id, dims);
  }

  /** Remove a unit; unknown ids are ignored. */
  remove(id: number): void {
    const dims = this.unitDims.get(id);
    if (!dims) return;
    for (const d of dims) {
      const p = this.postings.get(d);
      if (!p) continue;
      p.delete(id);
      if (p.n === 0) this.postings.delete(d);
    }
    this.unitDims.delete(id);
  }

  /**
   * Cosine of the query with every unit sharing a dimension with it.
   * @param words query words: `entries` = the stem whose dictionary entries stand for it (in
   *   `lang`), `identity` = stems that match document terms literally (e.g. its German and English
   *   stems), `weight` = e.g. its idf.
   * @param filter keep only units for which it returns true.
   * @returns unit id → cosine in [0, 1].
   */
  search(words: ConceptQueryWord[], filter?: (id: number) => boolean): Map<number, number> {
    const q = new Map<number, number>();
    for (const { entries, lang, identity, weight } of words) {
      const w = this.space.entries(entries, lang);
      for (let i = 0; i < w.dims.length; i++) q.set(w.dims[i], (q.get(w.dims[i]) ?? 0) + weight * w.vals[i]);
      for (const t of identity) {
        const id = this.space.identityDim(t, false);
        if (id !== undefined) q.set(id, (q.get(id) ?? 0) + weight * IDENTITY_WEIGHT);
      }
    }
    let qn = 0;
    for (const v of q.values()) qn += v * v;
    qn = Math.sqrt(qn);
    const acc = new Map<number, number>();
    if (qn === 0) return acc;
    for (const [d, qv] of q) {
      const p = this.postings.get(d);
      if (!p) continue;
      const s = qv / qn;
      for (let i = 0; i < p.n; i++) {
        const u = p.units[i];
        acc.set(u, (acc.get(u) ?? 0) + s * p.vals[i]);
      }
    }
    if (filter) for (const u of acc.keys()) if (!filter(u)) acc.delete(u);
    return acc;
  }
}
