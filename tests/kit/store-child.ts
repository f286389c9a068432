/**
 * Child process for the two-process tests (tests/store.two-process.test.ts): a running Dossier
 * with its own in-memory indexes, following the store's change log, that answers questions read
 * line by line from stdin and prints one JSON line per question:
 * {"q":…,"docs":[cited document ids],"abstained":bool,"count":documents listed}.
 * Prints READY when open; QUIT closes it.
 * Usage: node --import tsx store-child.ts <dataDir> <corpusDir> [databaseUrl]
 */
import readline from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { Dossier } from '../../src/core.js';

const [dataDir, corpusDir, url] = process.argv.slice(2);
const d = await Dossier.open(
  loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpusDir, LOG_LEVEL: 'silent', EMBEDDINGS: 'off', TRANSLATE: false, STORE_POLL_MS: 200, ...(url ? { DATABASE_URL: url } : {}) }),
);
process.stdout.write('READY\n');
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'QUIT') break;
  const a = await d.ask(line);
  process.stdout.write(JSON.stringify({ q: line, docs: [...new Set(a.citations.map((c) => c.document.id))], abstained: a.abstained, count: d.list().length }) + '\n');
}
await d.close();
