/**
 * Child process for the crash test: opens the store, ingests every file of a folder through the
 * core facade, and prints `ACK <file> <id>` after each document is stored (after the commit).
 * Prints `READY` once the store is open. Usage: tsx ingest-child.ts <dataDir> <corpusDir> <folder>…
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { Dossier } from '../../src/core.js';

const [dataDir, corpusDir, ...folders] = process.argv.slice(2);
const d = await Dossier.open(loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpusDir, LOG_LEVEL: 'silent', EMBEDDINGS: process.env.EMBEDDINGS ?? 'off' }));
process.stdout.write('READY\n');
for (const folder of folders) {
  for (const f of fs.readdirSync(folder).sort()) {
    const r = await d.ingest({ bytes: fs.readFileSync(path.join(folder, f)), filename: f, source: f });
    process.stdout.write(`ACK ${f} ${r.document.id} ${r.status}\n`);
  }
}
await d.close();
process.stdout.write('DONE\n');
