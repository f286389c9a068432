/**
 * Retrieval benchmark: dossier's lexical search side by side with MiniSearch (BM25) and
 * FlexSearch (a strict word index; when the devDependency is installed), both configured with the
 * same German Snowball stemmer and stop words, on the same chunk texts, at three corpus sizes, in
 * one process run. FlexSearch is asked for the LEXICAL_DEPTH best ids, MiniSearch returns all hits. Part of `npm run bench` (scripts/bench.ts); also runnable alone:
 *
 *   npx tsx scripts/bench-retrieval.ts [--sizes small,medium,large] [--large-chars N] [--queries N] [--json]
 *
 * Corpora (scripts/bench-data.ts): small = XQuAD's 240 German paragraphs, medium = 10kGNAD's
 * 1,028 test articles, large = synthetic documents of 10kGNAD sentences with perturbed words
 * (default 15 M characters, ~54k chunks); without /work/shared the built-in sample stands in.
 * Per corpus it reports:
 * - ingest: `Dossier.ingest` (EMBEDDINGS=off) docs/s per batch of 500 documents (flat = the cost
 *   of an ingest does not grow with the store), printed as a curve on stderr while it runs;
 * - build_ms: dossier = rebuilding the lexical index from the store in `Dossier.open` (snapshot
 *   deleted; OpenReport.indexMs), MiniSearch = `addAll` of the chunk texts; runs alternate
 *   A B A B, medians;
 * - query_ms {de, en} p50/p95: dossier = buildQuery + PassageSearcher.search (depth
 *   LEXICAL_DEPTH; the search step without answer extraction), MiniSearch = `search`; each
 *   question runs on both systems, the order alternating per question; after 10 warm-up questions;
 * - index_mb and mb_per_million_chars: heap + array-buffer growth (after GC) while loading the
 *   index (the dictionary loaded and its stem tables cut out before; dossier: snapshot + concept
 *   index + one German and one English question, so that the
 *   structures built on first use — term maps, concept entry table, scratch arrays — count;
 *   MiniSearch: addAll), per million document characters;
 * - reopen: a fresh process opening the store (`Dossier.open`, snapshot present): index_ms (the
 *   lexical index load) and ready_ms; peak_rss_mb of that process after 50 questions through
 *   `Dossier.ask`;
 * - ratios dossier / MiniSearch.
 * Timings are wall clock on a shared machine: compare ratios from one run, not absolute figures
 * across runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import MiniSearch from 'minisearch';
import { loadConfig, type Config } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { Dossier } from '../src/core.js';
import { buildQuery } from '../src/search/query.js';
import { PassageSearcher } from '../src/search/passages.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { SNAPSHOT_FILE } from '../src/search/persisted-index.js';
import { isStopword, stem } from '../src/text/stem.js';
import { loadBenchData, syntheticDocs, type BenchDoc } from './bench-data.js';

const ROOT = path.resolve(import.meta.dirname, '..');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Options of {@link benchRetrieval}. */
export interface RetrievalBenchOptions {
  sizes: ('small' | 'medium' | 'large')[];
  /** Characters of the synthetic corpus. */
  largeChars: number;
  /** Timed questions per language. */
  queries: number;
  /** Build rounds per system (alternating). */
  rounds: number;
  /** Cap on the medium corpus's articles. */
  limit?: number;
  work: string;
  say: (msg: string) => void;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
};
function percentiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { p50: r3(at(0.5)), p95: r3(at(0.95)) };
}

function benchConfig(dataDir: string): Config {
  const env = { ...process.env };
  for (const k of ['DATA_DIR', 'CORPUS_DIR', 'EMBEDDINGS', 'LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY', 'LOG_LEVEL']) delete env[k];
  const corpus = path.join(path.dirname(dataDir), 'empty-corpus');
  fs.mkdirSync(corpus, { recursive: true });
  return loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpus, CACHE_DIR: env.CACHE_DIR ?? path.join(ROOT, '.cache'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }, env);
}

/** Heap + typed-array bytes in use after a full GC. */
function usedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The MiniSearch peer: BM25 with the same German stemmer and stop words. */
function miniSearch(): MiniSearch<{ id: number; text: string }> {
  return new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return !t || isStopword(t, 'de') ? null : stem(t, 'de');
    },
  });
}

/** A FlexSearch index (the subset of its API used here). */
interface FlexIndex {
  add(id: number, text: string): unknown;
  search(q: string, options: { limit: number }): unknown;
}
type FlexIndexClass = new (options: { tokenize: 'strict'; encode: (text: string) => string[] }) => FlexIndex;

/**
 * FlexSearch's Index class (devDependency `flexsearch`; FLEXSEARCH_MODULE may name another
 * install), or null when it is not installed: the peer is then left out of the report.
 */
async function loadFlexSearch(): Promise<FlexIndexClass | null> {
  try {
    const m = (await import(process.env.FLEXSEARCH_MODULE ?? 'flexsearch')) as { default?: { Index: FlexIndexClass }; Index?: FlexIndexClass };
    return m.Index ?? m.default?.Index ?? null;
  } catch {
    return null;
  }
}
const Flex = await loadFlexSearch();

/**
 * The FlexSearch peer: a strict (whole-word) index whose encoder is the same lower-casing, German
 * stop words and Snowball stems as the MiniSearch peer's.
 */
function flexSearch(): FlexIndex {
  return new Flex!({
    tokenize: 'strict',
    encode: (text) => {
      const out: string[] = [];
      for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w && !isStopword(w, 'de')) out.push(stem(w, 'de'));
      return out;
    },
  });
}
const addAllFlex = (texts: { id: number; text: string }[]) => {
  const f = flexSearch();
  for (const t of texts) f.add(t.id, t.text);
  return f;
};

/** What a fresh process reports after opening a store (see {@link childOpen}). */
interface ChildReport {
  index_ms: number;
  ready_ms: number;
  index_source: string;
  wall_ms: number;
  peak_rss_mb: number;
}

/** Child mode: open the store, ask 50 questions, print a {@link ChildReport}. */
async function childOpen(dataDir: string, questions: string[]): Promise<void> {
  setLogLevel('warn');
  const t = performance.now();
  const d = await Dossier.open(benchConfig(dataDir));
  const wall = performance.now() - t;
  for (const q of questions) await d.ask(q);
  const rep: ChildReport = {
    index_ms: d.startup.indexMs,
    ready_ms: d.startup.readyMs,
    index_source: d.startup.index.source,
    wall_ms: Math.round(wall),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await d.close();
  process.stdout.write(`${JSON.stringify(rep)}\n`);
}

function openInChild(dataDir: string, questionsFile: string): ChildReport {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--child-open', dataDir, questionsFile], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildReport;
}

/** One corpus: ingest, builds, memory, queries, reopen. */
async function benchCorpus(name: string, docs: BenchDoc[], questions: { de: string[]; en: string[] }, o: RetrievalBenchOptions): Promise<Record<string, unknown>> {
  const dataDir = path.join(o.work, `retrieval-${name}`, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const config = benchConfig(dataDir);
  const chars = docs.reduce((n, d) => n + d.text.length, 0);
  o.say(`bench retrieval ${name}: ingesting ${docs.length} documents (${(chars / 1e6).toFixed(1)} M chars)…`);

  // --- ingest, in batches of 500 documents --------------------------------------------------
  const d0 = await Dossier.open(config);
  const batches: number[] = [];
  const BATCH = 500;
  for (let b = 0; b < docs.length; b += BATCH) {
    const t = performance.now();
    const slice = docs.slice(b, b + BATCH);
    for (const doc of slice) await d0.ingest({ text: doc.text, source: doc.source });
    batches.push(r1(slice.length / ((performance.now() - t) / 1000)));
  }
  o.say(`bench retrieval ${name}: ingest docs/s per batch of ${BATCH}: ${batches.join(' ')}`);
  const chunks = (d0.db.prepare('SELECT COUNT(*) FROM chunks').pluck().get() as number) ?? 0;
  const chunkTexts = d0.db
    .prepare('SELECT c.id AS id, substr(d.text, c.start + 1, c."end" - c.start) AS text FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id')
    .all() as { id: number; text: string }[];
  await d0.close(); // writes the snapshot

  // --- builds, alternating A B A B -----------------------------------------------------------
  o.say(`bench retrieval ${name}: ${chunks} chunks; builds…`);
  const snapshot = path.join(dataDir, SNAPSHOT_FILE);
  const buildDossier: number[] = [];
  const buildMini: number[] = [];
  const buildFlex: number[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const order = (round % 2 === 0 ? ['a', 'b', 'c'] : ['c', 'b', 'a']).filter((x) => x !== 'c' || Flex);
    for (const sys of order) {
      if (sys === 'a') {
        fs.rmSync(snapshot, { force: true });
        const d = await Dossier.open(config);
        buildDossier.push(d.startup.indexMs);
        await d.close();
      } else if (sys === 'b') {
        const t = performance.now();
        miniSearch().addAll(chunkTexts);
        buildMini.push(performance.now() - t);
      } else {
        const t = performance.now();
        addAllFlex(chunkTexts);
        buildFlex.push(performance.now() - t);
      }
    }
  }

  // --- memory: load each index alone, measure growth -----------------------------------------
  const dict = config.TRANSLATE ? loadDictionary(config.DICT_PATH, config.CACHE_DIR) : null;
  // The dictionary's stem tables cut their words out on first use (src/search/string-table.ts);
  // cut them all here so that they count as the dictionary's memory, not the index's.
  if (dict) for (const lang of ['de', 'en'] as const) dict.stems[lang].keys();
  let before = usedBytes();
  const searcher = new PassageSearcher(dict);
  let t = performance.now();
  searcher.load(snapshot);
  const loadMs = performance.now() - t;
  await searcher.warmUp(1 << 30);
  // One German and one English question first: the term maps (built on the first question),
  // the concept entry table and the scoring scratch arrays are memory that questions need.
  for (const lang of ['de', 'en'] as const) if (questions[lang][0]) searcher.search(buildQuery(questions[lang][0], dict).groups, null, config.LEXICAL_DEPTH);
  const dossierBytes = usedBytes() - before;
  before = usedBytes();
  const mini = miniSearch();
  mini.addAll(chunkTexts);
  const miniBytes = usedBytes() - before;
  before = usedBytes();
  const flex = Flex ? addAllFlex(chunkTexts) : null;
  const flexBytes = usedBytes() - before;

  // --- queries: each question on both systems, order alternating -----------------------------
  o.say(`bench retrieval ${name}: questions…`);
  const searchA = (q: string) => searcher.search(buildQuery(q, dict).groups, null, config.LEXICAL_DEPTH);
  const searchB = (q: string) => mini.search(q);
  const searchC = (q: string) => flex!.search(q, { limit: config.LEXICAL_DEPTH });
  const times = { de: { a: [] as number[], b: [] as number[], c: [] as number[] }, en: { a: [] as number[], b: [] as number[], c: [] as number[] } };
  for (const lang of ['de', 'en'] as const) {
    // 10 warm-up questions, then `queries` timed ones (a short list, as the built-in one, repeats).
    const pool = questions[lang];
    const qs = pool.length ? Array.from({ length: o.queries + 10 }, (_, i) => pool[i % pool.length]) : [];
    qs.forEach((q, i) => {
      const systems = (['a', 'b', 'c'] as const).filter((x) => x !== 'c' || flex);
      const order = systems.map((_, k) => systems[(i + k) % systems.length]);
      for (const sys of order) {
        const t0 = performance.now();
        if (sys === 'a') searchA(q);
        else if (sys === 'b') searchB(q);
        else searchC(q);
        if (i >= 10) times[lang][sys].push(performance.now() - t0);
      }
    });
  }

  // --- reopen in a fresh process (snapshot present) ------------------------------------------
  o.say(`bench retrieval ${name}: reopen in a fresh process…`);
  const qFile = path.join(o.work, `questions-${name}.json`);
  fs.writeFileSync(qFile, JSON.stringify([...questions.de.slice(0, 25), ...questions.en.slice(0, 25)]));
  const reopen = openInChild(dataDir, qFile);

  const q = (lang: 'de' | 'en') => ({ dossier: percentiles(times[lang].a), minisearch: percentiles(times[lang].b), ...(flex ? { flexsearch: percentiles(times[lang].c) } : {}), n: times[lang].a.length });
  const query = { de: q('de'), en: q('en') };
  const ratio = (a: number, b: number) => (b > 0 ? r1(a / b) : null);
  const mb = (x: number) => r1(x / 1048576);
  return {
    documents: docs.length,
    chunks,
    million_chars: r3(chars / 1e6),
    ingest: { docs_per_s_per_batch_of_500: batches, docs_per_s: r1(median(batches)) },
    build_ms: { dossier: Math.round(median(buildDossier)), minisearch: Math.round(median(buildMini)), ...(flex ? { flexsearch: Math.round(median(buildFlex)) } : {}), runs: o.rounds },
    snapshot_load_ms_in_process: Math.round(loadMs),
    query_ms: query,
    index_mb: { dossier: mb(dossierBytes), minisearch: mb(miniBytes), ...(flex ? { flexsearch: mb(flexBytes) } : {}) },
    mb_per_million_chars: { dossier: r1(mb(dossierBytes) / (chars / 1e6)), minisearch: r1(mb(miniBytes) / (chars / 1e6)), ...(flex ? { flexsearch: r1(mb(flexBytes) / (chars / 1e6)) } : {}) },
    reopen,
    ratios_dossier_to_minisearch: {
      build: ratio(median(buildDossier), median(buildMini)),
      query_p50_de: ratio(query.de.dossier.p50, query.de.minisearch.p50),
      query_p50_en: ratio(query.en.dossier.p50, query.en.minisearch.p50),
      query_p95_de: ratio(query.de.dossier.p95, query.de.minisearch.p95),
      memory: ratio(dossierBytes, miniBytes),
    },
    ...(flex
      ? {
          ratios_dossier_to_flexsearch: {
            build: ratio(median(buildDossier), median(buildFlex)),
            query_p50_de: ratio(query.de.dossier.p50, query.de.flexsearch!.p50),
            query_p50_en: ratio(query.en.dossier.p50, query.en.flexsearch!.p50),
            memory: ratio(dossierBytes, flexBytes),
          },
        }
      : { flexsearch: 'not installed (devDependency flexsearch; npm install)' }),
  };
}

/**
 * Run the retrieval benchmark.
 * @returns per corpus size the figures listed in the module doc, plus the growth curve
 *   (query p50 and corpus size relative to the smallest corpus run).
 */
export async function benchRetrieval(o: RetrievalBenchOptions): Promise<Record<string, unknown>> {
  setLogLevel('warn');
  const data = loadBenchData(o.limit);
  o.say(`bench retrieval: data from ${data.origin === 'shared' ? 'the shared dev sets' : 'the built-in sample (no shared data found)'}`);
  const out: Record<string, unknown> = { data: data.origin };
  const corpora: Record<string, BenchDoc[]> = {};
  if (o.sizes.includes('small')) corpora.small = data.small;
  if (o.sizes.includes('medium')) corpora.medium = data.medium;
  if (o.sizes.includes('large')) corpora.large = syntheticDocs(data.sentences, o.largeChars, 12).map((text, i) => ({ text, source: `synthetic:${i}` }));
  const results: Record<string, Record<string, unknown>> = {};
  for (const [name, docs] of Object.entries(corpora)) results[name] = await benchCorpus(name, docs, data.questions, o);
  out.corpora = results;
  const names = Object.keys(results);
  if (names.length > 1) {
    const base = results[names[0]] as { million_chars: number; query_ms: Record<'de' | 'en', { dossier: { p50: number }; minisearch: { p50: number } }> };
    out.growth_vs_smallest = Object.fromEntries(
      names.map((n) => {
        const r = results[n] as typeof base;
        const g = (lang: 'de' | 'en', sys: 'dossier' | 'minisearch') => r1(r.query_ms[lang][sys].p50 / Math.max(1e-6, base.query_ms[lang][sys].p50));
        return [n, { corpus: r1(r.million_chars / base.million_chars), query_p50_de: { dossier: g('de', 'dossier'), minisearch: g('de', 'minisearch') }, query_p50_en: { dossier: g('en', 'dossier'), minisearch: g('en', 'minisearch') } }];
      }),
    );
  }
  return out;
}

/** CLI start: wall time of `tsx src/cli.ts ask --json` on a small store (median of `runs`), and of importing the core. */
export function benchCliStart(work: string, runs = 3): Record<string, unknown> {
  const dataDir = path.join(work, 'cli-data');
  const corpus = path.join(work, 'cli-corpus');
  fs.mkdirSync(corpus, { recursive: true });
  const env = { ...process.env, DATA_DIR: dataDir, CORPUS_DIR: path.join(ROOT, 'corpus'), EMBEDDINGS: 'off', LOG_LEVEL: 'warn' };
  const ask = () => {
    const t = performance.now();
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'ask', '--json', 'How many ZT-180 drones per month?'], { env, stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
    return performance.now() - t;
  };
  ask(); // first run: creates the store and ingests the bundled corpus
  const wall = Array.from({ length: runs }, ask);
  const imports = Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "const t = performance.now(); await import('./src/core.ts'); process.stdout.write(String(performance.now() - t));"], { cwd: ROOT, encoding: 'utf8', env })),
  );
  return { warm_ask_wall_ms: Math.round(median(wall)), import_core_ms: Math.round(median(imports)), runs, note: 'node --import tsx src/cli.ts ask --json (EMBEDDINGS=off), after a first run created the store' };
}

// Stand-alone run and child mode.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  if (args[0] === '--child-open') {
    await childOpen(args[1], JSON.parse(fs.readFileSync(args[2], 'utf8')) as string[]);
  } else {
    const { Command } = await import('commander');
    const p = new Command()
      .option('--sizes <list>', 'corpora: small,medium,large', 'small,medium,large')
      .option('--large-chars <n>', 'characters of the synthetic corpus', (v) => parseInt(v, 10), 15_000_000)
      .option('--queries <n>', 'timed questions per language', (v) => parseInt(v, 10), 200)
      .option('--rounds <n>', 'build rounds per system', (v) => parseInt(v, 10), 2)
      .option('--limit <n>', 'articles of the medium corpus', (v) => parseInt(v, 10))
      .option('--json', 'print JSON only')
      .parse();
    const opt = p.opts<{ sizes: string; largeChars: number; queries: number; rounds: number; limit?: number; json?: boolean }>();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-retrieval-'));
    try {
      const res = await benchRetrieval({ sizes: opt.sizes.split(',') as RetrievalBenchOptions['sizes'], largeChars: opt.largeChars, queries: opt.queries, rounds: opt.rounds, limit: opt.limit, work, say: (m) => process.stderr.write(`${m}\n`) });
      res.cli = benchCliStart(work);
      process.stdout.write(`${JSON.stringify(res, null, opt.json ? 2 : undefined)}\n`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}
