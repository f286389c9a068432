/**
 * Keeps this process's in-memory indexes (lexical + vector) a replica of the store of record by
 * following its change log (src/store/store.ts): every `intervalMs` it asks the store whether
 * another connection committed (SQLite `PRAGMA data_version`, cheap:
 * https://www.sqlite.org/pragma.html#pragma_data_version), and if so reads `changesSince(seq)`
 * page by page and hands each page to `apply`. PostgreSQL also notifies (LISTEN/NOTIFY), which
 * triggers a poll at once; the timer stays as the fallback. The delay until another process's
 * commit is visible is therefore at most `intervalMs` plus one poll (SQLite), or about one round
 * trip (PostgreSQL).
 *
 * `apply` must be idempotent (see {@link latestOps}): a process's own writes come back through
 * the log too, and a start-up replays changes its index may already hold.
 */
import { log } from '../log.js';
import { CHANGE_PAGE, type Change, type Store } from '../store/store.js';

/**
 * The last operation per document in `changes` (ascending seq), in first-seen order. Document ids
 * are content hashes (src/corpus/document.ts), so a document's content never changes under its
 * id: bringing each id to its last operation brings the index to the log's state.
 */
export function latestOps(changes: Change[]): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const c of changes) out.set(c.docId, c);
  return out;
}

/** Follows a store's change log; see module doc. */
export class ChangeFollower {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unwatch: (() => Promise<void>) | null = null;

  /**
   * @param seq the change-log position the indexes already reflect (read before loading them).
   * @param apply brings the indexes to the state after `changes` (ascending seq); runs one at a time.
   * @param intervalMs poll period (config STORE_POLL_MS).
   */
  constructor(
    private readonly store: Store,
    private seq: number,
    private readonly apply: (changes: Change[]) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** The change-log position applied so far. */
  get position(): number {
    return this.seq;
  }

  /** Start polling (and watching, where the store notifies). */
  async start(): Promise<void> {
    this.unwatch = await this.store.watch(() => void this.poll(true));
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.poll().finally(() => {
          if (this.timer && !this.stopped) tick();
        });
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /**
   * Apply every change committed since the last poll (`force` skips the data_version shortcut).
   * Concurrent calls share one run, and one more follows if asked for meanwhile. A failure is
   * logged and retried on the next poll (the position stays before the failed page).
   */
  poll(force = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (!force && !(await this.store.mayHaveChanged())) continue;
          for (;;) {
            const changes = await this.store.changesSince(this.seq, CHANGE_PAGE);
            if (changes.length === 0) break;
            await this.apply(changes);
            this.seq = changes[changes.length - 1].seq;
            if (changes.length < CHANGE_PAGE) break;
          }
        } while (this.again);
      } catch (err) {
        log().warn({ err: (err as Error).message }, 'could not follow the store change log; retrying');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stop polling and watching; waits for a running poll. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.unwatch?.();
    this.unwatch = null;
  }
}
