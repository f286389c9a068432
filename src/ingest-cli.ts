/** Placeholder replaced by the bulk-ingestion command (issue 5). */
import type { Dossier } from './core.js';
import fs from 'node:fs';
import path from 'node:path';

/** Ingest files (not yet folders/URLs) and print a summary. */
export async function runIngest(d: Dossier, paths: string[], opts: { json: boolean }): Promise<void> {
  const results = [];
  for (const p of paths) {
    try {
      const r = await d.ingest({ bytes: fs.readFileSync(p), filename: path.basename(p), source: path.resolve(p) });
      results.push({ path: p, status: r.status, id: r.document.id });
    } catch (err) {
      results.push({ path: p, status: 'failed', reason: (err as Error).message });
    }
  }
  process.stdout.write(opts.json ? `${JSON.stringify(results)}\n` : results.map((r) => `${r.status}\t${r.path}`).join('\n') + '\n');
}
