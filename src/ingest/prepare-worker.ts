/**
 * Worker-thread side of {@link PrepareThread} (src/ingest/thread.ts): receives
 * `{ id, job, dict }` messages, runs {@link runPrepareJob} and answers `{ id, ok: true, doc }` or
 * `{ id, ok: false, error: { name, message, reason } }`. The dictionary (for German compound
 * splitting) is loaded once per path from its binary cache.
 */
import { parentPort } from 'node:worker_threads';
import { loadDictionary } from '../search/dictionary.js';
import { Decompounder } from '../text/decompound.js';
import { setLogLevel } from '../log.js';
import { runPrepareJob, type PrepareJob } from './job.js';

let decompounder: { key: string; value: Decompounder | null } | null = null;

parentPort!.on('message', async (m: { id: number; job: PrepareJob; dict: { path: string; cacheDir: string } | null; logLevel: string }) => {
  try {
    setLogLevel(m.logLevel);
    const key = m.dict ? `${m.dict.path}\n${m.dict.cacheDir}` : '';
    if (decompounder?.key !== key) {
      const dict = m.dict ? loadDictionary(m.dict.path, m.dict.cacheDir) : null;
      decompounder = { key, value: dict ? new Decompounder(dict.deFreq) : null };
    }
    const doc = await runPrepareJob(m.job, decompounder.value);
    parentPort!.postMessage({ id: m.id, ok: true, doc });
  } catch (err) {
    const e = err as Error & { reason?: string };
    parentPort!.postMessage({ id: m.id, ok: false, error: { name: e.name, message: e.message, reason: e.reason } });
  }
});
