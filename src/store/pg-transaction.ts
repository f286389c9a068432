/**
 * One PostgreSQL transaction on a pooled client: BEGIN (or the given start statement), `fn`,
 * COMMIT; on any error ROLLBACK (its own failure ignored) and rethrow the error unchanged; the
 * client goes back to the pool in every case (node-postgres docs, "Transactions":
 * node-postgres.com/features/transactions).
 */
import type pg from 'pg';

/**
 * Run `fn` inside one transaction on a client of `pool`.
 * @param begin the statement that opens it ("BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").
 * @returns what `fn` returns, after COMMIT.
 * @throws whatever connecting, `fn` or COMMIT throws (after ROLLBACK).
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
