/**
 * Stand-in for src/ingest/prepare-worker.ts in tests of the worker heap cap: a job whose text is
 * "GREEDY" allocates until the thread's heap limit ends it; any other job is answered with a
 * minimal document echoing the text (same message protocol as the real worker).
 */
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (m: { id: number; job: { text?: string } }) => {
  if (m.job.text === 'GREEDY') {
    const hoard: object[] = [];
    for (;;) hoard.push({ n: hoard.length, s: `x${hoard.length}` });
  }
  parentPort!.postMessage({ id: m.id, ok: true, doc: { text: m.job.text } });
});
