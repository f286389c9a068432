/**
 * Passage embeddings cached in SQLite, keyed by (vector space, content hash), so a restart, a lost
 * vector index or a re-ingested document re-embeds nothing that was embedded before.
 *
 * Table `embedding_cache(space TEXT, hash TEXT, dim INTEGER, vector BLOB)`, primary key
 * (space, hash), WITHOUT ROWID. `space` is the embedder's fingerprint (model id, weight variant,
 * passage prefix); `hash` is the chunk's content hash (`chunks.hash`, sha256 hex of the chunk
 * text, src/corpus/document.ts contentHash); `vector` is the float32 little-endian bytes of a unit vector.
 */
import type Database from 'better-sqlite3';

/** SQLite's default limit on bound parameters is 32766 (since 3.32); stay well below it. */
const LOOKUP_BATCH = 500;

/** Embedding cache over a caller-owned better-sqlite3 database (see module doc for the table). */
export class EmbeddingCache {
  /** Lookups answered from the cache / not found, since construction (or {@link resetStats}). */
  hits = 0;
  misses = 0;

  private readonly insert: Database.Statement;
  private readonly lookupOne: Database.Statement;
  private readonly lookupBatch: Database.Statement;

  /** Creates the table if needed. `db` stays owned by the caller. */
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS embedding_cache (
      space TEXT NOT NULL,
      hash TEXT NOT NULL,
      dim INTEGER NOT NULL,
      vector BLOB NOT NULL,
      PRIMARY KEY (space, hash)
    ) WITHOUT ROWID`);
    this.insert = db.prepare('INSERT OR REPLACE INTO embedding_cache (space, hash, dim, vector) VALUES (?, ?, ?, ?)');
    this.lookupOne = db.prepare('SELECT hash, dim, vector FROM embedding_cache WHERE space = ? AND hash = ?');
    this.lookupBatch = db.prepare(
      `SELECT hash, dim, vector FROM embedding_cache WHERE space = ? AND hash IN (${Array(LOOKUP_BATCH).fill('?').join(',')})`,
    );
  }

  /**
   * Look up vectors of one space. Counts each distinct requested hash as a hit or a miss.
   * @param dim expected length; rows of another length are treated as missing.
   * @returns hash → vector for the hashes found (fresh Float32Arrays the caller may keep).
   */
  getMany(space: string, hashes: string[], dim: number): Map<string, Float32Array> {
    const wanted = [...new Set(hashes)];
    const found = new Map<string, Float32Array>();
    const take = (rows: { hash: string; dim: number; vector: Buffer }[]) => {
      for (const r of rows) {
        if (r.dim !== dim || r.vector.byteLength !== dim * 4) continue;
        // Copy into an aligned buffer: the Buffer may be a slice of a pooled allocation.
        const v = new Float32Array(dim);
        new Uint8Array(v.buffer).set(r.vector);
        found.set(r.hash, v);
      }
    };
    for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
      const part = wanted.slice(i, i + LOOKUP_BATCH);
      if (part.length === LOOKUP_BATCH) take(this.lookupBatch.all(space, ...part) as never);
      else for (const h of part) take(this.lookupOne.all(space, h) as never);
    }
    this.hits += found.size;
    this.misses += wanted.length - found.size;
    return found;
  }

  /** Store vectors of one space (one transaction; replaces existing rows). */
  putMany(space: string, entries: Iterable<{ hash: string; vector: Float32Array }>): void {
    const tx = this.db.transaction((list: Iterable<{ hash: string; vector: Float32Array }>) => {
      for (const { hash, vector } of list) {
        this.insert.run(space, hash, vector.length, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
      }
    });
    tx(entries);
  }

  /** Number of cached vectors, of one space or all. */
  count(space?: string): number {
    const row = (space === undefined
      ? this.db.prepare('SELECT COUNT(*) AS n FROM embedding_cache').get()
      : this.db.prepare('SELECT COUNT(*) AS n FROM embedding_cache WHERE space = ?').get(space)) as { n: number };
    return row.n;
  }

  /**
   * Delete the vectors of every space except `keep` (e.g. after switching models; old vectors
   * are otherwise kept so switching back costs nothing). @returns rows deleted.
   */
  pruneOtherSpaces(keep: string): number {
    return this.db.prepare('DELETE FROM embedding_cache WHERE space <> ?').run(keep).changes;
  }

  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
  }
}
