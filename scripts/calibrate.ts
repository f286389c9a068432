/**
 * Calibrate the abstention threshold (config ABSTAIN_THRESHOLD) on data.
 *
 *   npx tsx scripts/calibrate.ts [--json] [--no-distractors] [--unanswerable-share 0.2]
 *
 * The signal is the top passage's `coverage` (src/search/confidence.ts). Questions are asked of
 * pools of several sizes ("regimes"), with and without their answer in the pool:
 * - `seed`: the bundled report alone; answerable = questions about it written for this script
 *   (English and German), unanswerable = off-topic questions plus every 5th XQuAD question.
 * - `one`: each XQuAD article (5 paragraphs) alone; its own questions vs the next article's.
 * - `xquad`: the 240 XQuAD paragraphs with a quarter of the 24 questioned articles held out
 *   (4 folds); the held-out articles' questions are unanswerable, the next fold's answerable.
 * - `mlqa`: MLQA contexts with half of them held out (2 folds).
 * - `xquad+10kgnad` (unless --no-distractors): the XQuAD hold-out (2 folds) plus the 1,028
 *   10kGNAD articles, the bot's largest realistic corpus.
 * XQuAD questions are asked in English and German. Pools are built with the same text pipeline
 * as Dossier.ingest (parseText → segmentDocument → indexTerms with the decompounder) and searched
 * with the same query builder and PassageSearcher as Dossier.ask.
 *
 * The threshold minimises the regime-averaged cost of src/search/calibration.ts. Prints the
 * threshold and, per regime, the precision and recall of abstaining.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { buildQuery } from '../src/search/query.js';
import { PassageSearcher } from '../src/search/passages.js';
import { chooseThreshold, type Observation } from '../src/search/calibration.js';
import { Decompounder } from '../src/text/decompound.js';
import { segmentDocument } from '../src/text/chunk.js';
import { indexTerms } from '../src/text/terms.js';
import { stemLang } from '../src/text/stem.js';
import { canonicalText } from '../src/text/normalize.js';
import { detectLanguage } from '../src/text/language.js';
import { parseText } from '../src/corpus/parse.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared', 'data');
const program = new Command()
  .option('--json', 'print JSON only')
  .option('--no-distractors', 'skip the 10kGNAD regime (faster)')
  .option('--unanswerable-share <x>', 'assumed share of unanswerable questions', (v) => Number(v), 0.2)
  .option('--seed <file>', 'the bundled report', path.join(ROOT, 'corpus', '000_f6d27b86c4846197.txt'))
  .option('--dump <file>', 'write every observation as JSON')
  .parse();
const opts = program.opts<{ json?: boolean; distractors: boolean; unanswerableShare: number; seed: string; dump?: string }>();

setLogLevel('warn');
const config = loadConfig({ LOG_LEVEL: 'warn' });
const dict = config.TRANSLATE ? loadDictionary(config.DICT_PATH, config.CACHE_DIR) : null;
const decompounder = dict ? new Decompounder(dict.deFreq) : null;

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

interface Doc {
  key: string;
  text: string;
  group: number;
}
interface Question {
  question: string;
  gold: string;
  group: number;
}

/** A pool indexed like Dossier.ingest indexes documents. */
function buildPool(docs: Doc[]): PassageSearcher {
  const searcher = new PassageSearcher(dict);
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
          chunks: p.chunks.map((c) => ({ id: cid++, docId: d.key, paragraphId: id, start: c.start, end: c.end, terms: indexTerms(text.slice(c.start, c.end), sl, decompounder) })),
        };
      }),
    });
  }
  return searcher;
}

const observations: (Observation & { question: string })[] = [];
function ask(regime: string, searcher: PassageSearcher, questions: Question[], answerable: boolean): void {
  for (const q of questions) {
    const ranked = searcher.search(buildQuery(q.question, dict).groups, null, Math.max(10, config.LEXICAL_DEPTH));
    const docs: string[] = [];
    for (const r of ranked) if (!docs.includes(r.chunk.docId)) docs.push(r.chunk.docId);
    const rank = docs.indexOf(q.gold) + 1;
    observations.push({ regime, question: q.question, confidence: ranked[0]?.coverage ?? 0, answerable, retrieved: answerable && rank >= 1 && rank <= 5 });
  }
}

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string }[] }[] }[];
}
const read = <T>(f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as T;
const xde = read<Squad>(path.join(SHARED, 'xquad', 'xquad-dev.de.json'));
const xen = read<Squad>(path.join(SHARED, 'xquad', 'xquad-dev.en.json'));
const xdocs: Doc[] = [];
const goldOf = new Map<string, { key: string; group: number }>();
const xq: Question[] = [];
xde.data.forEach((art, ai) =>
  art.paragraphs.forEach((p, pi) => {
    const key = `xquad ${ai}/${pi}`;
    xdocs.push({ key, text: p.context, group: ai });
    for (const q of p.qas) {
      goldOf.set(q.id, { key, group: ai });
      xq.push({ question: q.question, gold: key, group: ai });
    }
  }),
);
for (const art of xen.data) for (const p of art.paragraphs) for (const q of p.qas) {
  const g = goldOf.get(q.id);
  if (g) xq.push({ question: q.question, gold: g.key, group: g.group });
}
const questioned = [...new Set(xq.map((q) => q.group))].sort((a, b) => a - b);
const t0 = Date.now();
const progress = (s: string) => {
  if (!opts.json) process.stderr.write(`[calibrate] ${s} (${Math.round((Date.now() - t0) / 1000)} s)\n`);
};

// seed
{
  const seed = buildPool([{ key: 'seed', text: fs.readFileSync(opts.seed, 'utf8'), group: 0 }]);
  ask('seed', seed, SEED_QUESTIONS.map((q) => ({ question: q, gold: 'seed', group: 0 })), true);
  ask('seed', seed, [...OFF_TOPIC.map((q) => ({ question: q, gold: '', group: -1 })), ...xq.filter((_, i) => i % 5 === 0)], false);
}
// one article
for (let i = 0; i < questioned.length; i++) {
  const a = questioned[i];
  const next = questioned[(i + 1) % questioned.length];
  const pool = buildPool(xdocs.filter((d) => d.group === a));
  ask('one', pool, xq.filter((q) => q.group === a), true);
  ask('one', pool, xq.filter((q) => q.group === next), false);
}
progress('seed and one-article pools done');
// xquad, 4 folds
const foldOf = (a: number, k: number) => questioned.indexOf(a) % k;
for (let f = 0; f < 4; f++) {
  const held = (a: number) => questioned.includes(a) && foldOf(a, 4) === f;
  const pool = buildPool(xdocs.filter((d) => !held(d.group)));
  ask('xquad', pool, xq.filter((q) => held(q.group)), false);
  ask('xquad', pool, xq.filter((q) => foldOf(q.group, 4) === (f + 1) % 4), true);
}
progress('xquad pools done');
// mlqa, 2 folds
{
  const recs = read<{ context: string; question: string }[]>(path.join(SHARED, 'mlqa', 'mlqa-dev.de-de.json'));
  const key = new Map<string, number>();
  const docs: Doc[] = [];
  const qs: Question[] = [];
  for (const r of recs) {
    if (!key.has(r.context)) {
      key.set(r.context, key.size);
      docs.push({ key: `mlqa ${key.size - 1}`, text: r.context, group: key.size - 1 });
    }
    const g = key.get(r.context)!;
    qs.push({ question: r.question, gold: `mlqa ${g}`, group: g });
  }
  for (let f = 0; f < 2; f++) {
    const pool = buildPool(docs.filter((d) => d.group % 2 !== f));
    ask('mlqa', pool, qs.filter((q) => q.group % 2 === f), false);
    ask('mlqa', pool, qs.filter((q) => q.group % 2 !== f), true);
  }
}
progress('mlqa pools done');
if (opts.distractors) {
  const rows = parseCsv(fs.readFileSync(path.join(SHARED, '10kgnad', 'test.csv'), 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
  const distract: Doc[] = rows.map((r, i) => ({ key: `10kgnad ${i}`, text: r[1], group: -1 })).filter((d) => typeof d.text === 'string' && d.text.trim().length > 0);
  for (let f = 0; f < 2; f++) {
    const held = (a: number) => questioned.includes(a) && foldOf(a, 2) === f;
    const pool = buildPool([...xdocs.filter((d) => !held(d.group)), ...distract]);
    ask('xquad+10kgnad', pool, xq.filter((q) => held(q.group)), false);
    ask('xquad+10kgnad', pool, xq.filter((q) => questioned.includes(q.group) && !held(q.group)), true);
    progress(`xquad+10kgnad fold ${f + 1}/2 done`);
  }
}
if (opts.dump) fs.writeFileSync(opts.dump, JSON.stringify(observations));

const { threshold, stats } = chooseThreshold(observations, { unanswerableShare: opts.unanswerableShare });
const round = (x: number) => Math.round(x * 1000) / 1000;
const table = Object.fromEntries(
  Object.entries(stats).map(([r, s]) => {
    const obs = r === 'all' ? observations : observations.filter((o) => o.regime === r);
    return [r, {
      answerable: obs.filter((o) => o.answerable).length,
      unanswerable: obs.filter((o) => !o.answerable).length,
      precision: round(s.precision),
      recall: round(s.recall),
      false_abstention: round(s.falseAbstention),
      lost_top5: round(s.lost),
      cost: round(s.cost),
    }];
  }),
);
const result = { threshold, unanswerable_share: opts.unanswerableShare, regimes: table };
if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`ABSTAIN_THRESHOLD=${threshold}  (minimises the regime-averaged cost with ${opts.unanswerableShare * 100}% unanswerable questions)\n`);
  process.stdout.write('regime            answerable unanswerable  precision  recall  false-abst  lost(top5)\n');
  for (const [r, s] of Object.entries(table)) {
    process.stdout.write(
      `${r.padEnd(18)}${String(s.answerable).padStart(10)}${String(s.unanswerable).padStart(13)}${s.precision.toFixed(3).padStart(11)}${s.recall.toFixed(3).padStart(8)}${s.false_abstention.toFixed(3).padStart(12)}${s.lost_top5.toFixed(3).padStart(12)}\n`,
    );
  }
}
