/**
 * 👍/👎 votes on answers. Two implementations of {@link FeedbackStore}, chosen with the store
 * (`Store.feedback`, src/store/open.ts): {@link SqliteFeedbackStore} (table `feedback` in the
 * SQLite file, created on construction) and {@link PostgresFeedbackStore} (the same table in
 * PostgreSQL, schema migration 2 of src/store/postgres.ts), so a vote cast through one machine
 * is counted on every other machine on that database.
 *
 * One row per (answer, user): the answer is identified by the id of the interaction (or message)
 * that asked; a user's second vote on the same answer replaces the first (the question, answer
 * and citations of the first vote are kept). Each row keeps the question, the answer text and the
 * citations (JSON of Citation[]) as they were shown, so votes stay meaningful after the corpus
 * changes. `voted_at` is ISO 8601 text in both stores.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { inTransaction } from './pg-transaction.js';
import type { Citation } from '../answer/types.js';

export type Vote = 'up' | 'down';

export interface FeedbackInput {
  interactionId: string;
  guildId: string | null;
  userId: string;
  vote: Vote;
  question: string;
  answer: string;
  citations: Citation[];
}

export interface FeedbackRow extends FeedbackInput {
  /** ISO 8601 time of the (latest) vote. */
  votedAt: string;
}

/** What {@link FeedbackStore.record} did: a first vote, a flipped one, or the same vote again. */
export type RecordStatus = 'added' | 'changed' | 'unchanged';

/** Vote storage (see module doc). Every method may throw the driver's error. */
export interface FeedbackStore {
  /**
   * Store a vote atomically, replacing this user's earlier vote on the same answer; concurrent
   * votes of one user (other processes or machines) are serialised, so each is reported once.
   */
  record(v: FeedbackInput): Promise<RecordStatus>;
  /** All votes on one answer (or all votes when `interactionId` is omitted), oldest first. */
  list(interactionId?: string): Promise<FeedbackRow[]>;
  /** Vote totals, optionally for one answer. */
  counts(interactionId?: string): Promise<{ up: number; down: number }>;
}

interface Row {
  interaction_id: string;
  guild_id: string | null;
  user_id: string;
  vote: number;
  question: string;
  answer: string;
  citations: string;
  voted_at: string;
}

function fromRow(r: Row): FeedbackRow {
  return {
    interactionId: r.interaction_id,
    guildId: r.guild_id,
    userId: r.user_id,
    vote: r.vote > 0 ? 'up' : 'down',
    question: r.question,
    answer: r.answer,
    citations: JSON.parse(r.citations) as Citation[],
    votedAt: r.voted_at,
  };
}

function status(before: number | undefined, vote: number): RecordStatus {
  if (before === undefined) return 'added';
  return before === vote ? 'unchanged' : 'changed';
}

/** Feedback in a caller-owned better-sqlite3 database. */
export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS feedback (
        interaction_id TEXT NOT NULL,
        guild_id TEXT,
        user_id TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        voted_at TEXT NOT NULL,
        PRIMARY KEY (interaction_id, user_id)
      )`);
  }

  /** Read and upsert in one `BEGIN IMMEDIATE` transaction (processes on one file are serialised). */
  async record(v: FeedbackInput): Promise<RecordStatus> {
    const vote = v.vote === 'up' ? 1 : -1;
    return this.db.transaction((): RecordStatus => {
      const before = this.db
        .prepare('SELECT vote FROM feedback WHERE interaction_id = ? AND user_id = ?')
        .get(v.interactionId, v.userId) as { vote: number } | undefined;
      this.db
        .prepare(
          `INSERT INTO feedback (interaction_id, guild_id, user_id, vote, question, answer, citations, voted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (interaction_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
        )
        .run(v.interactionId, v.guildId, v.userId, vote, v.question, v.answer, JSON.stringify(v.citations), new Date().toISOString());
      return status(before?.vote, vote);
    }).immediate();
  }

  async list(interactionId?: string): Promise<FeedbackRow[]> {
    const rows = (
      interactionId === undefined
        ? this.db.prepare('SELECT * FROM feedback ORDER BY voted_at').all()
        : this.db.prepare('SELECT * FROM feedback WHERE interaction_id = ? ORDER BY voted_at').all(interactionId)
    ) as Row[];
    return rows.map(fromRow);
  }

  async counts(interactionId?: string): Promise<{ up: number; down: number }> {
    const where = interactionId === undefined ? '' : 'WHERE interaction_id = ?';
    const r = this.db
      .prepare(`SELECT COALESCE(SUM(vote > 0), 0) AS up, COALESCE(SUM(vote < 0), 0) AS down FROM feedback ${where}`)
      .get(...(interactionId === undefined ? [] : [interactionId])) as { up: number; down: number };
    return { up: r.up, down: r.down };
  }
}

/** Feedback in PostgreSQL (table `feedback`, src/store/postgres.ts migrations), over the store's pool. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * One transaction: lock the user's row (`SELECT … FOR UPDATE`), then update it, or insert it
   * (`ON CONFLICT DO NOTHING`); when a concurrent first vote inserted the row meanwhile, the
   * locked read is repeated, so the two votes are ordered and reported 'added' exactly once.
   */
  async record(v: FeedbackInput): Promise<RecordStatus> {
    const vote = v.vote === 'up' ? 1 : -1;
    const now = new Date().toISOString();
    return inTransaction(this.pool, async (c) => {
      let out: RecordStatus | undefined;
      for (let attempt = 0; out === undefined; attempt++) {
        const before = (await c.query<{ vote: number }>('SELECT vote FROM feedback WHERE interaction_id = $1 AND user_id = $2 FOR UPDATE', [v.interactionId, v.userId])).rows[0];
        if (before) {
          await c.query('UPDATE feedback SET vote = $3, voted_at = $4 WHERE interaction_id = $1 AND user_id = $2', [v.interactionId, v.userId, vote, now]);
          out = status(before.vote, vote);
        } else {
          const ins = await c.query(
            `INSERT INTO feedback (interaction_id, guild_id, user_id, vote, question, answer, citations, voted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (interaction_id, user_id) DO NOTHING`,
            [v.interactionId, v.guildId, v.userId, vote, v.question, v.answer, JSON.stringify(v.citations), now],
          );
          if (ins.rowCount) out = 'added';
          else if (attempt > 0) throw new Error('feedback row vanished while voting'); // deleted between insert and re-read
        }
      }
      return out;
    });
  }

  async list(interactionId?: string): Promise<FeedbackRow[]> {
    const { rows } = interactionId === undefined
      ? await this.pool.query<Row>('SELECT * FROM feedback ORDER BY voted_at')
      : await this.pool.query<Row>('SELECT * FROM feedback WHERE interaction_id = $1 ORDER BY voted_at', [interactionId]);
    return rows.map(fromRow);
  }

  async counts(interactionId?: string): Promise<{ up: number; down: number }> {
    const where = interactionId === undefined ? '' : 'WHERE interaction_id = $1';
    const { rows } = await this.pool.query<{ up: number; down: number }>(
      `SELECT COUNT(*) FILTER (WHERE vote > 0)::int AS up, COUNT(*) FILTER (WHERE vote < 0)::int AS down FROM feedback ${where}`,
      interactionId === undefined ? [] : [interactionId],
    );
    return { up: rows[0].up, down: rows[0].down };
  }
}
