/**
 * Ingestion preparation off the event loop: one worker thread (node:worker_threads) runs
 * {@link runPrepareJob} for large inputs, so the bot keeps acknowledging interactions and sending
 * gateway heartbeats while a big document is parsed and segmented. Inputs under `minBytes` are
 * prepared in-process (a few milliseconds; no thread start-up at every open for the bundled
 * corpus). Jobs run one at a time (ingests are serialised by the core anyway).
 *
 * Budget: the job itself stops at its deadline where it can (between pages and paragraphs); a step
 * that does not return (one huge synchronous call) is cut off by terminating the thread
 * `graceMs` after the budget, and the next job starts a fresh one. Memory: the thread's heap is
 * capped (`maxHeapMb`); running out there (Node's ERR_WORKER_OUT_OF_MEMORY) fails that job with
 * a clear InputError and the next job starts a fresh thread.
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../corpus/types.js';
import type { Decompounder } from '../text/decompound.js';
import { runPrepareJob, type PrepareJob } from './job.js';
import type { PreparedDocument } from './prepare.js';

/** Options of {@link PrepareThread}. */
export interface PrepareThreadOptions {
  /** Inputs smaller than this many bytes (text: UTF-16 length × 2) are prepared in-process. */
  minBytes: number;
  /** The dictionary the worker loads for compound splitting (null: none). */
  dict: { path: string; cacheDir: string } | null;
  /** The in-process decompounder (same dictionary), for small inputs. */
  decompounder: Decompounder | null;
  logLevel: string;
  /** Extra time after a job's budget before the thread is terminated (ms, default 2000). */
  graceMs?: number;
  /**
   * Heap cap of the worker thread in MiB (V8 old generation, `resourceLimits.maxOldGenerationSizeMb`
   * of node:worker_threads). A document whose preparation needs more is refused with an
   * InputError ('too-large') and the bot's own heap is untouched. Undefined: Node's default.
   */
  maxHeapMb?: number;
  /** The worker's TypeScript entry (default ./prepare-worker.ts; tests point it at a stand-in). */
  entry?: URL;
}

/** A lazily started preparation worker; see the module doc. */
export class PrepareThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (d: PreparedDocument) => void; reject: (e: Error) => void }>();

  constructor(private readonly opts: PrepareThreadOptions) {}

  /** True when `job` goes to the worker thread. */
  offloads(job: PrepareJob): boolean {
    const size = job.bytes?.byteLength ?? (job.text?.length ?? 0) * 2;
    return size >= this.opts.minBytes;
  }

  /**
   * Prepare a document (worker thread for large inputs).
   * @throws InputError from the job (same reasons as in-process), or 'timeout' when the thread had
   *   to be terminated.
   */
  async prepare(job: PrepareJob): Promise<PreparedDocument> {
    if (!this.offloads(job)) return runPrepareJob(job, this.opts.decompounder);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<PreparedDocument>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InputError('Preparing the document took longer than its time budget (INGEST_BUDGET_MS); it was not added.', 'timeout'));
        this.stopWorker();
      }, job.budgetMs + (this.opts.graceMs ?? 2000));
      timer.unref();
      this.pending.set(id, {
        resolve: (d) => (clearTimeout(timer), resolve(d)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      worker.postMessage({ id, job, dict: this.opts.dict, logLevel: this.opts.logLevel });
    });
  }

  /** Terminate the worker (pending jobs fail). Safe to call twice. */
  async close(): Promise<void> {
    await this.stopWorker();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { entry: (this.opts.entry ?? new URL('./prepare-worker.ts', import.meta.url)).href },
      ...(this.opts.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb } } : {}),
    });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; doc?: PreparedDocument; error?: { name: string; message: string; reason?: string } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.doc!);
      else if (m.error!.name === 'InputError') p.reject(new InputError(m.error!.message, m.error!.reason ?? 'error'));
      else p.reject(Object.assign(new Error(m.error!.message), { name: m.error!.name }));
    });
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', (err: Error & { code?: string }) =>
      fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new InputError(`Preparing the document needed more memory than INGEST_WORKER_MEMORY_MB (${this.opts.maxHeapMb} MiB) allows; it was not added.`, 'too-large')
          : err,
      ),
    );
    w.on('exit', (code) => fail(new Error(`the ingestion worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate().catch(() => undefined);
  }
}
