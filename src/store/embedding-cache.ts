/**
 * Passage embeddings cached by (vector space, content hash), so a restart, a lost vector index, a
 * re-ingested document or another machine on the same PostgreSQL re-embeds nothing that was
 * embedded before. Two implementations of {@link EmbeddingCache}, chosen with the store
 * (`Store.embeddings`, src/store/open.ts):
 * - {@link SqliteEmbeddingCache}: table `embedding_cache(space TEXT, hash TEXT, dim INTEGER,
 *   vector BLOB)`, primary key (space, hash), WITHOUT ROWID, created on construction;
 * - {@link PostgresEmbeddingCache}: the same columns with `vector BYTEA` (schema migration 2 of
 *   src/store/postgres.ts), shared by every process and machine on the database.
 * `space` is the embedder's fingerprint (model id, weight variant, passage prefix); `hash` is the
 * chunk's content hash (`chunks.hash`, sha256 hex of the chunk text, src/corpus/document.ts
 * contentHash); `vector` is the float32 little-endian bytes of a unit vector (bytea rather than
 * `real[]`: exact float32 round trip, 4 bytes per dimension on the wire, no text parsing).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';

/** One vector to cache. */
export interface CacheEntry {
  hash: string;
  vector: Float32Array;
}

/** Embedding cache (see module doc). Every method may throw the driver's error. */
export interface EmbeddingCache {
  /** Lookups answered from the cache / not found, since construction (or {@link resetStats}). */
  readonly hits: number;
  readonly misses: number;
  /**
   * Look up vectors of one space. Counts each distinct requested hash as a hit or a miss.
   * @param dim expected length; rows of another length are treated as missing.
   * @returns hash → vector for the hashes found (fresh Float32Arrays the caller may keep).
   */
  getMany(space: string, hashes: string[], dim: number): Promise<Map<string, Float32Array>>;
  /** Store vectors of one space in one transaction (all or none); replaces existing rows. */
  putMany(space: string, entries: Iterable<CacheEntry>): Promise<void>;
  /** Number of cached vectors, of one space or all. */
  count(space?: string): Promise<number>;
  /**
   * Delete the vectors of every space except `keep` (e.g. after switching models; old vectors
   * are otherwise kept so switching back costs nothing). @returns rows deleted.
   */
  pruneOtherSpaces(keep: string): Promise<number>;
  resetStats(): void;
}

/** A stored row's bytes as a vector of `dim`, or null when its length is wrong. */
function toVector(bytes: Buffer, rowDim: number, dim: number): Float32Array | null {
  if (rowDim !== dim || bytes.byteLength !== dim * 4) return null;
  // Copy into an aligned buffer: the Buffer may be a slice of a pooled allocation.
  const v = new Float32Array(dim);
  new Uint8Array(v.buffer).set(bytes);
  return v;
}

function toBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Hit/miss counting shared by both implementations. */
abstract class CountingCache {
  hits = 0;
  misses = 0;
  protected count_(wanted: number, found: number): void {
    this.hits += found;
    this.misses += wanted - found;
  }
  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
  }
}

/** SQLite's default limit on bound parameters is 32766 (since 3.32); stay well below it. */
const LOOKUP_BATCH = 500;

/** Embedding cache over a caller-owned better-sqlite3 database (see module doc for the table). */
export class SqliteEmbeddingCache extends CountingCache implements EmbeddingCache {
  private readonly insert: Database.Statement;
  private readonly lookupOne: Database.Statement;
  private readonly lookupBatch: Database.Statement;

  /** Creates the table if needed. `db` stays owned by the caller. */
  constructor(private readonly db: Database.Database) {
    super();
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

  async getMany(space: string, hashes: string[], dim: number): Promise<Map<string, Float32Array>> {
    const wanted = [...new Set(hashes)];
    const found = new Map<string, Float32Array>();
    const take = (rows: { hash: string; dim: number; vector: Buffer }[]) => {
      for (const r of rows) {
        const v = toVector(r.vector, r.dim, dim);
        if (v) found.set(r.hash, v);
      }
    };
    for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
      const part = wanted.slice(i, i + LOOKUP_BATCH);
      if (part.length === LOOKUP_BATCH) take(this.lookupBatch.all(space, ...part) as never);
      else for (const h of part) take(this.lookupOne.all(space, h) as never);
    }
    this.count_(wanted.length, found.size);
    return found;
  }

  async putMany(space: string, entries: Iterable<CacheEntry>): Promise<void> {
    this.db.transaction((list: Iterable<CacheEntry>) => {
      for (const { hash, vector } of list) this.insert.run(space, hash, vector.length, toBytes(vector));
    })(entries);
  }

  async count(space?: string): Promise<number> {
    const row = (space === undefined
      ? this.db.prepare('SELECT COUNT(*) AS n FROM embedding_cache').get()
      : this.db.prepare('SELECT COUNT(*) AS n FROM embedding_cache WHERE space = ?').get(space)) as { n: number };
    return row.n;
  }

  async pruneOtherSpaces(keep: string): Promise<number> {
    return this.db.prepare('DELETE FROM embedding_cache WHERE space <> ?').run(keep).changes;
  }
}

/** Rows per PostgreSQL lookup / upsert statement (384-dim vectors: ~3 MB per statement). */
const PG_BATCH = 2000;

/**
 * Embedding cache in PostgreSQL (table `embedding_cache`, created by the store's migrations,
 * src/store/postgres.ts), over the store's pool (owned and closed by the store).
 */
export class PostgresEmbeddingCache extends CountingCache implements EmbeddingCache {
  constructor(private readonly pool: pg.Pool) {
    super();
  }

  async getMany(space: string, hashes: string[], dim: number): Promise<Map<string, Float32Array>> {
    const wanted = [...new Set(hashes)];
    const found = new Map<string, Float32Array>();
    for (let i = 0; i < wanted.length; i += PG_BATCH) {
      const { rows } = await this.pool.query<{ hash: string; dim: number; vector: Buffer }>(
        'SELECT hash, dim, vector FROM embedding_cache WHERE space = $1 AND hash = ANY($2::text[])',
        [space, wanted.slice(i, i + PG_BATCH)],
      );
      for (const r of rows) {
        const v = toVector(r.vector, r.dim, dim);
        if (v) found.set(r.hash, v);
      }
    }
    this.count_(wanted.length, found.size);
    return found;
  }

  /**
   * One transaction of multi-row upserts. Entries are deduplicated by hash (last wins: one
   * statement may not update a row twice) and sorted by hash, so two machines writing overlapping
   * sets lock rows in the same order and cannot deadlock.
   */
  async putMany(space: string, entries: Iterable<CacheEntry>): Promise<void> {
    const byHash = new Map<string, Float32Array>();
    for (const e of entries) byHash.set(e.hash, e.vector);
    if (byHash.size === 0) return;
    const list = [...byHash.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    await inTransaction(this.pool, async (c) => {
      for (let i = 0; i < list.length; i += PG_BATCH) {
        const part = list.slice(i, i + PG_BATCH);
        await c.query(
          `INSERT INTO embedding_cache (space, hash, dim, vector)
           SELECT $1, u.h, u.d, u.v FROM unnest($2::text[], $3::int[], $4::bytea[]) AS u(h, d, v)
           ON CONFLICT (space, hash) DO UPDATE SET dim = excluded.dim, vector = excluded.vector`,
          [space, part.map(([h]) => h), part.map(([, v]) => v.length), part.map(([, v]) => toBytes(v))],
        );
      }
    });
  }

  async count(space?: string): Promise<number> {
    const { rows } = space === undefined
      ? await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM embedding_cache')
      : await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM embedding_cache WHERE space = $1', [space]);
    return rows[0].n;
  }

  async pruneOtherSpaces(keep: string): Promise<number> {
    return (await this.pool.query('DELETE FROM embedding_cache WHERE space <> $1', [keep])).rowCount ?? 0;
  }
}
