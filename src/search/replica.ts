/**
 * Keeps this process's in-memory indexes (lexical + vector) a replica of the store of record by
 * following its change log (src/store/store.ts): every `intervalMs` it asks the store whether
 * another connection committed (SQLite `PRAGMA data_version`, cheap), and if so reads
 * `changesSince(seq)` and hands the affected document ids to `apply`. PostgreSQL also notifies
 * (LISTEN/NOTIFY), which triggers a poll at once; the timer stays as the fallback.
 *
 * `apply` must be idempotent: it gets ids, not operations, and brings each document's index
 * entry to the store's current state (indexed when the store has it, dropped when not). So a
 * process's own writes, replayed from the log, change nothing, and a document added and removed
 * between two polls is simply absent.
 */
import { log } from '../log.js';
import { CHANGE_PAGE, type Store } from '../store/store.js';

/** Follows a store's change log; see module doc. */
export class ChangeFollower {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private unwatch: (() => Promise<void>) | null = null;
  /** Polls that found and applied changes; for tests and logs. */
  applied = 0;

  /**
   * @param seq the change-log position the indexes already reflect (read before loading them).
   * @param apply brings the given documents' index entries to the store's state; runs one at a time.
   */
  constructor(
    private readonly store: Store,
    private seq: number,
    private readonly apply: (docIds: string[]) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** The change-log position applied so far. */
  get position(): number {
    return this.seq;
  }

  /** Start polling (and watching, where the store notifies). */
  async start(): Promise<void> {
    this.unwatch = await this.store.watch(() => void this.poll());
    const tick = () => {
      this.timer = setTimeout(() => {
        this.poll().finally(() => {
          if (this.timer) tick();
        });
      }, this.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /**
   * Apply every change committed since the last poll (forced: skips the data_version shortcut).
   * Concurrent calls share one run, and one more follows if asked for meanwhile.
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
            await this.apply([...new Set(changes.map((c) => c.docId))]);
            this.seq = changes[changes.length - 1].seq;
            this.applied++;
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.unwatch?.();
    this.unwatch = null;
  }
}
