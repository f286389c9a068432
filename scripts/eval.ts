/**
 * Retrieval and answer evaluation on SQuAD-format data, through the same ingest and ask code the
 * bot uses (a fresh temporary store per pool).
 *
 *   npm run -s eval -- --json [--xquad-de F --xquad-en F] [--mlqa F] [--distractors F] [--only NAME]
 *
 * Pools: every paragraph of the German XQuAD file (240, also those without questions); for MLQA
 * every distinct context; `_distract` adds every 10kGNAD article. A paragraph's rank is the rank
 * of its first citation; answer@5 = the gold German answer text occurs in one of the top-5 quotes.
 * Prints {xquad_en_de, xquad_de_de, mlqa_de_de, xquad_en_de_distract}, each
 * {n, recall@1, recall@5, recall@10, mrr@10, answer@5, abstained}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { Dossier } from '../src/core.js';

const shared = process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const program = new Command()
  .option('--json', 'print JSON only')
  .option('--xquad-de <file>', 'German XQuAD (SQuAD v1.1 JSON)', path.join(shared, 'xquad', 'xquad-dev.de.json'))
  .option('--xquad-en <file>', 'English XQuAD, parallel to the German file', path.join(shared, 'xquad', 'xquad-dev.en.json'))
  .option('--mlqa <file>', 'MLQA de-de records', path.join(shared, 'mlqa', 'mlqa-dev.de-de.json'))
  .option('--distractors <file>', '10kGNAD csv (label;text)', path.join(shared, '10kgnad', 'test.csv'))
  .option('--only <names>', 'comma-separated subset of the runs')
  .option('--embeddings <mode>', 'auto | off (dense retrieval)', 'off')
  .parse();
const opts = program.opts<{ json?: boolean; xquadDe: string; xquadEn: string; mlqa: string; distractors: string; only?: string; embeddings: string }>();

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[];
}
interface Item {
  question: string;
  gold: string; // paragraph key
  answer: string;
}
interface Metrics {
  n: number;
  'recall@1': number;
  'recall@5': number;
  'recall@10': number;
  'mrr@10': number;
  'answer@5': number;
  abstained: number;
}

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

async function openPool(paragraphs: Map<string, string>, distractors: string[]): Promise<{ d: Dossier; keyOf: Map<string, string>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-eval-'));
  const empty = path.join(dir, 'corpus');
  fs.mkdirSync(empty);
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: empty, LOG_LEVEL: 'warn', EMBEDDINGS: opts.embeddings });
  const d = await Dossier.open(config);
  const keyOf = new Map<string, string>();
  for (const [key, text] of paragraphs) {
    const r = await d.ingest({ text, title: key, source: `eval:${key}` });
    keyOf.set(r.document.id, key);
  }
  let i = 0;
  for (const text of distractors) await d.ingest({ text, source: `distractor:${i++}` });
  return { d, keyOf, dir };
}

async function run(paragraphs: Map<string, string>, items: Item[], distractors: string[]): Promise<Metrics> {
  const { d, keyOf, dir } = await openPool(paragraphs, distractors);
  const m = { n: items.length, r1: 0, r5: 0, r10: 0, mrr: 0, a5: 0, abst: 0 };
  for (const it of items) {
    const a = await d.ask(it.question, { limit: 10 });
    if (a.abstained) m.abst++;
    const ranked: string[] = [];
    for (const c of a.citations) {
      const key = keyOf.get(c.document.id) ?? `other:${c.document.id}`;
      if (!ranked.includes(key)) ranked.push(key);
    }
    const rank = ranked.indexOf(it.gold) + 1;
    if (rank === 1) m.r1++;
    if (rank >= 1 && rank <= 5) m.r5++;
    if (rank >= 1 && rank <= 10) {
      m.r10++;
      m.mrr += 1 / rank;
    }
    if (a.citations.slice(0, 5).some((c) => c.quote.includes(it.answer))) m.a5++;
  }
  await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const r = (x: number) => Math.round((x / Math.max(1, m.n)) * 1000) / 1000;
  return { n: m.n, 'recall@1': r(m.r1), 'recall@5': r(m.r5), 'recall@10': r(m.r10), 'mrr@10': r(m.mrr), 'answer@5': r(m.a5), abstained: r(m.abst) };
}

function xquad(): { paragraphs: Map<string, string>; en: Item[]; de: Item[] } {
  const de = readJson<Squad>(opts.xquadDe);
  const en = readJson<Squad>(opts.xquadEn);
  const paragraphs = new Map<string, string>();
  const gold = new Map<string, { key: string; answer: string; question: string }>();
  de.data.forEach((art, ai) =>
    art.paragraphs.forEach((p, pi) => {
      const key = `${art.title} ¶${pi + 1} (${ai}/${pi})`;
      paragraphs.set(key, p.context);
      for (const q of p.qas) gold.set(q.id, { key, answer: q.answers[0]?.text ?? '', question: q.question });
    }),
  );
  const enItems: Item[] = [];
  for (const art of en.data)
    for (const p of art.paragraphs)
      for (const q of p.qas) {
        const g = gold.get(q.id);
        if (g) enItems.push({ question: q.question, gold: g.key, answer: g.answer });
      }
  const deItems = [...gold.values()].map((g) => ({ question: g.question, gold: g.key, answer: g.answer }));
  return { paragraphs, en: enItems, de: deItems };
}

function mlqa(): { paragraphs: Map<string, string>; items: Item[] } {
  const recs = readJson<{ context: string; question: string; answers: { text: string[] } }[]>(opts.mlqa);
  const paragraphs = new Map<string, string>();
  const byContext = new Map<string, string>();
  const items: Item[] = [];
  for (const r of recs) {
    let key = byContext.get(r.context);
    if (!key) {
      key = `mlqa ${byContext.size + 1}`;
      byContext.set(r.context, key);
      paragraphs.set(key, r.context);
    }
    items.push({ question: r.question, gold: key, answer: r.answers.text[0] ?? '' });
  }
  return { paragraphs, items };
}

function distractors(): string[] {
  const rows = parseCsv(fs.readFileSync(opts.distractors, 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
  return rows.map((r) => r[1]).filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
}

setLogLevel('warn');
const RUNS = ['xquad_en_de', 'xquad_de_de', 'mlqa_de_de', 'xquad_en_de_distract'];
const only = opts.only ? new Set(opts.only.split(',').map((s) => s.trim())) : null;
const unknown = only ? [...only].filter((n) => !RUNS.includes(n)) : [];
if (unknown.length) fail(`unknown run(s) ${unknown.join(', ')}; choose from ${RUNS.join(', ')}`);
const want = (name: string) => !only || only.has(name);
const needs: [boolean, string, string][] = [
  [want('xquad_en_de') || want('xquad_de_de') || want('xquad_en_de_distract'), opts.xquadDe, '--xquad-de'],
  [want('xquad_en_de') || want('xquad_en_de_distract'), opts.xquadEn, '--xquad-en'],
  [want('mlqa_de_de'), opts.mlqa, '--mlqa'],
  [want('xquad_en_de_distract'), opts.distractors, '--distractors'],
];
for (const [needed, file, flag] of needs) {
  if (needed && !fs.existsSync(file)) {
    fail(`${file} not found. The evaluation data lives in ../shared/data beside the project (see its README); pass ${flag} FILE or set SHARED_DATA_DIR.`);
  }
}
const out: Record<string, Metrics> = {};
const x = want('xquad_en_de') || want('xquad_de_de') || want('xquad_en_de_distract') ? xquad() : { paragraphs: new Map(), en: [], de: [] };
if (want('xquad_en_de')) out.xquad_en_de = await run(x.paragraphs, x.en, []);
if (want('xquad_de_de')) out.xquad_de_de = await run(x.paragraphs, x.de, []);
if (want('mlqa_de_de')) {
  const m = mlqa();
  out.mlqa_de_de = await run(m.paragraphs, m.items, []);
}
if (want('xquad_en_de_distract')) out.xquad_en_de_distract = await run(x.paragraphs, x.en, distractors());
process.stdout.write(opts.json ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
