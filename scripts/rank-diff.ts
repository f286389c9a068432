/**
 * Dumps the lexical ranking (PassageSearcher.search, top 10: chunk id, score, coverage) of every
 * XQuAD dev question, German and English, so that two versions of the search code can be
 * compared line by line (`diff`): a speed change must leave every ranking as it was.
 *
 *   npx tsx scripts/rank-diff.ts [--distractors N] > ranks.txt
 *
 * Pool: the 240 German XQuAD paragraphs (shared), the 240 English ones in guild scope "g1" (so
 * German questions also take the English-document path), and the first N 10kGNAD articles
 * (default 300). Every question is asked from the shared scope and from "g1". Needs /work/shared
 * (SHARED_DATA_DIR); EMBEDDINGS=off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { Dossier } from '../src/core.js';
import { buildQuery } from '../src/search/query.js';
import type { PassageSearcher } from '../src/search/passages.js';
import type { Dictionary } from '../src/search/dictionary.js';

const shared = process.env.SHARED_DATA_DIR ?? '/work/shared/data';
const opts = new Command().option('--distractors <n>', 'number of 10kGNAD articles', (v) => parseInt(v, 10), 300).parse().opts<{ distractors: number }>();

interface Squad {
  data: { paragraphs: { context: string; qas: { question: string }[] }[] }[];
}
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(shared, 'xquad', f), 'utf8')) as Squad;

setLogLevel('warn');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-rankdiff-'));
fs.mkdirSync(path.join(dir, 'corpus'));
try {
  const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
  const de = read('xquad-dev.de.json');
  const en = read('xquad-dev.en.json');
  let i = 0;
  for (const a of de.data) for (const p of a.paragraphs) await d.ingest({ text: p.context, source: `de:${i++}` });
  i = 0;
  for (const a of en.data) for (const p of a.paragraphs) await d.ingest({ text: p.context, source: `en:${i++}`, scope: 'g1' });
  const rows = parseCsv(fs.readFileSync(path.join(shared, '10kgnad', 'test.csv'), 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
  for (const [k, r] of rows.slice(0, opts.distractors).entries()) if (r[1]?.trim()) await d.ingest({ text: r[1], source: `gnad:${k}` });
  const { searcher, dict } = d as unknown as { searcher: PassageSearcher; dict: Dictionary | null };
  const questions = [...de.data, ...en.data].flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)));
  const out: string[] = [];
  for (const q of questions) {
    const groups = buildQuery(q, dict).groups;
    for (const scope of [null, 'g1']) {
      const hits = searcher.search(groups, scope, 10);
      out.push(`${scope ?? '-'}\t${q}\t${hits.map((h) => `${h.chunk.id}:${h.score.toPrecision(15)}:${h.coverage.toFixed(6)}`).join(' ')}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  await d.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
