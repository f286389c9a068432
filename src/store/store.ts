/**
 * The store of record behind one interface: documents, paragraphs, chunks, removed bundled
 * files and the change log, plus the embedding cache and the feedback votes (in the same
 * database, so every process and machine on one PostgreSQL shares them). Two implementations: SQLite (src/store/sqlite.ts, embedded default,
 * one file in DATA_DIR) and PostgreSQL (src/store/postgres.ts, `DATABASE_URL`, shared by many
 * processes and machines). Every method is async because the PostgreSQL client is.
 *
 * Consistency contract (both implementations, tested by tests/store.contract.test.ts):
 * - {@link Store.putDocument} and {@link Store.removeDocument} are each one transaction: a reader
 *   sees a document with all its paragraphs and chunks, or nothing.
 * - Every add and remove appends a row to the change log in the same transaction; writers are
 *   serialised, so sequence numbers are assigned in commit order and a follower reading
 *   `changesSince(seq)` never skips a change that commits later with a smaller number.
 */
import type { DB, DocumentRow, NewDocument } from './db.js';
import type { EmbeddingCache } from './embedding-cache.js';
import type { FeedbackStore } from './feedback.js';

export type { DocumentRow, NewDocument } from './db.js';

/** One change-log entry. `seq` grows by commit order; `op` is what happened to `docId`. */
export interface Change {
  seq: number;
  docId: string;
  op: 'add' | 'remove';
  scope: string | null;
}

/** Outcome of {@link Store.putDocument}. */
export interface PutResult {
  /** `unchanged`: a document with this id already existed (nothing written). */
  status: 'added' | 'unchanged' | 'replaced';
  /** New chunk ids in document order (empty when unchanged). */
  chunkIds: number[];
  /** Id of the older version removed in the same transaction, if any. */
  replaced?: string;
}

/** Paragraph row as the in-memory index needs it. */
export interface IndexParagraph {
  id: number;
  doc_id: string;
  terms: string;
}

/** Chunk row as the in-memory index needs it. */
export interface IndexChunk {
  id: number;
  doc_id: string;
  paragraph_id: number;
  start: number;
  end: number;
  terms: string;
}

/** Everything the lexical index is built from, for all documents or a few. */
export interface IndexRows {
  /** The documents with their full text (citations are slices of it). */
  documents: (DocumentRow & { text: string })[];
  paragraphs: IndexParagraph[];
  chunks: IndexChunk[];
}

/** A document's row with its full text and chunk count (the in-memory catalogue, src/search/catalog.ts). */
export type CatalogRow = DocumentRow & { text: string; chunks: number };

/** A chunk's id, text and content hash (for the vector index). */
export interface ChunkText {
  id: number;
  text: string;
  hash: string;
}

/** Which older document a new one replaces: same scope and source, or (no source) same title. */
export interface ReplaceKey {
  source: string | null;
  title: string;
}

/** Error naming the store operation that failed and why (the driver's message kept). */
export class StoreError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`store: ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreError';
  }
}

/**
 * The store of record (see module doc). Open with `openStore` (src/store/open.ts).
 * Errors: writes throw {@link StoreError}; the SQLite store throws `StorageError`
 * (src/store/errors.ts) instead for a damaged, read-only or full database, naming the file.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * The SQLite database of this process's DATA_DIR, for the scripts that inspect it. With
   * `kind === 'sqlite'` it is the store itself; with PostgreSQL it is opened on first use only
   * (the app never uses it then: embeddings and feedback live in PostgreSQL).
   */
  readonly local: DB;
  /** The embedding cache in this store's database (src/store/embedding-cache.ts). */
  readonly embeddings: EmbeddingCache;
  /** The feedback votes in this store's database (src/store/feedback.ts). */
  readonly feedback: FeedbackStore;
  getDocument(id: string): Promise<DocumentRow | undefined>;
  getDocumentText(id: string): Promise<string | undefined>;
  /** Shared documents (scope null) plus `scope`'s own, ordered by (added_at, id). */
  listDocuments(scope: string | null): Promise<DocumentRow[]>;
  /** Every document, all scopes, ordered by (added_at, id). */
  allDocuments(): Promise<DocumentRow[]>;
  /** Chunk count per document id (documents without chunks are absent). */
  chunkCounts(docIds: string[]): Promise<Map<string, number>>;
  /**
   * Insert `doc` in one transaction, first deleting the document `replace` names in the same scope
   * (see {@link ReplaceKey}). If `doc.id` already exists nothing is written (`unchanged`).
   * Appends `remove` (replaced) and `add` change-log rows in the same transaction.
   * @throws StoreError when the database refuses the write (nothing is written then).
   */
  putDocument(doc: NewDocument, replace?: ReplaceKey): Promise<PutResult>;
  /**
   * Delete a document (cascading to paragraphs and chunks) and log the removal; a bundled corpus
   * file (shared scope, source `corpus/…`) is remembered in removed_bundled.
   * @param scope when given (null included), only a document of exactly that scope is removed.
   * @returns the removed document's row, or undefined when there was none to remove.
   */
  removeDocument(id: string, scope?: string | null): Promise<DocumentRow | undefined>;
  /** Sources of bundled corpus files an operator removed. */
  removedBundled(): Promise<Set<string>>;
  /** Forget that these bundled sources were removed (so the next corpus check adds them again). */
  forgetRemovedBundled(sources: string[]): Promise<void>;
  /** Every document with its text and chunk count, ordered by (added_at, id); one consistent read. */
  catalogRows(): Promise<CatalogRow[]>;
  /** Rows for the lexical index: all documents, or only `docIds`. Ordered by id. */
  indexRows(docIds?: string[]): Promise<IndexRows>;
  /** Every chunk id in the store. */
  chunkIds(): Promise<number[]>;
  /** id, text and hash of the given chunks; unknown ids are skipped. */
  chunkTexts(ids: number[]): Promise<ChunkText[]>;
  /** The highest change-log sequence number (0 when empty). */
  lastSeq(): Promise<number>;
  /** Change-log rows with seq > `seq`, ascending, at most `limit`. */
  changesSince(seq: number, limit?: number): Promise<Change[]>;
  /**
   * Cheap check whether another connection may have committed since the last call (SQLite:
   * `PRAGMA data_version`; PostgreSQL: always true, the poll itself is one indexed query).
   */
  mayHaveChanged(): Promise<boolean>;
  /** Call `fn` soon after another process commits a change (PostgreSQL LISTEN); returns a stop function. */
  watch(fn: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Default page size of {@link Store.changesSince}. */
export const CHANGE_PAGE = 1000;
