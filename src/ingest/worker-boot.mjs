// Worker entry in plain JavaScript: worker threads do not inherit tsx's loader (nor vitest's), so
// the TypeScript entry named in workerData is loaded through tsx's API.
import { workerData } from 'node:worker_threads';
const { tsImport } = await import('tsx/esm/api');
await tsImport(workerData.entry, import.meta.url);
