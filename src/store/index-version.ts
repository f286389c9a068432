/**
 * The store version a persisted lexical index (src/search/snapshot.ts) is tagged with: an opaque
 * string that changes whenever documents, paragraphs or chunks are added or removed.
 *
 * For now it is made of cheap aggregates over rowids — count, max and sum per table, each
 * answered from a covering index without reading the rows' text (SQLite's query plan: "SCAN …
 * USING COVERING INDEX"). Ingest only inserts and deletes rows, and paragraph and chunk ids are
 * AUTOINCREMENT (never reused): every insertion raises their max past any earlier value and
 * every deletion lowers their count, so no sequence of changes comes back to an earlier version.
 * Snapshots tag themselves with the change-log position as well ({@link IndexTag}).
 */
import type { DB } from './db.js';

/** Layout version of what the index is built from (bump when the terms' meaning changes). */
const TERMS_FORMAT = 1;

/**
 * The store's version for index snapshots.
 * @returns an opaque string; equal strings mean the same indexed content.
 */
export function storeIndexVersion(db: DB): string {
  const agg = (table: string) => {
    const r = db.prepare(`SELECT count(*) AS n, coalesce(max(rowid), 0) AS mx, coalesce(sum(rowid), 0) AS sm FROM ${table}`).get() as { n: number; mx: number; sm: number };
    return `${r.n}.${r.mx}.${r.sm}`;
  };
  return `t${TERMS_FORMAT}:d${agg('documents')}:p${agg('paragraphs')}:c${agg('chunks')}`;
}

/**
 * The tag of a lexical index snapshot that follows the change log (src/pipeline/snapshot.ts):
 * `seq` is the change-log position the index reflects (later changes are replayed on load), and
 * `content` the {@link storeIndexVersion} of the store at exactly that position, or null when it
 * could not be read at that position (another process had written since).
 */
export interface IndexTag {
  seq: number;
  content: string | null;
}

const TAG = /^log(\d+):(\d+):(.*)$/;

/** The snapshot version string of `tag` (parsed back by {@link parseIndexTag}). */
export function formatIndexTag(tag: IndexTag): string {
  return `log${TERMS_FORMAT}:${tag.seq}:${tag.content ?? '-'}`;
}

/** The tag in a snapshot version string, or null for another format (older snapshots: rebuilt). */
export function parseIndexTag(version: string): IndexTag | null {
  const m = TAG.exec(version);
  if (!m || Number(m[1]) !== TERMS_FORMAT) return null;
  return { seq: Number(m[2]), content: m[3] === '-' ? null : m[3] };
}

/** The store's change-log position and content version, read in one transaction. */
export function storeIndexState(db: DB): IndexTag {
  return db.transaction(() => ({
    seq: (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number) ?? 0,
    content: storeIndexVersion(db),
  }))();
}
