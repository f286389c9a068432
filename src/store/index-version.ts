/**
 * The store version a persisted lexical index (src/search/snapshot.ts) is tagged with: an opaque
 * string that changes whenever documents, paragraphs or chunks are added or removed.
 *
 * For now it is made of cheap aggregates over rowids — count, max and sum per table, each
 * answered from a covering index without reading the rows' text (SQLite's query plan: "SCAN …
 * USING COVERING INDEX"). Ingest only inserts and deletes rows, and paragraph and chunk ids are
 * AUTOINCREMENT (never reused): every insertion raises their max past any earlier value and
 * every deletion lowers their count, so no sequence of changes comes back to an earlier version.
 * A change-log sequence number can replace this function later without touching its callers.
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
