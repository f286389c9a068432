/**
 * Lexical passage search: chunks scored by their own BM25 plus their paragraph's BM25.
 *
 * Ranking a passage by its ~3-sentence chunk alone lost 2–4 points of recall@1 in trials
 * (a sibling chunk wins on the one word it lacks); adding the surrounding paragraph's score
 * restores paragraph-level quality while keeping chunk-sized citations.
 */
import { LexicalIndex, type QueryGroup } from './lexical.js';

/** Weight of the paragraph's BM25 in a chunk's score (measured with `npm run eval`). */
export const PARAGRAPH_WEIGHT = 1.0;

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
   * Share of the query's idf mass found in the chunk's paragraph, in [0, 1]:
   * Σ idf(matched groups) / Σ idf(all groups). The abstention signal.
   */
  coverage: number;
}

/** A document as the searcher indexes it. */
export interface IndexedDocument {
  id: string;
  scope: string | null;
  paragraphs: { id: number; terms: string[]; chunks: (ChunkInfo & { terms: string[] })[] }[];
}

/** Chunk + paragraph BM25 indexes over all scopes, filtered per query. */
export class PassageSearcher {
  readonly chunks = new LexicalIndex();
  readonly paragraphs = new LexicalIndex();
  private readonly chunkInfo = new Map<number, ChunkInfo>();
  private readonly paraChunks = new Map<number, number[]>();
  private readonly paraDoc = new Map<number, string>();
  private readonly docScope = new Map<string, string | null>();
  private readonly docParas = new Map<string, number[]>();

  /** Number of indexed chunks. */
  get size(): number {
    return this.chunkInfo.size;
  }

  /** Index a document (replacing an earlier one with the same id). */
  add(doc: IndexedDocument): void {
    this.remove(doc.id);
    this.docScope.set(doc.id, doc.scope);
    this.docParas.set(doc.id, doc.paragraphs.map((p) => p.id));
    for (const p of doc.paragraphs) {
      this.paragraphs.add(p.id, p.terms);
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
   * @returns chunks by descending score; at most `limit`.
   */
  search(groups: QueryGroup[], scope: string | null, limit: number): ScoredChunk[] {
    if (groups.length === 0) return [];
    const paraVisible = (pid: number) => this.visible(this.paraDoc.get(pid) ?? '', scope);
    const para = this.paragraphs.search(groups, paraVisible);
    const chunk = this.chunks.search(groups, (cid) => paraVisible(this.chunkInfo.get(cid)?.paragraphId ?? -1));
    const chunkScore = new Map(chunk.hits.map((h) => [h.id, h]));
    const totalIdf = chunk.idfs.reduce((a, b) => a + b, 0) || 1;
    const out: ScoredChunk[] = [];
    for (const p of para.hits) {
      const cover = p.matched.reduce((a, m, i) => a + (m ? chunk.idfs[i] : 0), 0) / totalIdf;
      for (const cid of this.paraChunks.get(p.id) ?? []) {
        const c = chunkScore.get(cid);
        out.push({
          chunk: this.chunkInfo.get(cid)!,
          score: (c?.score ?? 0) + PARAGRAPH_WEIGHT * p.score,
          coverage: cover,
        });
      }
    }
    out.sort((a, b) => b.score - a.score || a.chunk.id - b.chunk.id);
    return out.slice(0, limit);
  }
}
