/**
 * Opening the lexical index from its snapshot beside the store, or rebuilding it.
 *
 * `<DATA_DIR>/lexical.idx` holds the last saved index (src/search/snapshot.ts) tagged with the
 * store version it reflects (src/store/index-version.ts). On open: a snapshot with the store's
 * current version is loaded; a missing, stale or unusable one is replaced by rebuilding from the
 * store (every stored paragraph and chunk) and writing a new snapshot.
 */
import path from 'node:path';
import type { DB } from '../store/db.js';
import { storeIndexVersion } from '../store/index-version.js';
import { log } from '../log.js';
import type { PassageSearcher } from './passages.js';
import { SnapshotError } from './snapshot.js';

/** File name of the snapshot inside DATA_DIR. */
export const SNAPSHOT_FILE = 'lexical.idx';

/** How the index was obtained: `snapshot` (loaded) or `rebuilt` (with the reason). */
export interface IndexOpen {
  source: 'snapshot' | 'rebuilt';
  reason?: 'missing' | 'stale' | 'unusable' | 'partial';
}

/**
 * Fill `searcher` from the snapshot in `dir` when it matches the store, else with `rebuild()`
 * (which adds every stored document), then compact and write a fresh snapshot.
 * Never throws for a bad snapshot (it is logged and rebuilt); a failed write is logged too.
 */
export function openPersistedIndex(searcher: PassageSearcher, db: DB, dir: string, rebuild: () => void): IndexOpen {
  const file = path.join(dir, SNAPSHOT_FILE);
  const version = storeIndexVersion(db);
  let reason: IndexOpen['reason'] = 'missing';
  try {
    const got = searcher.load(file);
    if (got && got.version === version) return { source: 'snapshot' };
    if (got) reason = 'stale';
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    log().warn({ err: err.message }, 'the lexical index snapshot is unusable; rebuilding it from the store');
    reason = 'unusable';
  }
  for (const d of searcher.documentIds()) searcher.remove(d);
  // Tagged with the version read before the rebuild: a write by another process meanwhile makes
  // the snapshot stale (rebuilt next time), never wrongly current.
  rebuild();
  searcher.compact();
  savePersistedIndex(searcher, db, dir, version);
  return { source: 'rebuilt', reason };
}

/**
 * Write the snapshot, tagged with `version` (default: the store's current version — the caller
 * must know that the index reflects every change in the store, e.g. no other connection wrote).
 * A failure is logged (the next open rebuilds).
 */
export function savePersistedIndex(searcher: PassageSearcher, db: DB, dir: string, version = storeIndexVersion(db)): void {
  try {
    searcher.save(path.join(dir, SNAPSHOT_FILE), version);
  } catch (err) {
    log().warn({ err: (err as Error).message, dir }, 'could not write the lexical index snapshot; the next start rebuilds the index');
  }
}
