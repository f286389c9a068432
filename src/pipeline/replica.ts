/**
 * This process's replica of the store of record: the lexical index (postings + BM25 in
 * src/search/passages.ts), the document catalogue (src/search/catalog.ts) and, with dense
 * retrieval, the vector index. Filled from the store at start (or from the lexical snapshot plus
 * the change log since, src/pipeline/snapshot.ts), then kept in step with every change: this
 * process's own writes directly, other processes' through the change-log follower
 * (src/search/replica.ts) calling {@link IndexReplica.apply}.
 *
 * A shard serving only some guilds (`serves`) holds the shared documents and only its guilds'
 * documents; everything else in the store is skipped, at start and when following.
 */
import { log } from '../log.js';
import type { PageSpan } from '../corpus/types.js';
import { stemLang } from '../text/stem.js';
import type { Change, IndexRows, Store } from '../store/store.js';
import type { Dictionary } from '../search/dictionary.js';
import { PassageSearcher } from '../search/passages.js';
import { DocumentCatalog } from '../search/catalog.js';
import { latestOps } from '../search/replica.js';
import type { DenseRetriever, SyncReport } from '../search/dense.js';
import type { Passage } from '../answer/extract.js';

/** Which guilds' documents this process holds (shared documents always); undefined = all. */
export type Serves = ((guildId: string) => boolean) | undefined;

/** The in-memory indexes and catalogue of one process (see module doc). */
export class IndexReplica {
  readonly searcher: PassageSearcher;
  readonly catalog = new DocumentCatalog();
  /** Ids of the documents in the lexical index (equal to the catalogue's once loaded). */
  readonly indexed = new Set<string>();
  /** True when the lexical index changed since it was loaded or last saved. */
  dirty = false;

  constructor(
    private readonly store: Store,
    dict: Dictionary | null,
    /** Dense retrieval, or null (lexical alone). */
    readonly dense: DenseRetriever | null,
    readonly serves: Serves,
  ) {
    this.searcher = new PassageSearcher(dict);
  }

  /** True when this process holds documents of `scope` (null = shared: always). */
  holds(scope: string | null): boolean {
    return scope === null || !this.serves || this.serves(scope);
  }

  /**
   * Index the given rows (documents with their paragraphs and chunks) and catalogue them; rows of
   * guilds this process does not serve are skipped. @returns the documents added.
   */
  addRows(rows: IndexRows, deferConcepts: boolean): number {
    const byPara = groupBy(rows.chunks, (c) => c.paragraph_id);
    const byDoc = groupBy(rows.paragraphs, (p) => p.doc_id);
    let added = 0;
    for (const doc of rows.documents) {
      if (!this.holds(doc.scope)) continue;
      const { text, ...row } = doc;
      const paragraphs = byDoc.get(doc.id) ?? [];
      this.catalog.set(row, text, paragraphs.reduce((n, p) => n + (byPara.get(p.id)?.length ?? 0), 0));
      this.searcher.add(
        {
          id: doc.id,
          scope: doc.scope,
          language: stemLang(doc.language),
          // Chunks grouped by paragraph in one pass (filtering all chunks per paragraph was quadratic).
          paragraphs: paragraphs.map((p) => ({
            id: p.id,
            terms: splitTerms(p.terms),
            chunks: (byPara.get(p.id) ?? []).map((c) => ({ id: c.id, docId: c.doc_id, paragraphId: c.paragraph_id, start: c.start, end: c.end, terms: splitTerms(c.terms) })),
          })),
        },
        { deferConcepts },
      );
      this.indexed.add(doc.id);
      added++;
    }
    if (added) this.dirty = true;
    return added;
  }

  /** Drop a document from the indexes and the catalogue. @returns its chunk ids (for the vector index). */
  drop(id: string): number[] {
    this.catalog.delete(id);
    if (!this.indexed.delete(id)) return [];
    this.dirty = true;
    return this.searcher.remove(id);
  }

  /**
   * Bring the replica to the store's state for `adds` (stored documents to hold) and `removes`
   * (documents gone), lexical and vector index alike. Documents already held are not read again
   * (an id's content never changes). @returns the ids actually added and removed.
   */
  async update(adds: string[], removes: string[]): Promise<{ added: string[]; removed: string[] }> {
    const removedChunks: number[] = [];
    const removed: string[] = [];
    for (const id of removes) {
      if (!this.indexed.has(id) && !this.catalog.has(id)) continue;
      removedChunks.push(...this.drop(id));
      removed.push(id);
    }
    const want = adds.filter((id) => !this.indexed.has(id));
    const rows = want.length ? await this.store.indexRows(want) : { documents: [], paragraphs: [], chunks: [] };
    this.addRows(rows, false);
    // `want` held none of these before, so every one now held was added here.
    const added = rows.documents.filter((d) => this.indexed.has(d.id)).map((d) => d.id);
    const addedSet = new Set(added);
    if (added.length || removedChunks.length) {
      await this.indexDense(rows.chunks.filter((c) => addedSet.has(c.doc_id)).map((c) => c.id), removedChunks);
    }
    return { added, removed };
  }

  /**
   * The change-log follower's apply step (idempotent): each document's last operation in
   * `changes` decides whether it is held. Guilds this process does not serve are skipped.
   */
  async apply(changes: Change[]): Promise<void> {
    const adds: string[] = [];
    const removes: string[] = [];
    for (const c of latestOps(changes).values()) {
      if (!this.holds(c.scope)) continue;
      if (c.op === 'add') {
        if (!this.indexed.has(c.docId)) adds.push(c.docId);
      } else if (this.indexed.has(c.docId) || this.catalog.has(c.docId)) removes.push(c.docId);
    }
    if (adds.length === 0 && removes.length === 0) return;
    const { added, removed } = await this.update(adds, removes);
    for (const id of added) log().info({ id, title: this.catalog.get(id)?.title }, 'document added by another process');
    for (const id of removed) log().info({ id }, 'document removed by another process');
  }

  /**
   * Make the vector index agree with the stored chunks (every guild's: the vector files in
   * DATA_DIR are shared by the shards, src/store/vectors.ts): nothing happens when it does (the
   * common restart); otherwise missing vectors come from the embedding cache or the model.
   */
  async syncDense(): Promise<SyncReport | null> {
    if (!this.dense) return null;
    const ids = await this.store.chunkIds();
    let next = 0;
    const rep = await this.dense.sync(ids, (missing) => this.store.chunkTexts(missing), (done, total) => {
      if (total >= 100 && done >= next) {
        log().info({ done, total }, 'embedding chunks');
        next = done + Math.ceil(total / 10);
      }
    });
    if (rep.index === 'mismatch') log().info({ reason: rep.reason, embedded: rep.embedded, fromCache: rep.fromCache }, 'vector index rebuilt');
    return rep;
  }

  /** Vectors for new chunks, and removal of dropped ones; never throws. */
  private async indexDense(added: number[], removed: number[]): Promise<void> {
    if (!this.dense) return;
    try {
      this.dense.remove(removed);
      if (added.length) await this.dense.add(await this.store.chunkTexts(added));
    } catch (err) {
      // The document stays stored and lexically searchable; the next open re-embeds what is missing.
      log().warn({ err: (err as Error).message }, 'could not embed the document; dense retrieval will catch up on the next start');
    }
    this.dense.flush();
  }

  /** A held document as the answer extractor and the summariser read it, or null. */
  passageDoc(id: string): Passage['doc'] | null {
    const row = this.catalog.get(id);
    const text = this.catalog.text(id);
    if (!row || text === undefined) return null;
    return {
      id: row.id,
      title: row.title,
      date: row.date,
      text,
      language: row.language,
      bodyStart: row.body_start,
      pages: row.pages ? (JSON.parse(row.pages) as PageSpan[]) : null,
    };
  }
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

function splitTerms(s: string): string[] {
  return s ? s.split(' ') : [];
}
