/**
 * The store of record: SQLite via better-sqlite3 (documents, paragraphs, chunks, metadata).
 *
 * A document and all its paragraphs and chunks are written in one transaction, so a reader (or a
 * process restarted after a crash) sees a document either complete or not at all. WAL journal
 * mode with `synchronous = NORMAL` keeps committed transactions durable across process crashes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../fs-dirs.js';
import Database from 'better-sqlite3';
import { checkDatabaseFile, withStorageErrors } from './errors.js';

export type DB = Database.Database;

/** A stored document (without its text unless asked for). */
export interface DocumentRow {
  id: string;
  scope: string | null;
  title: string;
  date: string | null;
  source: string | null;
  language: string;
  body_start: number;
  chars: number;
  added_at: string;
  /** JSON of PageSpan[] for paged formats, else null. */
  pages: string | null;
}

/** A paragraph (blank-line separated block) of a document, with its index terms. */
export interface ParagraphRow {
  id: number;
  doc_id: string;
  start: number;
  end: number;
  /** Space-separated index terms (stems, numbers, decompounded parts). */
  terms: string;
}

/** A chunk: a few consecutive sentences of one paragraph. `text.slice(start, end)`. */
export interface ChunkRow {
  id: number;
  doc_id: string;
  paragraph_id: number;
  ordinal: number;
  start: number;
  end: number;
  terms: string;
  /** sha256 of the chunk text (embedding cache key). */
  hash: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  scope TEXT,
  title TEXT NOT NULL,
  date TEXT,
  source TEXT,
  language TEXT NOT NULL,
  text TEXT NOT NULL,
  body_start INTEGER NOT NULL DEFAULT 0,
  chars INTEGER NOT NULL,
  pages TEXT,
  added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_scope ON documents(scope);
CREATE INDEX IF NOT EXISTS documents_source ON documents(scope, source);
-- A replaced text without a source is found by its title (src/store/sqlite.ts putDocument).
CREATE INDEX IF NOT EXISTS documents_title ON documents(scope, source, title);
CREATE TABLE IF NOT EXISTS paragraphs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_doc ON paragraphs(doc_id);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  terms TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- Deleting a paragraph (ON DELETE CASCADE from a replaced or removed document) finds its chunks
-- here; without it each deleted paragraph scanned every chunk, and replacing a document slowed
-- with the store's size (the bench's ingest fell from ~250 to ~60 documents/s over 10k documents).
CREATE INDEX IF NOT EXISTS chunks_paragraph ON chunks(paragraph_id);
-- Bundled corpus files (source "corpus/<file>") an operator removed: not re-added on start.
CREATE TABLE IF NOT EXISTS removed_bundled (source TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
`;

/**
 * Schema migrations after the base schema, in order; `schema_version.version` is the number
 * applied. 1: the change log (src/store/store.ts) that other processes follow.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS change_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc_id TEXT NOT NULL,
     op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
     scope TEXT,
     at TEXT NOT NULL
   );`,
];

/** Current schema version of a SQLite store (the number of applied {@link MIGRATIONS}). */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

/** Apply the pending {@link MIGRATIONS} in one immediate transaction. @throws for a newer schema. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const from = row?.version ?? 0;
    if (from > MIGRATIONS.length) throw new Error(`the store's schema version ${from} is newer than this program's (${MIGRATIONS.length}); upgrade dossier`);
    for (let v = from; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    else if (from < MIGRATIONS.length) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
  }).immediate();
}

/**
 * Create a new database file atomically: SQLite creates a file 0 bytes long and writes its header
 * only later, so a second process opening the same new DATA_DIR in between saw a 0-byte file and
 * refused it as truncated (checkDatabaseFile). The header is written to a private temporary file
 * (WAL mode set, then closed) that is hard-linked into place; when another process linked its file
 * first, that one is used. Where hard links are not supported the file is left to SQLite as before.
 */
function createDatabaseFile(file: string): void {
  const tmp = `${file}.new-${process.pid}-${Date.now()}`;
  try {
    const db = new Database(tmp);
    try {
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
}

/**
 * Open (creating if needed) the SQLite store at `<dataDir>/dossier.sqlite`.
 * @throws StorageError (src/store/errors.ts) naming the file when it is damaged (also when it is
 *   0 bytes), not a database, read-only, on a full disk or cannot be opened.
 */
export function openDatabase(dataDir: string): DB {
  const file = path.join(dataDir, 'dossier.sqlite');
  // Failures are named (corrupt / not a database / read-only / disk full / missing; src/store/errors.ts).
  return withStorageErrors(file, () => {
    makeDirs(dataDir);
    if (!fs.existsSync(file)) createDatabaseFile(file);
    checkDatabaseFile(file);
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  });
}

/** What {@link insertDocument} needs: a document with its paragraphs and their chunks. */
export interface NewDocument {
  id: string;
  scope: string | null;
  title: string;
  date: string | null;
  source: string | null;
  language: string;
  text: string;
  bodyStart: number;
  pages: string | null;
  paragraphs: { start: number; end: number; terms: string; chunks: { start: number; end: number; terms: string; hash: string }[] }[];
}

/** Prepared statements per connection, by SQL text (see {@link statement}). */
const statements = new WeakMap<DB, Map<string, Database.Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared once and reused (better-sqlite3's
 * `prepare` compiles the SQL each call: ~4 % of a lexical ingest when done per document). The
 * statements of the per-document paths are few and fixed, so the cache stays small.
 */
export function statement(db: DB, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

/**
 * Insert a document with its paragraphs and chunks, in the caller's transaction.
 * @returns the new chunk ids in order.
 */
export function insertDocument(db: DB, doc: NewDocument): number[] {
  statement(
    db,
    `INSERT INTO documents (id, scope, title, date, source, language, text, body_start, chars, pages, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(doc.id, doc.scope, doc.title, doc.date, doc.source, doc.language, doc.text, doc.bodyStart, doc.text.length, doc.pages, new Date().toISOString());
  const insPara = statement(db, `INSERT INTO paragraphs (doc_id, start, "end", terms) VALUES (?, ?, ?, ?)`);
  const insChunk = statement(
    db,
    `INSERT INTO chunks (doc_id, paragraph_id, ordinal, start, "end", terms, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const chunkIds: number[] = [];
  let ordinal = 0;
  for (const p of doc.paragraphs) {
    const pid = Number(insPara.run(doc.id, p.start, p.end, p.terms).lastInsertRowid);
    for (const c of p.chunks) {
      chunkIds.push(Number(insChunk.run(doc.id, pid, ordinal++, c.start, c.end, c.terms, c.hash).lastInsertRowid));
    }
  }
  return chunkIds;
}

/** The documents columns of a {@link DocumentRow} (everything but the text). */
export const DOC_COLUMNS = 'id, scope, title, date, source, language, body_start, chars, added_at, pages';

/** All documents visible from `scope`: the shared ones (scope NULL) plus the scope's own. */
export function listDocuments(db: DB, scope: string | null): DocumentRow[] {
  return db
    .prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE scope IS NULL OR scope = ? ORDER BY added_at, id`)
    .all(scope) as DocumentRow[];
}

/** Every document in the store, all scopes. */
export function allDocuments(db: DB): DocumentRow[] {
  return db.prepare(`SELECT ${DOC_COLUMNS} FROM documents ORDER BY added_at, id`).all() as DocumentRow[];
}

/** One document's row, or undefined. */
export function getDocument(db: DB, id: string): DocumentRow | undefined {
  return statement(db, `SELECT ${DOC_COLUMNS} FROM documents WHERE id = ?`).get(id) as DocumentRow | undefined;
}

/** One document's stored text, or undefined. */
export function getDocumentText(db: DB, id: string): string | undefined {
  const row = db.prepare('SELECT text FROM documents WHERE id = ?').get(id) as { text: string } | undefined;
  return row?.text;
}
