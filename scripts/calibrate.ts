/**
 * Calibrate the abstention thresholds on data: ABSTAIN_THRESHOLD (lexical coverage) and, with a
 * dense model, DENSE_THRESHOLD (cosine similarity; src/search/dense-abstain.ts).
 *
 *   npx tsx scripts/calibrate.ts [--json] [--no-distractors] [--unanswerable-share 0.2] [--data DIR]
 *   npx tsx scripts/calibrate.ts --dense-model-dir DIR --dense-model-id ID   # also DENSE_THRESHOLD
 *
 * Split: every threshold is **chosen on the tuning part** of the fixed split (scripts/lib/split.ts)
 * and its precision/recall are **reported on the reporting part**; no question of tests/ is in
 * either set (any calibration question that occurs verbatim in a tests/ file is dropped, and the
 * count is printed). Precision is given both as sampled (about half the questions are
 * unanswerable) and at the stated prior π = --unanswerable-share:
 *   precision_π = π·recall / (π·recall + (1 − π)·false_abstention).
 *
 * The signal is the top passage's `coverage` (src/search/confidence.ts). Questions are asked of
 * pools of several sizes ("regimes"), with and without their answer in the pool; per part:
 * - `seed`: the bundled report alone; answerable = questions about it written for this script
 *   (English and German), unanswerable = off-topic questions plus every 5th XQuAD question.
 * - `one`: each XQuAD article (5 paragraphs) alone; its own questions vs the next article's.
 * - `xquad`: all XQuAD paragraphs with a quarter of the part's questioned articles held out
 *   (4 folds); the held-out articles' questions are unanswerable, the next fold's answerable.
 * - `mlqa`: MLQA contexts with half of the part's contexts held out (2 folds).
 * - `xquad+10kgnad` (unless --no-distractors): the XQuAD hold-out (2 folds) plus the part's
 *   10kGNAD articles.
 * Without ../shared the public sets are replaced by the built-in sample (scripts/lib/sample.ts),
 * which only shows the script runs.
 *
 * Dense (with --dense-model-dir/--dense-model-id, or --embeddings auto with MODEL_DIR/MODEL_ID
 * from the environment): the same pools are embedded (10kGNAD skipped) and the signal is the top
 * dense similarity of the questions the configured ABSTAIN_THRESHOLD abstains on; the threshold that
 * minimises the same cost is printed as DENSE_THRESHOLD. On the generated 'meaning' model this
 * gives 0.34; the shipped default is 2 (off) because no real model could be calibrated here
 * (see src/config.ts).
 *
 * Pools are built with the same text pipeline as Dossier.ingest (parseText → segmentDocument →
 * indexTerms with the decompounder) and searched with the same query builder and PassageSearcher
 * as Dossier.ask. The threshold minimises the regime-averaged cost of src/search/calibration.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { buildQuery } from '../src/search/query.js';
import { PassageSearcher } from '../src/search/passages.js';
import { abstentionStats, chooseThreshold, type AbstentionStats, type Observation } from '../src/search/calibration.js';
import { Decompounder } from '../src/text/decompound.js';
import { segmentDocument } from '../src/text/chunk.js';
import { indexTerms } from '../src/text/terms.js';
import { stemLang } from '../src/text/stem.js';
import { canonicalText } from '../src/text/normalize.js';
import { detectLanguage } from '../src/text/language.js';
import { parseText } from '../src/corpus/parse.js';
import { loadEmbedder } from '../src/embed/transformers.js';
import { DenseRetriever } from '../src/search/dense.js';
import { loadEvalData, type EvalData } from './lib/data.js';
import { splitUnits, type Part } from './lib/split.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const program = new Command()
  .description('Choose ABSTAIN_THRESHOLD (and DENSE_THRESHOLD with a model) on the tuning part; report on the reporting part.')
  .option('--json', 'print JSON only')
  .option('--no-distractors', 'skip the 10kGNAD regime (faster)')
  .option('--unanswerable-share <x>', 'assumed share of unanswerable questions, in (0, 1)', (v) => {
    const x = Number(v);
    if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`--unanswerable-share must be in (0, 1), got ${v}`);
    return x;
  }, 0.2)
  .option('--seed <file>', 'the bundled report', path.join(ROOT, 'corpus', '000_f6d27b86c4846197.txt'))
  .option('--data <dir>', 'folder holding xquad/, mlqa/, 10kgnad/ (default SHARED_DATA_DIR or ../shared/data)')
  .option('--sample', 'use the built-in sample even when the public data is present')
  .addOption(new Option('--embeddings <mode>', 'dense calibration with MODEL_DIR/MODEL_ID of the environment').choices(['off', 'auto']).default('off'))
  .option('--dense-model-dir <dir>', 'model folder (as MODEL_DIR) for the dense calibration')
  .option('--dense-model-id <id>', 'model id (as MODEL_ID) for the dense calibration')
  .option('--dump <file>', 'write every observation as JSON')
  .parse();
const opts = program.opts<{
  json?: boolean;
  distractors: boolean;
  unanswerableShare: number;
  seed: string;
  data?: string;
  sample?: boolean;
  embeddings: 'off' | 'auto';
  denseModelDir?: string;
  denseModelId?: string;
  dump?: string;
}>();

function fail(message: string): never {
  process.stderr.write(`calibrate: ${message}\n`);
  process.exit(2);
}

setLogLevel('warn');
const config = loadConfig({ LOG_LEVEL: 'warn' });
const dict = config.TRANSLATE ? loadDictionary(config.DICT_PATH, config.CACHE_DIR) : null;
const decompounder = dict ? new Decompounder(dict.deFreq) : null;
const denseWanted = opts.embeddings === 'auto' || Boolean(opts.denseModelDir || opts.denseModelId);
const embedder = denseWanted
  ? await loadEmbedder({
      ...config,
      EMBEDDINGS: 'auto',
      ...(opts.denseModelDir ? { MODEL_DIR: opts.denseModelDir } : {}),
      ...(opts.denseModelId ? { MODEL_ID: opts.denseModelId } : {}),
    })
  : null;
if (denseWanted && !embedder) fail('the dense model could not be loaded (see the warning above); check --dense-model-dir / --dense-model-id or MODEL_DIR / MODEL_ID.');
const embedCache = new Database(':memory:');

/** Questions about the seed report, answerable from it. */
const SEED_QUESTIONS = [
  'How many ZT-180 drones per month?',
  'How many drones should be produced per month?',
  'Who warned about Chinese arms exports?',
  'How heavy is the warhead of the ZT-180?',
  'Which Chinese company negotiates with Russia about drones?',
  'Where is Iran building a drone factory?',
  'How many Iranian drones are to be built in the new factory?',
  'When should the 100 prototype drones be delivered?',
  'Which Iranian drone does the ZT-180 resemble?',
  'What did Wang Yi say during his visit to the Kremlin?',
  'What did the Wall Street Journal report?',
  'Is China considering arms deliveries to Russia?',
  'Wie viele Drohnen sollen pro Monat produziert werden?',
  'Wer warnt vor chinesischen Waffenexporten nach Moskau?',
  'Wie schwer ist der Sprengkopf der ZT-180?',
  'Welcher Hersteller verhandelt mit Russland über Kamikazedrohnen?',
  'Wo soll eine Drohnenfabrik gebaut werden?',
  'Wie viele Drohnen sollen in der Fabrik in Russland hergestellt werden?',
  'Bis wann sollen die Drohnen geliefert werden?',
  'Was sagte Wang Yi bei seinem Besuch im Kreml?',
  'Welcher iranischen Drohne ähnelt die ZT-180?',
];
/**
 * Answerable paraphrases with few words of the report, for the dense side only (so it has
 * answerable seed cases); kept out of the lexical calibration, whose set stays as it was.
 */
const DENSE_PARAPHRASES = [
  'What monthly output of UAVs is planned?',
  'How much explosive can each UAV carry?',
  'Which UAV maker talks with the Russian military?',
  'Is Beijing thinking about sending arms to Moscow?',
  'Wie viele unbemannte Flugkörper sollen monatlich entstehen?',
];
/** Off-topic questions for the seed report. */
const OFF_TOPIC = [
  'What is the capital of France?',
  'Wie backe ich einen Apfelkuchen?',
  'Who won the 1998 football world cup?',
  'How do I reset my password?',
  'Wer hat die Relativitätstheorie entwickelt?',
  'What will the weather be like tomorrow?',
  'Wie hoch ist der Eiffelturm?',
  'Who wrote Faust?',
  'Wann beginnt die Fußball-Europameisterschaft?',
  'How many calories are in a banana?',
  'Was kostet ein Bahnticket nach Berlin?',
  'Who is the chancellor of Germany?',
];


/** Every string literal of the tests, so that no test question is calibrated on. */
function testStrings(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|json)$/.test(e.name))
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) out.add(m[2].replace(/\\(['"`])/g, '$1').trim());
    }
  };
  if (fs.existsSync(path.join(ROOT, 'tests'))) walk(path.join(ROOT, 'tests'));
  return out;
}
const inTests = testStrings();
let dropped = 0;
const notInTests = (q: string) => {
  if (inTests.has(q.trim())) {
    dropped++;
    return false;
  }
  return true;
};

interface Doc {
  key: string;
  text: string;
  group: string;
}
interface Question {
  question: string;
  gold: string;
  group: string;
  part: Part;
}
interface Pool {
  searcher: PassageSearcher;
  chunkDoc: Map<number, string>;
  dense: DenseRetriever | null;
}

/** A pool indexed like Dossier.ingest indexes documents (and embedded when a model is loaded). */
async function buildPool(docs: Doc[], withDense: boolean): Promise<Pool> {
  const searcher = new PassageSearcher(dict);
  const chunkDoc = new Map<number, string>();
  const texts: { id: number; text: string }[] = [];
  let pid = 1;
  let cid = 1;
  for (const d of docs) {
    const parsed = parseText(d.text);
    const text = canonicalText(parsed.text);
    const language = parsed.language ?? detectLanguage(text);
    const sl = stemLang(language);
    const paragraphs = segmentDocument(text, parsed.bodyStart ?? 0, { sentencesPerChunk: config.CHUNK_SENTENCES, overlap: Math.min(config.CHUNK_OVERLAP, config.CHUNK_SENTENCES - 1) }, language);
    searcher.add({
      id: d.key,
      scope: null,
      language: sl,
      paragraphs: paragraphs.map((p) => {
        const id = pid++;
        return {
          id,
          terms: indexTerms(text.slice(p.start, p.end), sl, decompounder),
          chunks: p.chunks.map((c) => {
            const chunkId = cid++;
            chunkDoc.set(chunkId, d.key);
            texts.push({ id: chunkId, text: text.slice(c.start, c.end) });
            return { id: chunkId, docId: d.key, paragraphId: id, start: c.start, end: c.end, terms: indexTerms(text.slice(c.start, c.end), sl, decompounder) };
          }),
        };
      }),
    });
  }
  let dense: DenseRetriever | null = null;
  if (withDense && embedder) {
    const dir = fs.mkdtempSync(path.join(config.CACHE_DIR, 'calibrate-'));
    dense = DenseRetriever.open({ embedder, db: embedCache, dir });
    await dense.add(texts);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { searcher, chunkDoc, dense };
}

type Obs = Observation & { question: string; part: Part; denseSimilarity?: number; denseRetrieved?: boolean; denseOnly?: boolean };
const observations: Obs[] = [];
async function ask(regime: string, pool: Pool, questions: Question[], answerable: boolean, denseOnly = false): Promise<void> {
  for (const q of questions) {
    const ranked = pool.searcher.search(buildQuery(q.question, dict).groups, null, Math.max(10, config.LEXICAL_DEPTH));
    const docs: string[] = [];
    for (const r of ranked) if (!docs.includes(r.chunk.docId)) docs.push(r.chunk.docId);
    const rank = docs.indexOf(q.gold) + 1;
    const o: Obs = { regime, part: q.part, denseOnly, question: q.question, confidence: ranked[0]?.coverage ?? 0, answerable, retrieved: answerable && rank >= 1 && rank <= 5 };
    if (pool.dense) {
      const hits = await pool.dense.search(q.question, 10);
      const dd: string[] = [];
      for (const h of hits) {
        const k = pool.chunkDoc.get(h.id)!;
        if (!dd.includes(k)) dd.push(k);
      }
      const dr = dd.indexOf(q.gold) + 1;
      o.denseSimilarity = hits[0]?.score ?? 0;
      o.denseRetrieved = answerable && dr >= 1 && dr <= 5;
    }
    observations.push(o);
  }
}

let data: EvalData;
try {
  data = loadEvalData({ dir: opts.data, sample: opts.sample, need: { xquad: true, mlqa: true, distractors: opts.distractors } });
} catch (err) {
  fail((err as Error).message);
}
if (data.note && !opts.json) process.stderr.write(`calibrate: ${data.note}\n`);
if (!fs.existsSync(opts.seed)) fail(`the seed report ${opts.seed} is not there (--seed FILE).`);

const x = data.xquad!;
const groupOf = (key: string) => /\((\d+)\/\d+\)$/.exec(key)?.[1] ?? key;
const xdocs: Doc[] = [...x.de].map(([key, text]) => ({ key, text, group: groupOf(key) }));
const xq: Question[] = [...x.deQuestions, ...x.enQuestions].filter((q) => notInTests(q.question)).map((q) => ({ question: q.question, gold: q.gold, group: groupOf(q.gold), part: q.part }));
const seedPart = splitUnits([...SEED_QUESTIONS, ...OFF_TOPIC, ...DENSE_PARAPHRASES]);
const seedQ = (list: string[], gold: string): Question[] => list.filter(notInTests).map((q) => ({ question: q, gold, group: 'seed', part: seedPart.get(q)! }));
const t0 = Date.now();
const progress = (s: string) => {
  if (!opts.json) process.stderr.write(`[calibrate] ${s} (${Math.round((Date.now() - t0) / 1000)} s)\n`);
};

for (const part of ['tuning', 'reporting'] as Part[]) {
  const pq = xq.filter((q) => q.part === part);
  const questioned = [...new Set(pq.map((q) => q.group))].sort((a, b) => Number(a) - Number(b));
  // seed
  {
    const seed = await buildPool([{ key: 'seed', text: fs.readFileSync(opts.seed, 'utf8'), group: 'seed' }], true);
    await ask('seed', seed, seedQ(SEED_QUESTIONS, 'seed').filter((q) => q.part === part), true);
    if (embedder) await ask('seed', seed, seedQ(DENSE_PARAPHRASES, 'seed').filter((q) => q.part === part), true, true);
    await ask('seed', seed, [...seedQ(OFF_TOPIC, '').filter((q) => q.part === part), ...pq.filter((_, i) => i % 5 === 0)], false);
  }
  // one article
  for (let i = 0; i < questioned.length; i++) {
    const a = questioned[i];
    const next = questioned[(i + 1) % questioned.length];
    if (next === a) continue;
    const pool = await buildPool(xdocs.filter((d) => d.group === a), true);
    await ask('one', pool, pq.filter((q) => q.group === a), true);
    await ask('one', pool, pq.filter((q) => q.group === next), false);
  }
  progress(`${part}: seed and one-article pools done`);
  // xquad, 4 folds over the part's questioned articles
  const folds = Math.min(4, questioned.length);
  const foldOf = (a: string, k: number) => questioned.indexOf(a) % k;
  for (let f = 0; f < folds; f++) {
    const held = (a: string) => questioned.includes(a) && foldOf(a, folds) === f;
    const pool = await buildPool(xdocs.filter((d) => !held(d.group)), true);
    await ask('xquad', pool, pq.filter((q) => held(q.group)), false);
    await ask('xquad', pool, pq.filter((q) => foldOf(q.group, folds) === (f + 1) % folds), true);
  }
  progress(`${part}: xquad pools done`);
  if (data.mlqa) {
    const docs: Doc[] = [...data.mlqa.paragraphs].map(([key, text]) => ({ key, text, group: key }));
    const qs: Question[] = data.mlqa.questions.filter((q) => q.part === part && notInTests(q.question)).map((q) => ({ question: q.question, gold: q.gold, group: q.gold, part }));
    const ctx = [...new Set(qs.map((q) => q.group))];
    for (let f = 0; f < 2; f++) {
      const held = (g: string) => ctx.indexOf(g) % 2 === f;
      const pool = await buildPool(docs.filter((d) => !(ctx.includes(d.group) && held(d.group))), true);
      await ask('mlqa', pool, qs.filter((q) => held(q.group)), false);
      await ask('mlqa', pool, qs.filter((q) => !held(q.group)), true);
    }
    progress(`${part}: mlqa pools done`);
  }
  if (opts.distractors && data.distractors) {
    const distract: Doc[] = data.distractors.filter((d) => d.part === part).map((d, i) => ({ key: `10kgnad ${part} ${i}`, text: d.text, group: '10kgnad' }));
    for (let f = 0; f < Math.min(2, questioned.length); f++) {
      const held = (a: string) => questioned.includes(a) && foldOf(a, 2) === f;
      const pool = await buildPool([...xdocs.filter((d) => !held(d.group)), ...distract], false);
      await ask('xquad+10kgnad', pool, pq.filter((q) => held(q.group)), false);
      await ask('xquad+10kgnad', pool, pq.filter((q) => !held(q.group)), true);
      progress(`${part}: xquad+10kgnad fold ${f + 1}/2 done`);
    }
  }
}
if (opts.dump) fs.writeFileSync(opts.dump, JSON.stringify(observations));

const pi = opts.unanswerableShare;
const round = (v: number) => Math.round(v * 1000) / 1000;
const atPrior = (s: AbstentionStats) => {
  const num = pi * s.recall;
  const den = num + (1 - pi) * s.falseAbstention;
  return den > 0 ? num / den : 1;
};
function table(obs: Observation[], stats: Record<string, AbstentionStats>) {
  return Object.fromEntries(
    Object.entries(stats).map(([r, s]) => {
      const of = r === 'all' ? obs : obs.filter((o) => o.regime === r);
      return [r, {
        answerable: of.filter((o) => o.answerable).length,
        unanswerable: of.filter((o) => !o.answerable).length,
        precision_sampled: round(s.precision),
        precision_at_prior: round(atPrior(s)),
        recall: round(s.recall),
        false_abstention: round(s.falseAbstention),
        lost_top5: round(s.lost),
        cost: round(s.cost),
      }];
    }),
  );
}
function calibrate(obs: Obs[]) {
  const tuning = obs.filter((o) => o.part === 'tuning');
  const reporting = obs.filter((o) => o.part === 'reporting');
  const { threshold, stats } = chooseThreshold(tuning, { unanswerableShare: pi });
  return { threshold, tuning: table(tuning, stats), reporting: table(reporting, abstentionStats(reporting, threshold, { unanswerableShare: pi })) };
}
let lexical;
try {
  lexical = calibrate(observations.filter((o) => !o.denseOnly));
} catch (err) {
  fail(`cannot calibrate: ${(err as Error).message}`);
}
// Dense: among the questions the configured ABSTAIN_THRESHOLD abstains on, the top dense similarity decides.
let dense: ReturnType<typeof calibrate> | null = null;
if (embedder) {
  const rescued = observations
    .filter((o) => o.denseSimilarity !== undefined && o.confidence < config.ABSTAIN_THRESHOLD)
    .map((o) => ({ ...o, confidence: o.denseSimilarity!, retrieved: o.denseRetrieved ?? false }));
  try {
    dense = calibrate(rescued);
  } catch (err) {
    process.stderr.write(`calibrate: no dense threshold: ${(err as Error).message}\n`);
  }
}
const result = {
  data: data.source,
  unanswerable_share: pi,
  dropped_test_questions: dropped,
  ABSTAIN_THRESHOLD: lexical,
  ...(dense ? { DENSE_THRESHOLD: { model: embedder!.modelId, ...dense } } : {}),
};
if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const print = (name: string, c: NonNullable<typeof dense>) => {
    process.stdout.write(`${name}=${c.threshold}  (chosen on the tuning part: lowest regime-averaged cost with ${pi * 100}% unanswerable questions)\n`);
    for (const part of ['tuning', 'reporting'] as const) {
      process.stdout.write(`${part}:\nregime            answerable unanswerable  prec@prior  prec(sampled)  recall  false-abst  lost(top5)\n`);
      for (const [r, s] of Object.entries(c[part]))
        process.stdout.write(
          `${r.padEnd(18)}${String(s.answerable).padStart(10)}${String(s.unanswerable).padStart(13)}${s.precision_at_prior.toFixed(3).padStart(12)}${s.precision_sampled.toFixed(3).padStart(15)}${s.recall.toFixed(3).padStart(8)}${s.false_abstention.toFixed(3).padStart(12)}${s.lost_top5.toFixed(3).padStart(12)}\n`,
        );
    }
  };
  process.stdout.write(`data: ${data.source}; ${dropped} calibration questions dropped because tests use them\n`);
  print('ABSTAIN_THRESHOLD', lexical);
  if (dense) print(`DENSE_THRESHOLD (${embedder!.modelId})`, dense);
}
