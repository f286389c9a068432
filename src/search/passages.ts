/**
 * Passage search: chunks scored by their own BM25 plus their paragraph's BM25, fused with the
 * paragraph's concept-space cosine when question and paragraph are in different languages.
 *
 * Ranking a passage by its ~3-sentence chunk alone lost 2–4 points of recall@1 in trials
 * (a sibling chunk wins on the one word it lacks); adding the surrounding paragraph's score
 * restores paragraph-level quality while keeping chunk-sized citations.
 *
 * Before scoring, query groups that match no paragraph get fallbacks (dictionary phrases fall
 * back to their words, German compounds to their parts, other German words to prefix matches),
 * and German questions get English translations while English documents are indexed.
 */
import { LexicalIndex, type QueryGroup } from './lexical.js';
import { coverage } from './confidence.js';
import { ConceptIndex, ConceptSpace, type ConceptQueryWord } from './concept.js';
import type { Dictionary } from './dictionary.js';
import { isStopword, stem, type StemLang } from '../text/stem.js';
import { Decompounder } from '../text/decompound.js';

/** Weight of the paragraph's BM25 in a chunk's score (measured with `npm run eval`). */
export const PARAGRAPH_WEIGHT = 1.0;
/**
 * Weight of a paragraph's concept-space cosine (src/search/concept.ts) against the BM25 score,
 * both divided by their best value for the query: `cross` when the question and the paragraph are
 * in different languages, `same` otherwise. Measured with scripts/eval.ts (XQuAD en→de, pool
 * 240): cross 0 → 0.4 raised recall@1/@5 from 84.2/94.9 to 85.8/96.7 (0.3–0.6 within noise;
 * 1.0 hurt @1); with 1,028 distractor articles 78.2/89.6 → 80.7/91.1. In the same language it
 * only cost points (de→de −1 to −3 @1 at 0.3–0.6), so `same` is 0 and skips the scorer.
 */
export const CONCEPT_WEIGHT: Readonly<{ cross: number; same: number }> = { cross: 0.4, same: 0 };
/** Paragraphs found only by the concept space that are ranked at all (best cosines first). */
const CONCEPT_DEPTH = 50;

/** What the searcher keeps per chunk. */
export interface ChunkInfo {
  id: number;
  docId: string;
  paragraphId: number;
  start: number;
  end: number;
}

/** A chunk with its lexical score and how much of the query it covers. */
export interface ScoredChunk {
  chunk: ChunkInfo;
  score: number;
  /**
   * The abstention signal, in [0, 1]: the specificity-weighted share of the query groups that
   * occur in this chunk (src/search/confidence.ts). Independent of corpus statistics, so one
   * threshold (config ABSTAIN_THRESHOLD, calibrated by scripts/calibrate.ts) fits corpora of
   * any size.
   */
  coverage: number;
}

/** A document as the searcher indexes it. */
export interface IndexedDocument {
  id: string;
  scope: string | null;
  /** Stemmer language of the document's terms (default German). */
  language?: StemLang;
  paragraphs: { id: number; terms: string[]; chunks: (ChunkInfo & { terms: string[] })[] }[];
}

/** Chunk + paragraph BM25 indexes over all scopes, filtered per query. */
export class PassageSearcher {
  readonly chunks = new LexicalIndex();
  readonly paragraphs = new LexicalIndex();
  private readonly conceptIndex: ConceptIndex | null;
  /**
   * Paragraphs added with `deferConcepts` whose concept vectors are not built yet, in add order.
   * Built by {@link warmUp} in the background, or synchronously by the first operation that needs
   * the concept index, so results never depend on how far the warm-up got.
   */
  private readonly conceptQueue = new Map<number, { terms: string[]; lang: StemLang }>();
  private readonly chunkInfo = new Map<number, ChunkInfo>();
  private readonly paraChunks = new Map<number, number[]>();
  private readonly paraDoc = new Map<number, string>();
  private readonly paraLang = new Map<number, StemLang>();
  /** Number of indexed paragraphs per language. */
  private readonly langCount: Record<StemLang, number> = { de: 0, en: 0 };
  private readonly docScope = new Map<string, string | null>();
  private readonly docParas = new Map<string, number[]>();

  /**
   * @param dict the Ding dictionary: enables the concept-space scorer (src/search/concept.ts) and
   *   the compound fallback of unknown query words. Without it, ranking is BM25 alone.
   */
  constructor(dict: Dictionary | null = null) {
    this.conceptIndex = dict ? new ConceptIndex(conceptSpaceOf(dict)) : null;
    this.decompounder = dict ? new Decompounder(dict.deFreq) : null;
  }
  private readonly decompounder: Decompounder | null;

  /** Concept-space index over paragraphs (complete: deferred paragraphs are built first); null without a dictionary. */
  get concepts(): ConceptIndex | null {
    this.buildConcepts(Infinity);
    return this.conceptIndex;
  }

  /** Build the concept vectors of up to `limit` deferred paragraphs. */
  private buildConcepts(limit: number): void {
    if (!this.conceptIndex || this.conceptQueue.size === 0) return;
    let n = 0;
    for (const [pid, p] of this.conceptQueue) {
      if (n++ >= limit) break;
      this.conceptIndex.add(pid, p.terms, p.lang);
      this.conceptQueue.delete(pid);
    }
  }

  /** Number of paragraphs whose deferred concept vectors are not built yet. */
  get conceptBacklog(): number {
    return this.conceptQueue.size;
  }

  /**
   * Build the deferred concept vectors (see {@link add}) in slices of `slice` paragraphs, yielding
   * to the event loop between slices. Anything that needs them before it finishes builds the rest
   * at once. Resolves when none are left.
   */
  async warmUp(slice = 32): Promise<void> {
    while (this.conceptIndex && this.conceptQueue.size > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.buildConcepts(slice);
    }
  }

  /** Number of indexed chunks. */
  get size(): number {
    return this.chunkInfo.size;
  }

  /**
   * Index a document (replacing an earlier one with the same id).
   * @param options.deferConcepts queue its paragraphs' concept vectors instead of building them
   *   now (bulk loading at start-up: see {@link warmUp}); ranking is the same either way.
   */
  add(doc: IndexedDocument, options: { deferConcepts?: boolean } = {}): void {
    this.remove(doc.id);
    this.docScope.set(doc.id, doc.scope);
    this.docParas.set(doc.id, doc.paragraphs.map((p) => p.id));
    for (const p of doc.paragraphs) {
      this.paragraphs.add(p.id, p.terms);
      // Without a concept index nothing is ever built, so nothing may be queued: a queue that
      // cannot drain kept warmUp() spinning and the process from exiting (issue 14).
      if (options.deferConcepts && this.conceptIndex) this.conceptQueue.set(p.id, { terms: p.terms, lang: doc.language ?? 'de' });
      else this.conceptIndex?.add(p.id, p.terms, doc.language ?? 'de');
      this.paraLang.set(p.id, doc.language ?? 'de');
      this.langCount[doc.language ?? 'de']++;
      this.paraDoc.set(p.id, doc.id);
      this.paraChunks.set(p.id, p.chunks.map((c) => c.id));
      for (const c of p.chunks) {
        this.chunks.add(c.id, c.terms);
        this.chunkInfo.set(c.id, { id: c.id, docId: c.docId, paragraphId: c.paragraphId, start: c.start, end: c.end });
      }
    }
  }

  /** Drop a document; returns its chunk ids (for the vector index). */
  remove(docId: string): number[] {
    const removed: number[] = [];
    for (const pid of this.docParas.get(docId) ?? []) {
      this.paragraphs.remove(pid);
      this.conceptQueue.delete(pid);
      this.conceptIndex?.remove(pid);
      const lang = this.paraLang.get(pid);
      if (lang) this.langCount[lang]--;
      this.paraLang.delete(pid);
      for (const cid of this.paraChunks.get(pid) ?? []) {
        this.chunks.remove(cid);
        this.chunkInfo.delete(cid);
        removed.push(cid);
      }
      this.paraChunks.delete(pid);
      this.paraDoc.delete(pid);
    }
    this.docParas.delete(docId);
    this.docScope.delete(docId);
    return removed;
  }

  /** Each group's idf over the chunk index (how informative a matched group is). */
  groupIdfs(groups: QueryGroup[]): number[] {
    return groups.map((g) => this.chunks.idf(this.chunks.groupDf(g)));
  }

  /**
   * Fallbacks for German question words that no indexed paragraph contains (df = 0), so that they
   * can still match something:
   * - a compound the decompounder can split ("Kostümsammlung") becomes one group per part, each
   *   with 1/n of its weight and specificity (documents are indexed with their compounds' parts,
   *   so the parts meet "Sammlung von Kostümen");
   * - otherwise a stem of ≥ 6 letters also matches index terms that share its first
   *   max(5, length − 3) letters and are at most 3 letters longer ("produziert" → "produzi",
   *   "produzier"), covering inflections the Snowball stemmer leaves apart.
   * English single words are left alone (their translations already offer alternatives).
   * Measured with scripts/eval.ts: compounds and prefixes XQuAD de→de recall@1/@5 +1.7/+0.8
   * points, MLQA +1.2/+1.9; phrase fallback XQuAD en→de +0.8/+0.5, with distractors +0.9/+0.4
   * (within noise, kept because it repairs a clear failure: "corporal punishment" lost both
   * words when the phrase's translation "Prügelstrafe" did not occur).
   * The expanded groups also define the chunks' `coverage`.
   */
  private expandUnknown(groups: QueryGroup[]): QueryGroup[] {
    const out: QueryGroup[] = [];
    for (const g of groups) {
      if (g.fallback?.length && this.paragraphs.groupDf(g) === 0) {
        for (const f of g.fallback) out.push({ ...f, weight: f.weight * g.weight });
        continue;
      }
      if (g.lang !== 'de' || /[\d\s]/.test(g.label) || this.paragraphs.groupDf(g) > 0) {
        out.push(g);
        continue;
      }
      const parts = this.decompounder?.split(g.label) ?? [];
      if (parts.length > 0) {
        for (const part of parts) {
          out.push({ ...g, label: part, terms: [stem(part, 'de')], weight: g.weight / parts.length, specificity: (g.specificity ?? 1) / parts.length });
        }
        continue;
      }
      const st = stem(g.label, 'de');
      if (st.length >= 6) {
        const alts = this.paragraphs.termsWithPrefix(st.slice(0, Math.max(5, st.length - 3))).filter((t) => t.length <= st.length + 3 && !/\d/.test(t));
        if (alts.length > 0) {
          out.push({ ...g, terms: [...new Set([...g.terms, ...alts])] });
          continue;
        }
      }
      out.push(g);
    }
    return out;
  }

  /**
   * German question, English documents: add to each German group the English stems of its word's
   * dictionary translations (src/search/concept.ts `translate`), the mirror image of what
   * buildQuery does for English questions. Only English paragraphs are matched with these groups
   * (English stems added to German paragraphs' queries cost MLQA 5 points of recall@5 when one
   * context had been detected as English). XQuAD's English paragraphs asked in German (632 questions): recall@1/@5 55.9/70.3
   * with BM25 alone, 65.7/85.3 with the concept scorer, 78.8/90.0 with these translations too.
   */
  private withEnglish(groups: QueryGroup[]): QueryGroup[] {
    const space = this.conceptIndex!.space;
    return groups.map((g) => {
      if (g.lang !== 'de' || /\d/.test(g.label)) return g;
      const extra = g.label.split(' ').flatMap((w) => (w && !isStopword(w, 'de') ? space.translate(stem(w, 'de'), 'de', 'en') : []));
      return extra.length ? { ...g, terms: [...new Set([...g.terms, ...extra])] } : g;
    });
  }

  /** True when some indexed paragraph is not in `lang`. */
  private hasLanguageOtherThan(lang: StemLang): boolean {
    return (lang === 'de' ? this.langCount.en : this.langCount.de) > 0;
  }

  /** Chunk metadata by id. */
  chunk(id: number): ChunkInfo | undefined {
    return this.chunkInfo.get(id);
  }

  /** True when the document is visible from `scope` (shared documents are visible everywhere). */
  visible(docId: string, scope: string | null): boolean {
    if (!this.docScope.has(docId)) return false;
    const s = this.docScope.get(docId);
    return s === null || s === scope;
  }

  /**
   * Rank the chunks visible from `scope` for the query groups.
   *
   * Score of a chunk = its BM25 + PARAGRAPH_WEIGHT × its paragraph's BM25; with a concept index,
   * that sum divided by the query's best sum, plus CONCEPT_WEIGHT × the paragraph's concept
   * cosine divided by the query's best cosine (paragraphs found only by the concept space take
   * part with that second term alone).
   * @returns chunks by descending score; at most `limit`.
   */
  search(groups: QueryGroup[], scope: string | null, limit: number): ScoredChunk[] {
    if (groups.length === 0) return [];
    groups = this.expandUnknown(groups);
    const paraVisible = (pid: number) => this.visible(this.paraDoc.get(pid) ?? '', scope);
    const chunkPara = (cid: number) => this.chunkInfo.get(cid)?.paragraphId ?? -1;
    const qLang = queryLanguage(groups);
    // German question and English paragraphs: those are matched with the translated groups
    // (same order and length), every other paragraph with the question's own groups.
    const english = this.conceptIndex && qLang === 'de' && this.langCount.en > 0 ? this.withEnglish(groups) : null;
    const isEnglish = (pid: number) => this.paraLang.get(pid) === 'en';
    const para = this.paragraphs.search(groups, english ? (pid) => paraVisible(pid) && !isEnglish(pid) : paraVisible);
    const chunk = this.chunks.search(groups, english ? (cid) => paraVisible(chunkPara(cid)) && !isEnglish(chunkPara(cid)) : (cid) => paraVisible(chunkPara(cid)));
    const groupsOf = (pid: number) => (english && isEnglish(pid) ? english : groups);
    if (english) {
      const paraEn = this.paragraphs.search(english, (pid) => paraVisible(pid) && isEnglish(pid));
      const chunkEn = this.chunks.search(english, (cid) => paraVisible(chunkPara(cid)) && isEnglish(chunkPara(cid)));
      para.hits.push(...paraEn.hits);
      para.hits.sort((a, b) => b.score - a.score || a.id - b.id);
      chunk.hits.push(...chunkEn.hits);
    }
    const chunkScore = new Map(chunk.hits.map((h) => [h.id, h]));
    const lambdaOf = (pid: number) => ((this.paraLang.get(pid) ?? 'de') === qLang ? CONCEPT_WEIGHT.same : CONCEPT_WEIGHT.cross);
    const useConcepts = this.conceptIndex !== null && (CONCEPT_WEIGHT.same > 0 || (CONCEPT_WEIGHT.cross > 0 && this.hasLanguageOtherThan(qLang)));
    const cosines = useConcepts ? this.concepts!.search(conceptQuery(groups, para.idfs), (pid) => paraVisible(pid) && lambdaOf(pid) > 0) : new Map<number, number>();
    const out: ScoredChunk[] = [];
    const push = (pid: number, paraScore: number) => {
      for (const cid of this.paraChunks.get(pid) ?? []) {
        const c = chunkScore.get(cid);
        out.push({
          chunk: this.chunkInfo.get(cid)!,
          score: (c?.score ?? 0) + PARAGRAPH_WEIGHT * paraScore,
          coverage: c ? coverage(groupsOf(pid), c.matched) : 0,
        });
      }
    };
    for (const p of para.hits) push(p.id, p.score);
    if (cosines.size > 0) {
      const bestLexical = out.reduce((m, r) => Math.max(m, r.score), 0) || 1;
      let bestCos = 0;
      for (const v of cosines.values()) bestCos = Math.max(bestCos, v);
      for (const r of out) r.score = r.score / bestLexical + (lambdaOf(r.chunk.paragraphId) * (cosines.get(r.chunk.paragraphId) ?? 0)) / bestCos;
      const lexical = new Set(para.hits.map((p) => p.id));
      const extra = [...cosines].filter(([pid]) => !lexical.has(pid)).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, CONCEPT_DEPTH);
      for (const [pid, cos] of extra) {
        const from = out.length;
        push(pid, 0);
        for (let i = from; i < out.length; i++) out[i].score = (lambdaOf(pid) * cos) / bestCos;
      }
    }
    out.sort((a, b) => b.score - a.score || a.chunk.id - b.chunk.id);
    return out.slice(0, limit);
  }
}

/** One concept space per dictionary (its memoised word vectors are shared by every index). */
const spaces = new WeakMap<Dictionary, ConceptSpace>();
export function conceptSpaceOf(dict: Dictionary): ConceptSpace {
  let s = spaces.get(dict);
  if (!s) spaces.set(dict, (s = new ConceptSpace(dict)));
  return s;
}

/** The question's language as the query builder saw it (German when unknown). */
function queryLanguage(groups: QueryGroup[]): StemLang {
  return groups.some((g) => g.lang === 'en') ? 'en' : 'de';
}

/** Concept-space query words: each content word of each group label, weighted by the group's idf. */
function conceptQuery(groups: QueryGroup[], idfs: number[]): ConceptQueryWord[] {
  const out: ConceptQueryWord[] = [];
  groups.forEach((g, i) => {
    const lang = g.lang ?? 'de';
    for (const w of g.label.split(' ')) {
      if (!w || isStopword(w, lang)) continue;
      out.push({ entries: stem(w, lang), lang, identity: [...new Set([stem(w, 'de'), stem(w, 'en')])], weight: g.weight * (idfs[i] ?? 1) });
    }
  });
  return out;
}
