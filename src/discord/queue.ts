/**
 * A small work queue for core calls (ask, summarize, ingest) that keeps Discord's 3-second
 * acknowledgement rule safe under load.
 *
 * Answering is CPU work on the main thread. If 50 questions arrive together and each handler
 * starts answering as soon as its own deferReply is sent, the answering holds the event loop while
 * the other handlers' acknowledgements are still on their way out (measured with the fake Discord:
 * p95 ack latency 0.5–1.5 s). So jobs run at most `concurrency` at a time, and each waits until
 * `busy()` is false — the bot reports interactions that are not yet acknowledged — for at most
 * `maxWaitMs`, yielding to the event loop meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly busy: () => boolean = () => false,
    private readonly concurrency = 2,
    private readonly maxWaitMs = 1000,
  ) {}

  /** Run `job` when a slot is free and acknowledgements are out; settles like `job()`. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      const start = Date.now();
      await new Promise((resolve) => setImmediate(resolve));
      while (this.busy() && Date.now() - start < this.maxWaitMs) await sleep(2);
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
