/**
 * Issue 11: the ingestion worker thread has a heap cap (INGEST_WORKER_MEMORY_MB → PrepareThread's
 * maxHeapMb, node:worker_threads resourceLimits). A job that needs more fails with a clear
 * InputError ('too-large') instead of exhausting the process, and the next job gets a fresh worker.
 * The worker here is a stand-in (tests/kit/greedy-worker.ts) that allocates without bound, because
 * every real document under the input limits is prepared well inside the default cap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PrepareThread } from '../src/ingest/thread.js';
import { InputError } from '../src/corpus/types.js';
import { loadConfig } from '../src/config.js';
import type { PrepareJob } from '../src/ingest/job.js';

let thread: PrepareThread | undefined;
afterEach(async () => {
  await thread?.close();
  thread = undefined;
});

const job = (text: string) => ({ text, scope: null, budgetMs: 30_000 }) as unknown as PrepareJob;

describe('ingestion worker heap cap', () => {
  it('a job that outgrows the cap is refused as too large; the next job runs on a fresh worker', async () => {
    thread = new PrepareThread({
      minBytes: 0,
      dict: null,
      decompounder: null,
      logLevel: 'silent',
      maxHeapMb: 64,
      entry: new URL('./kit/greedy-worker.ts', import.meta.url),
    });
    const err = await thread.prepare(job('GREEDY')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).reason).toBe('too-large');
    expect((err as Error).message).toMatch(/more memory than INGEST_WORKER_MEMORY_MB \(64 MiB\)/);
    const ok = (await thread.prepare(job('klein'))) as unknown as { text: string };
    expect(ok.text).toBe('klein');
  }, 60_000);

  it('the core passes INGEST_WORKER_MEMORY_MB (default 2048 MiB, validated)', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/unused' }, {}).INGEST_WORKER_MEMORY_MB).toBe(2048);
    expect(() => loadConfig({ DATA_DIR: '/tmp/unused', INGEST_WORKER_MEMORY_MB: '10' }, {})).toThrow(/INGEST_WORKER_MEMORY_MB/);
  });
});
