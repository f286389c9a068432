/**
 * One-at-a-time execution of a process's writes (ingest, remove, the change-log follower's
 * updates), so the in-memory replica never sees two of them interleaved.
 */

/** A promise queue: each {@link run} starts after every earlier one has settled. */
export class Serial {
  private queue: Promise<unknown> = Promise.resolve();

  /** Run `fn` after every earlier call has finished; its result or error is returned. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every call made so far has settled. */
  async drain(): Promise<void> {
    await this.queue.catch(() => undefined);
  }
}
