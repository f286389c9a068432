/**
 * Storage failures named for the operator: what is wrong with which file and what to do.
 *
 * SQLite result codes (https://www.sqlite.org/rescode.html) as better-sqlite3 reports them in
 * `SqliteError.code` (extended codes such as SQLITE_CORRUPT_VTAB or SQLITE_READONLY_DBMOVED share
 * their primary code's prefix), and Node's errno codes for the file system around the database.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The kinds of storage failure {@link StorageError} names. */
export type StorageFailure = 'corrupt' | 'not-a-database' | 'read-only' | 'disk-full' | 'missing';

/** A storage failure with the file it concerns; `message` says what happened and what to do. */
export class StorageError extends Error {
  constructor(
    readonly kind: StorageFailure,
    /** The database file (or data directory) concerned. */
    readonly path: string,
    message: string,
    /** The SQLite or errno code behind it, e.g. "SQLITE_NOTADB", "ENOSPC". */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const ADVICE: Record<StorageFailure, (p: string) => string> = {
  corrupt: (p) =>
    `The database ${p} is damaged. Stop every dossier process, move the file (and any -wal/-shm beside it) away or restore a backup, then start again and re-add the documents.`,
  'not-a-database': (p) =>
    `${p} is not a dossier database (not an SQLite file). Point DATA_DIR at another folder, or move that file away so a new database can be created.`,
  'read-only': (p) =>
    `The database ${p} cannot be written (read-only file or folder). Give the user running dossier write access to the file and its folder (SQLite also writes -wal/-shm files beside it), or set DATA_DIR to a writable folder.`,
  'disk-full': (p) => `The disk holding ${p} is full. Free some space (or set DATA_DIR to another disk) and try again; nothing half-written was kept.`,
  missing: (p) => `The database folder or file ${p} is missing or cannot be opened. Check DATA_DIR and that the folder exists and is accessible.`,
};

/** The kind of failure an error from SQLite or the file system stands for, or null for others. */
export function classifyStorageError(err: unknown): StorageFailure | null {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_NOTADB') return 'not-a-database';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk-full';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST') return 'missing';
  return null;
}

/**
 * `err` as a {@link StorageError} for `file` when it is one of the named failures, else `err`
 * unchanged. A "cannot open" in a folder that exists but is not writable is reported as read-only.
 */
export function namedStorageError(err: unknown, file: string): unknown {
  if (err instanceof StorageError) return err;
  let kind = classifyStorageError(err);
  if (!kind) return err;
  if (kind === 'missing' && fs.existsSync(path.dirname(file)) && !writable(path.dirname(file))) kind = 'read-only';
  const code = String((err as { code?: unknown }).code ?? '');
  return new StorageError(kind, file, `${ADVICE[kind](file)} (${code})`, code);
}

/** Run `fn`; a storage failure it throws becomes a {@link StorageError} naming `file`. */
export function withStorageErrors<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw namedStorageError(err, file);
  }
}

/**
 * Refuse a database file that exists but is empty: SQLite would silently treat 0 bytes as a new,
 * empty database, and every stored document would seem gone. A missing file is fine (new store).
 * @throws StorageError 'corrupt'.
 */
export function checkDatabaseFile(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return; // does not exist yet: a new store
  }
  if (size === 0) {
    throw new StorageError('corrupt', file, `${ADVICE.corrupt(file)} (the file is 0 bytes: it was truncated, not created by dossier)`, 'EMPTY');
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
