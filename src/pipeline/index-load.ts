/**
 * Filling a process's replica (src/pipeline/replica.ts) at start, and saving its lexical index
 * snapshot at close.
 *
 * SQLite store: `<DATA_DIR>/lexical.idx` (src/search/snapshot.ts, file name from
 * src/search/persisted-index.ts) is tagged with the change-log position it reflects plus the
 * store's content version at that position (src/store/index-version.ts `IndexTag`). On open a
 * snapshot is loaded when its position is not ahead of the store's and, at the same position, its
 * content version matches; the changes logged since are then replayed, and the snapshot is used
 * only if its documents then equal the store's (a change made behind the change log, or a store
 * replaced under it, fails this check). Otherwise the index is rebuilt from the store and a new
 * snapshot written.
 *
 * PostgreSQL store (several machines) and shards serving only some guilds: no snapshot, the index
 * is always built from the store (`rebuilt`, reason `shared-store` / `partial`).
 */
import path from 'node:path';
import { log } from '../log.js';
import type { Store } from '../store/store.js';
import type { SqliteStore } from '../store/sqlite.js';
import { withStorageErrors } from '../store/errors.js';
import { formatIndexTag, parseIndexTag, storeIndexState, type IndexTag } from '../store/index-version.js';
import { SNAPSHOT_FILE, type IndexOpen } from '../search/persisted-index.js';
import { SnapshotError } from '../search/snapshot.js';
import { CHANGE_PAGE } from '../store/store.js';
import type { IndexReplica } from './replica.js';

/** How the lexical index was obtained at open. */
export interface IndexLoadInfo {
  source: IndexOpen['source'];
  /** Why it was rebuilt: no/old/unusable snapshot, a shard's partial index, or the shared PostgreSQL store. */
  reason?: IndexOpen['reason'] | 'shared-store';
  /** Change-log entries replayed on top of a loaded snapshot (absent when none). */
  replayed?: number;
}

/** Outcome of {@link loadReplica}. */
export interface ReplicaLoad {
  index: IndexLoadInfo;
  /** Documents in the replica after loading. */
  documentsLoaded: number;
  /** The change-log position the replica reflects (where its follower starts). */
  seq: number;
}

/**
 * Fill `replica` from the snapshot in `dir` plus the change log (SQLite, all guilds), or from the
 * store (see module doc).
 * @throws StorageError / StoreError when the store cannot be read (a bad snapshot is only logged).
 */
export async function loadReplica(replica: IndexReplica, store: Store, dir: string): Promise<ReplicaLoad> {
  if (replica.serves || store.kind !== 'sqlite') {
    // The position is read before the rows: changes committed meanwhile are replayed (idempotently).
    const seq = await store.lastSeq();
    const documentsLoaded = replica.addRows(await store.indexRows(), true);
    replica.searcher.compact();
    replica.dirty = false;
    return { index: { source: 'rebuilt', reason: replica.serves ? 'partial' : 'shared-store' }, documentsLoaded, seq };
  }
  const db = (store as SqliteStore).db;
  const file = path.join(dir, SNAPSHOT_FILE);
  let reason: IndexOpen['reason'] = 'missing';
  try {
    const got = replica.searcher.load(file);
    if (got) {
      const tag = parseIndexTag(got.version);
      const state = withStorageErrors(db.name, () => storeIndexState(db));
      const usable = tag !== null && tag.seq <= state.seq && !(tag.seq === state.seq && tag.content !== null && tag.content !== state.content);
      const loaded = usable ? await replay(replica, store, tag) : null;
      if (loaded) return loaded;
      reason = 'stale';
    }
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    log().warn({ err: err.message }, 'the lexical index snapshot is unusable; rebuilding it from the store');
    reason = 'unusable';
  }
  for (const id of replica.searcher.documentIds()) replica.drop(id);
  for (const id of [...replica.catalog.ids()]) replica.drop(id);
  const before = withStorageErrors(db.name, () => storeIndexState(db));
  const documentsLoaded = replica.addRows(await store.indexRows(), true);
  replica.searcher.compact();
  const after = withStorageErrors(db.name, () => storeIndexState(db));
  // Tagged with the position read before the rows; the content version only if nobody wrote meanwhile.
  const tag: IndexTag = { seq: before.seq, content: before.seq === after.seq && before.content === after.content ? before.content : null };
  writeSnapshot(replica, file, tag);
  replica.dirty = false;
  return { index: { source: 'rebuilt', reason }, documentsLoaded, seq: before.seq };
}

/**
 * A snapshot loaded into `replica.searcher` at `tag`: catalogue the stored documents, replay the
 * changes since, and check that the index then holds exactly the stored documents.
 * @returns the load, or null when the snapshot does not agree with the store (caller rebuilds).
 */
async function replay(replica: IndexReplica, store: Store, tag: IndexTag): Promise<ReplicaLoad | null> {
  for (const id of replica.searcher.documentIds()) replica.indexed.add(id);
  for (const row of await store.catalogRows()) {
    const { text, chunks, ...doc } = row;
    replica.catalog.set(doc, text, chunks);
  }
  let seq = tag.seq;
  let replayed = 0;
  for (;;) {
    const changes = await store.changesSince(seq, CHANGE_PAGE);
    if (changes.length === 0) break;
    await replica.apply(changes);
    seq = changes[changes.length - 1].seq;
    replayed += changes.length;
    if (changes.length < CHANGE_PAGE) break;
  }
  if (replica.indexed.size !== replica.catalog.size || [...replica.catalog.ids()].some((id) => !replica.indexed.has(id))) return null;
  replica.dirty = replayed > 0;
  return { index: { source: 'snapshot', ...(replayed ? { replayed } : {}) }, documentsLoaded: replica.indexed.size, seq };
}

/**
 * Save the lexical index at close, tagged with the change-log position `seq` it reflects (the
 * content version too when the store is still at `seq`). SQLite only; a failure is logged (the
 * next open rebuilds).
 */
export function saveReplica(replica: IndexReplica, store: Store, dir: string, seq: number): void {
  if (replica.serves || store.kind !== 'sqlite') return;
  const db = (store as SqliteStore).db;
  if (!db.open) return;
  let state: IndexTag;
  try {
    state = storeIndexState(db);
  } catch (err) {
    log().warn({ err: (err as Error).message }, 'could not read the store version; the lexical index snapshot is not written');
    return;
  }
  writeSnapshot(replica, path.join(dir, SNAPSHOT_FILE), { seq, content: state.seq === seq ? state.content : null });
  replica.dirty = false;
}

function writeSnapshot(replica: IndexReplica, file: string, tag: IndexTag): void {
  try {
    replica.searcher.save(file, formatIndexTag(tag));
  } catch (err) {
    log().warn({ err: (err as Error).message, file }, 'could not write the lexical index snapshot; the next start rebuilds the index');
  }
}
