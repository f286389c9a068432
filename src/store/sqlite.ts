/**
 * {@link Store} over the embedded SQLite file `<DATA_DIR>/dossier.sqlite` (better-sqlite3).
 *
 * Writes run in `BEGIN IMMEDIATE` transactions, so writers from several processes on one DATA_DIR
 * are serialised by SQLite's write lock (busy_timeout 5 s) and change-log numbers follow commit
 * order. Other processes' commits are noticed with `PRAGMA data_version`, which changes exactly
 * when another connection has committed (https://www.sqlite.org/pragma.html#pragma_data_version).
 *
 * Errors: a damaged, read-only or full database (or data directory) surfaces as `StorageError`
 * naming the file (src/store/errors.ts); any other failed write as {@link StoreError}.
 */
import {
  allDocuments,
  getDocument,
  getDocumentText,
  insertDocument,
  listDocuments,
  openDatabase,
  statement,
  DOC_COLUMNS,
  type DB,
  type DocumentRow,
  type NewDocument,
} from './db.js';
import { SqliteEmbeddingCache, type EmbeddingCache } from './embedding-cache.js';
import { namedStorageError, StorageError } from './errors.js';
import { SqliteFeedbackStore, type FeedbackStore } from './feedback.js';
import { CHANGE_PAGE, StoreError, type CatalogRow, type Change, type ChunkText, type IndexRows, type PutResult, type ReplaceKey, type Store } from './store.js';

/** Bound parameters per `IN (…)`; SQLite allows 32766. */
const ID_BATCH = 500;

/** Open (creating and migrating) the SQLite store in `dataDir`. @throws like {@link openDatabase}. */
export function openSqliteStore(dataDir: string): SqliteStore {
  return new SqliteStore(openDatabase(dataDir));
}

/** `err` as a named StorageError for `file` when it is one, else a StoreError for `operation`. */
function storeFailure(operation: string, file: string, err: unknown): Error {
  const named = namedStorageError(err, file);
  return named instanceof StorageError ? named : new StoreError(operation, err);
}

/** SQLite implementation of {@link Store} (see module doc). */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private dataVersion: number | null = null;
  private embeddingCache?: EmbeddingCache;
  private feedbackStore?: FeedbackStore;

  constructor(readonly db: DB) {}

  get local(): DB {
    return this.db;
  }

  /** Created (with its table) on first use, in this file. */
  get embeddings(): EmbeddingCache {
    return (this.embeddingCache ??= new SqliteEmbeddingCache(this.db));
  }

  /** Created (with its table) on first use, in this file. */
  get feedback(): FeedbackStore {
    return (this.feedbackStore ??= new SqliteFeedbackStore(this.db));
  }

  async getDocument(id: string): Promise<DocumentRow | undefined> {
    return getDocument(this.db, id);
  }

  async getDocumentText(id: string): Promise<string | undefined> {
    return getDocumentText(this.db, id);
  }

  async listDocuments(scope: string | null): Promise<DocumentRow[]> {
    return listDocuments(this.db, scope);
  }

  async allDocuments(): Promise<DocumentRow[]> {
    return allDocuments(this.db);
  }

  async chunkCounts(docIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const stmt = this.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE doc_id = ?').pluck();
    for (const id of new Set(docIds)) {
      const n = stmt.get(id) as number;
      if (n > 0) out.set(id, n);
    }
    return out;
  }

  async putDocument(doc: NewDocument, replace?: ReplaceKey): Promise<PutResult> {
    const log = statement(this.db, 'INSERT INTO change_log (doc_id, op, scope, at) VALUES (?, ?, ?, ?)');
    try {
      return this.db.transaction((): PutResult => {
        if (statement(this.db, 'SELECT 1 FROM documents WHERE id = ?').get(doc.id)) return { status: 'unchanged', chunkIds: [] };
        const now = new Date().toISOString();
        let replaced: string | undefined;
        if (replace) {
          const older = (replace.source
            ? statement(this.db, 'SELECT id FROM documents WHERE scope IS ? AND source = ? ORDER BY added_at, id LIMIT 1').get(doc.scope, replace.source)
            : statement(this.db, 'SELECT id FROM documents WHERE scope IS ? AND source IS NULL AND title = ? ORDER BY added_at, id LIMIT 1').get(doc.scope, replace.title)) as
            | { id: string }
            | undefined;
          if (older) {
            statement(this.db, 'DELETE FROM documents WHERE id = ?').run(older.id);
            log.run(older.id, 'remove', doc.scope, now);
            replaced = older.id;
          }
        }
        const chunkIds = insertDocument(this.db, doc);
        log.run(doc.id, 'add', doc.scope, now);
        return { status: replaced ? 'replaced' : 'added', chunkIds, ...(replaced ? { replaced } : {}) };
      }).immediate();
    } catch (err) {
      throw storeFailure(`storing document ${doc.id}`, this.db.name, err);
    }
  }

  async removeDocument(id: string, scope?: string | null): Promise<DocumentRow | undefined> {
    try {
      return this.db.transaction((): DocumentRow | undefined => {
        const doc = getDocument(this.db, id);
        if (!doc || (scope !== undefined && doc.scope !== scope)) return undefined;
        this.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
        if (doc.scope === null && doc.source?.startsWith('corpus/')) {
          this.db.prepare('INSERT OR IGNORE INTO removed_bundled (source) VALUES (?)').run(doc.source);
        }
        this.db.prepare('INSERT INTO change_log (doc_id, op, scope, at) VALUES (?, ?, ?, ?)').run(id, 'remove', doc.scope, new Date().toISOString());
        return doc;
      }).immediate();
    } catch (err) {
      throw storeFailure(`removing document ${id}`, this.db.name, err);
    }
  }

  async removedBundled(): Promise<Set<string>> {
    return new Set(this.db.prepare('SELECT source FROM removed_bundled').pluck().all() as string[]);
  }

  async forgetRemovedBundled(sources: string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM removed_bundled WHERE source = ?');
    try {
      this.db.transaction(() => sources.forEach((s) => del.run(s))).immediate();
    } catch (err) {
      throw storeFailure('forgetting removed bundled files', this.db.name, err);
    }
  }

  async catalogRows(): Promise<CatalogRow[]> {
    return this.read('reading the document catalogue', () =>
      this.db
        .prepare(`SELECT ${DOC_COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')}, d.text, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id) AS chunks FROM documents d ORDER BY d.added_at, d.id`)
        .all() as CatalogRow[],
    );
  }

  /** Run a read; a damaged database surfaces as a named StorageError. */
  private read<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeFailure(operation, this.db.name, err);
    }
  }

  async indexRows(docIds?: string[]): Promise<IndexRows> {
    return this.read('reading the index rows', () => this.indexRowsNow(docIds));
  }

  /** One read transaction, so documents, paragraphs and chunks come from the same snapshot. */
  private indexRowsNow(docIds?: string[]): IndexRows {
    return this.db.transaction((): IndexRows => {
      if (docIds === undefined) {
        return {
          documents: this.db.prepare(`SELECT ${DOC_COLUMNS}, text FROM documents ORDER BY added_at, id`).all() as IndexRows['documents'],
          paragraphs: this.db.prepare('SELECT id, doc_id, terms FROM paragraphs ORDER BY id').all() as IndexRows['paragraphs'],
          chunks: this.db.prepare('SELECT id, doc_id, paragraph_id, start, "end" AS "end", terms FROM chunks ORDER BY id').all() as IndexRows['chunks'],
        };
      }
      const out: IndexRows = { documents: [], paragraphs: [], chunks: [] };
      const doc = statement(this.db, `SELECT ${DOC_COLUMNS}, text FROM documents WHERE id = ?`);
      const paras = statement(this.db, 'SELECT id, doc_id, terms FROM paragraphs WHERE doc_id = ? ORDER BY id');
      const chunks = statement(this.db, 'SELECT id, doc_id, paragraph_id, start, "end" AS "end", terms FROM chunks WHERE doc_id = ? ORDER BY id');
      for (const id of new Set(docIds)) {
        const d = doc.get(id) as IndexRows['documents'][number] | undefined;
        if (!d) continue;
        out.documents.push(d);
        out.paragraphs.push(...(paras.all(id) as IndexRows['paragraphs']));
        out.chunks.push(...(chunks.all(id) as IndexRows['chunks']));
      }
      return out;
    })();
  }

  async chunkIds(): Promise<number[]> {
    return this.db.prepare('SELECT id FROM chunks').pluck().all() as number[];
  }

  async chunkTexts(ids: number[]): Promise<ChunkText[]> {
    const rows: { id: number; doc_id: string; start: number; end: number; hash: string }[] = [];
    for (let i = 0; i < ids.length; i += ID_BATCH) {
      const part = ids.slice(i, i + ID_BATCH);
      rows.push(
        ...(this.db
          .prepare(`SELECT id, doc_id, start, "end" AS "end", hash FROM chunks WHERE id IN (${part.map(() => '?').join(',')})`)
          .all(...part) as typeof rows),
      );
    }
    const texts = new Map<string, string>();
    return rows.map((r) => {
      let text = texts.get(r.doc_id);
      if (text === undefined) texts.set(r.doc_id, (text = getDocumentText(this.db, r.doc_id) ?? ''));
      return { id: r.id, text: text.slice(r.start, r.end), hash: r.hash };
    });
  }

  async lastSeq(): Promise<number> {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number) ?? 0;
  }

  async changesSince(seq: number, limit = CHANGE_PAGE): Promise<Change[]> {
    const rows = this.db
      .prepare('SELECT seq, doc_id, op, scope FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(seq, limit) as { seq: number; doc_id: string; op: 'add' | 'remove'; scope: string | null }[];
    return rows.map((r) => ({ seq: r.seq, docId: r.doc_id, op: r.op, scope: r.scope }));
  }

  async mayHaveChanged(): Promise<boolean> {
    if (!this.db.open) return false;
    const v = this.db.pragma('data_version', { simple: true }) as number;
    const changed = this.dataVersion === null || v !== this.dataVersion;
    this.dataVersion = v;
    return changed;
  }

  /** SQLite has no notifications; followers poll {@link mayHaveChanged}. */
  async watch(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
