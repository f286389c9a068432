/**
 * 👍/👎 votes on answers, in SQLite (table `feedback`, created on construction).
 *
 * One row per (answer, user): the answer is identified by the id of the interaction (or message)
 * that asked; a user's second vote on the same answer replaces the first. Each row keeps the
 * question, the answer text and the citations (JSON of Citation[]) as they were shown, so votes
 * stay meaningful after the corpus changes.
 */
import type Database from 'better-sqlite3';
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

export class FeedbackStore {
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

  /**
   * Store a vote, replacing this user's earlier vote on the same answer.
   * @returns 'added' for a first vote, 'changed' when it flipped, 'unchanged' when repeated.
   */
  record(v: FeedbackInput): 'added' | 'changed' | 'unchanged' {
    const vote = v.vote === 'up' ? 1 : -1;
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
    if (!before) return 'added';
    return before.vote === vote ? 'unchanged' : 'changed';
  }

  /** All votes on one answer (or all votes when `interactionId` is omitted), oldest first. */
  list(interactionId?: string): FeedbackRow[] {
    const rows = (
      interactionId === undefined
        ? this.db.prepare('SELECT * FROM feedback ORDER BY voted_at').all()
        : this.db.prepare('SELECT * FROM feedback WHERE interaction_id = ? ORDER BY voted_at').all(interactionId)
    ) as Row[];
    return rows.map((r) => ({
      interactionId: r.interaction_id,
      guildId: r.guild_id,
      userId: r.user_id,
      vote: r.vote > 0 ? 'up' : 'down',
      question: r.question,
      answer: r.answer,
      citations: JSON.parse(r.citations) as Citation[],
      votedAt: r.voted_at,
    }));
  }

  /** Vote totals, optionally for one answer. */
  counts(interactionId?: string): { up: number; down: number } {
    const where = interactionId === undefined ? '' : 'WHERE interaction_id = ?';
    const r = this.db
      .prepare(`SELECT COALESCE(SUM(vote > 0), 0) AS up, COALESCE(SUM(vote < 0), 0) AS down FROM feedback ${where}`)
      .get(...(interactionId === undefined ? [] : [interactionId])) as { up: number; down: number };
    return { up: r.up, down: r.down };
  }
}
