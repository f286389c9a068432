/**
 * Dense retrieval: question → nearest chunk ids by cosine similarity of e5 embeddings.
 *
 * {@link DenseRetriever} ties the embedder (src/embed), the embedding cache and the HNSW index
 * (src/store) together and keeps the index in step with the chunk store:
 * - open:   {@link DenseRetriever.open} + {@link DenseRetriever.sync} with the store's chunk ids;
 * - ingest: {@link DenseRetriever.add} with the new chunks, then {@link DenseRetriever.flush};
 * - remove: {@link DenseRetriever.remove} with the removed chunk ids, then flush;
 * - ask:    {@link DenseRetriever.search}.
 * Vectors come from the cache when the (embedder fingerprint, chunk content hash) pair was embedded
 * before, so restarts, a lost index and re-ingested documents re-embed nothing.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Embedder } from '../embed/embedder.js';
import { contentHash } from '../corpus/document.js';
import { SqliteEmbeddingCache, type EmbeddingCache } from '../store/embedding-cache.js';
import { getDocumentText } from '../store/db.js';
import { VectorIndex, type OpenState, type VectorHit, type VectorIndexOptions } from '../store/vectors.js';
import { log } from '../log.js';

/** A chunk as dense retrieval needs it. `hash` defaults to {@link contentHash}(text). */
export interface DenseChunk {
  id: number;
  text: string;
  hash?: string;
}

/** Ids per `IN (…)` query; SQLite allows 32766 bound parameters. */
const ID_BATCH = 500;

/**
 * id, text and content hash of stored chunks, read from the store's `chunks` and `documents`
 * tables (a chunk's text is `documents.text.slice(start, end)`). Unknown ids are skipped.
 * Meant as the `fetch` argument of {@link DenseRetriever.sync} and for {@link DenseRetriever.add}.
 */
export function readChunkTexts(db: Database.Database, ids: number[]): DenseChunk[] {
  const rows: { id: number; doc_id: string; start: number; end: number; hash: string }[] = [];
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const part = ids.slice(i, i + ID_BATCH);
    rows.push(
      ...(db
        .prepare(`SELECT id, doc_id, start, "end" AS end, hash FROM chunks WHERE id IN (${part.map(() => '?').join(',')})`)
        .all(...part) as typeof rows),
    );
  }
  const texts = new Map<string, string>();
  return rows.map((r) => {
    let text = texts.get(r.doc_id);
    if (text === undefined) texts.set(r.doc_id, (text = getDocumentText(db, r.doc_id) ?? ''));
    return { id: r.id, text: text.slice(r.start, r.end), hash: r.hash };
  });
}

/** (done, total) chunks; cached chunks count as done at once. */
export type EmbedProgress = (done: number, total: number) => void;

/** What {@link DenseRetriever.add} did. */
export interface AddReport {
  /** Chunks run through the model. */
  embedded: number;
  /** Chunks whose vector came from the cache. */
  fromCache: number;
}

/** What {@link DenseRetriever.sync} found and did. */
export interface SyncReport extends AddReport {
  /** The index files as opened: 'ok' (verified), 'new' (none) or 'mismatch' (discarded; see `reason`). */
  index: OpenState['state'];
  reason?: string;
  /** Store chunks that had no vector and were added (from cache or model). */
  added: number;
  /** Index vectors whose chunk is no longer in the store, removed. */
  removed: number;
  ms: number;
}

/** Where the embedding cache lives: the store's (`store.embeddings`), or a table in a SQLite database. */
export type DenseCacheOption = { cache: EmbeddingCache; db?: never } | { db: Database.Database; cache?: never };

export type DenseOpenOptions = DenseCacheOption & {
  embedder: Embedder;
  /** Directory for the index files (the store's DATA_DIR). */
  dir: string;
  /** Default k for {@link DenseRetriever.search} (config DENSE_DEPTH; default 50). */
  depth?: number;
  index?: VectorIndexOptions;
};

/** Texts embedded per model call from {@link DenseRetriever.add}; progress is reported after each. */
const EMBED_SLICE = 64;

/** Embedder + embedding cache + vector index, kept in step with the chunk store. Open with {@link DenseRetriever.open}. */
export class DenseRetriever {
  private constructor(
    readonly embedder: Embedder,
    readonly index: VectorIndex,
    readonly cache: EmbeddingCache,
    private readonly depth: number,
  ) {}

  /**
   * Open the cache and the index for this embedder. The index reports in `index.opened` whether its
   * files matched (model id, dimension, count); call {@link sync} next to reconcile with the store.
   */
  static open(o: DenseOpenOptions): DenseRetriever {
    const index = VectorIndex.open(o.dir, { modelId: o.embedder.fingerprint, dim: o.embedder.dim }, o.index);
    if (index.opened.state === 'mismatch') {
      log().info({ reason: index.opened.reason, file: path.join(o.dir, 'vectors.json') }, 'vector index does not match; chunks will be re-embedded');
    }
    return new DenseRetriever(o.embedder, index, o.cache ?? new SqliteEmbeddingCache(o.db!), o.depth ?? 50);
  }

  /**
   * Bring the index in line with the store: vectors for store chunks that lack one (from the cache,
   * else the model), removal of vectors whose chunk is gone, then save. When the opened index matched
   * and agrees with `storeIds`, nothing is embedded, fetched or written.
   * @param storeIds every chunk id in the store.
   * @param fetch returns id + text (+ hash) of the given chunk ids (only called for missing ones).
   */
  async sync(
    storeIds: Iterable<number>,
    fetch: (ids: number[]) => DenseChunk[] | Promise<DenseChunk[]>,
    onProgress?: EmbedProgress,
  ): Promise<SyncReport> {
    const t0 = Date.now();
    const opened = this.index.opened;
    const agreement = this.index.compare(storeIds);
    const removed = this.index.remove(agreement.extra);
    let rep: AddReport = { embedded: 0, fromCache: 0 };
    let added = 0;
    if (agreement.missing.length > 0) {
      const chunks = await fetch(agreement.missing);
      rep = await this.add(chunks, onProgress);
      added = chunks.length;
    }
    this.flush();
    const report: SyncReport = {
      index: opened.state,
      ...(opened.state === 'mismatch' ? { reason: opened.reason } : {}),
      ...rep,
      added,
      removed,
      ms: Date.now() - t0,
    };
    if (report.added > 0 || removed > 0) log().info(report, 'dense index synchronised with the store');
    return report;
  }

  /**
   * Add (or replace) the vectors of `chunks`. Identical texts are embedded once; new vectors are
   * written to the cache slice by slice, so an interrupted run keeps its progress. Call
   * {@link flush} afterwards to persist the index.
   * @throws whatever the embedder throws; the index is then unchanged, but the vectors embedded so
   *   far are cached, so a retry (or the next {@link sync}) does not embed them again.
   */
  async add(chunks: DenseChunk[], onProgress?: EmbedProgress): Promise<AddReport> {
    const space = this.embedder.fingerprint;
    const dim = this.embedder.dim;
    const hashes = chunks.map((c) => c.hash ?? contentHash(c.text));
    const vectors = await this.cache.getMany(space, hashes, dim);
    const fromCache = chunks.filter((_, i) => vectors.has(hashes[i])).length;
    // One text per distinct missing hash.
    const todo = new Map<string, string>();
    chunks.forEach((c, i) => {
      if (!vectors.has(hashes[i]) && !todo.has(hashes[i])) todo.set(hashes[i], c.text);
    });
    // Sorted by length, so each model batch holds texts of similar length and pads little.
    const pending = [...todo.entries()].sort((a, b) => a[1].length - b[1].length);
    let done = fromCache;
    onProgress?.(done, chunks.length);
    let embedded = 0;
    for (let s = 0; s < pending.length; s += EMBED_SLICE) {
      const slice = pending.slice(s, s + EMBED_SLICE);
      const out = await this.embedder.embed(slice.map(([, text]) => text), 'passage');
      const entries = slice.map(([hash], j) => ({ hash, vector: out[j] }));
      await this.cache.putMany(space, entries);
      for (const e of entries) vectors.set(e.hash, e.vector);
      embedded += slice.length;
      done = Math.min(chunks.length, done + slice.length);
      onProgress?.(done, chunks.length);
    }
    chunks.forEach((c, i) => this.index.add(c.id, vectors.get(hashes[i])!));
    // Chunks sharing a hash beyond the first count as done too.
    onProgress?.(chunks.length, chunks.length);
    return { embedded, fromCache };
  }

  /** Remove the vectors of these chunk ids (markDelete). Call {@link flush} afterwards. @returns how many were live. */
  remove(ids: Iterable<number>): number {
    return this.index.remove(ids);
  }

  /**
   * Persist the index if it changed (atomic, under the cross-process lock; src/store/vectors.ts).
   * Never throws: the index is a replica of the store, so a failed save (lock timeout, disk
   * error) is logged, the changes stay pending for the next flush, and the next open re-embeds
   * or drops whatever the files lack. @returns false when the save failed.
   */
  flush(): boolean {
    try {
      this.index.save();
      return true;
    } catch (err) {
      log().warn({ err: (err as Error).message }, 'could not save the vector index; it is saved again with the next change or rebuilt on the next start');
      return false;
    }
  }

  /**
   * The `k` chunks closest to `question` (embedded as a query), best first, with cosine scores.
   * @param filter restricts the search to chunk ids for which it returns true (e.g. a scope).
   * @throws whatever the embedder throws.
   */
  async search(question: string, k: number = this.depth, filter?: (id: number) => boolean): Promise<VectorHit[]> {
    if (this.index.size === 0) return [];
    const [q] = await this.embedder.embed([question], 'query');
    return this.index.search(q, k, filter);
  }
}
