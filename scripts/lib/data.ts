/**
 * Loading the evaluation data with its tuning/reporting labels (scripts/lib/split.ts), from the
 * public sets in ../shared/data or, when they are absent, from the built-in sample
 * (scripts/lib/sample.ts).
 *
 * Errors: a file given explicitly (flag) that does not exist or does not parse raises an Error
 * whose message names the file and the flag; a missing default folder is not an error (the sample
 * is used and {@link EvalData.note} says how to get the public sets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { splitUnits, type Part } from './split.js';
import { SAMPLE_ARTICLES, SAMPLE_DISTRACTORS } from './sample.js';

/** One evaluation question with its gold paragraph key, gold answer span and split part. */
export interface Question {
  id: string;
  question: string;
  /** Key of the gold paragraph in the pool. */
  gold: string;
  /** Gold answer text (a span of the gold paragraph). */
  answer: string;
  /** UTF-16 offset of the answer in the gold paragraph, when known. */
  answerStart?: number;
  part: Part;
}

export interface EvalData {
  /** Human-readable origin ("shared data in DIR" or "built-in sample"). */
  source: string;
  /** Set when the sample is used: how to get the full public sets. */
  note?: string;
  xquad?: {
    /** Paragraph key → German / English paragraph text (same keys, parallel). */
    de: Map<string, string>;
    en: Map<string, string>;
    enQuestions: Question[];
    deQuestions: Question[];
    /** German questions with the English paragraphs and answers as gold. */
    deQuestionsOverEn: Question[];
  };
  mlqa?: { paragraphs: Map<string, string>; questions: Question[] };
  distractors?: { text: string; part: Part }[];
}

export interface LoadOptions {
  dir?: string;
  xquadDe?: string;
  xquadEn?: string;
  mlqa?: string;
  distractors?: string;
  sample?: boolean;
  need: { xquad: boolean; mlqa: boolean; distractors: boolean };
}

/** Where the public data sets come from, for the message shown when they are absent. */
export const PUBLIC_DATA_HELP = [
  'The full evaluation uses three public data sets, placed in ../shared/data beside the project (or pass --data DIR, or set SHARED_DATA_DIR):',
  '  xquad/xquad-dev.de.json, xquad/xquad-dev.en.json — XQuAD (Artetxe et al. 2020), CC BY-SA 4.0, github.com/google-deepmind/xquad (xquad.de.json, xquad.en.json; SQuAD v1.1 JSON)',
  '  mlqa/mlqa-dev.de-de.json — MLQA dev de-de (Lewis et al. 2020), CC BY-SA 3.0, github.com/facebookresearch/MLQA (records {context, question, answers: {answer_start, text}, id})',
  '  10kgnad/test.csv — 10kGNAD test split (Block 2019), CC BY-NC-SA 4.0, github.com/tblock/10kGNAD (label;text, \' quotes, no header)',
].join('\n');

/** SQuAD v1.1 JSON as XQuAD ships it. */
export interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string; answer_start?: number }[] }[] }[] }[];
}

function readJson<T>(file: string, flag: string): T {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file} (${flag}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new Error(`${file} (${flag}) is not valid JSON: ${(err as Error).message}`);
  }
}

/** The default public-data folder: SHARED_DATA_DIR, else ../shared/data beside the project. */
export function defaultDataDir(): string {
  return process.env.SHARED_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
}

/** Build the XQuAD view from parallel German and English SQuAD files (article = split unit). */
export function xquadFrom(de: Squad, en: Squad): NonNullable<EvalData['xquad']> {
  const part = splitUnits(de.data.map((a) => a.title));
  const deP = new Map<string, string>();
  const enP = new Map<string, string>();
  const gold = new Map<string, { key: string; de: { text: string; start?: number }; p: Part; q: string }>();
  de.data.forEach((art, ai) =>
    art.paragraphs.forEach((p, pi) => {
      const key = `${art.title} ¶${pi + 1} (${ai}/${pi})`;
      deP.set(key, p.context);
      for (const q of p.qas)
        gold.set(q.id, { key, de: { text: q.answers[0]?.text ?? '', start: q.answers[0]?.answer_start }, p: part.get(art.title)!, q: q.question });
    }),
  );
  const enQuestions: Question[] = [];
  const deQuestionsOverEn: Question[] = [];
  en.data.forEach((art, ai) =>
    art.paragraphs.forEach((p, pi) => {
      const g0 = p.qas.map((q) => gold.get(q.id)).find(Boolean);
      const key = g0?.key ?? `${de.data[ai]?.title ?? art.title} ¶${pi + 1} (${ai}/${pi})`;
      enP.set(key, p.context);
      for (const q of p.qas) {
        const g = gold.get(q.id);
        if (!g) continue;
        enQuestions.push({ id: q.id, question: q.question, gold: g.key, answer: g.de.text, answerStart: g.de.start, part: g.p });
        const a = q.answers[0];
        if (a?.text) deQuestionsOverEn.push({ id: q.id, question: g.q, gold: g.key, answer: a.text, answerStart: a.answer_start, part: g.p });
      }
    }),
  );
  const deQuestions = [...gold.entries()].map(([id, g]) => ({ id, question: g.q, gold: g.key, answer: g.de.text, answerStart: g.de.start, part: g.p }));
  return { de: deP, en: enP, enQuestions, deQuestions, deQuestionsOverEn };
}

function sampleXquad(): { de: Squad; en: Squad } {
  const mk = (lang: 'de' | 'en'): Squad => ({
    data: SAMPLE_ARTICLES.map((a, ai) => ({
      title: a.title,
      paragraphs: a.paragraphs.map((p, pi) => ({
        context: p[lang],
        qas: p.qas.map((q, qi) => {
          const text = lang === 'de' ? q.answerDe : q.answerEn;
          const start = p[lang].indexOf(text);
          if (start < 0) throw new Error(`sample answer "${text}" is not in its ${lang} paragraph (${a.title} ¶${pi + 1})`);
          return { id: `sample-${ai}-${pi}-${qi}`, question: lang === 'de' ? q.de : q.en, answers: [{ text, answer_start: start }] };
        }),
      })),
    })),
  });
  return { de: mk('de'), en: mk('en') };
}

/**
 * Load what the chosen runs need.
 * @throws Error naming the file and flag when an explicitly given file is missing or malformed
 */
export function loadEvalData(o: LoadOptions): EvalData {
  const dir = o.dir ?? defaultDataDir();
  const file = (given: string | undefined, ...rel: string[]) => given ?? path.join(dir, ...rel);
  const files = {
    xquadDe: file(o.xquadDe, 'xquad', 'xquad-dev.de.json'),
    xquadEn: file(o.xquadEn, 'xquad', 'xquad-dev.en.json'),
    mlqa: file(o.mlqa, 'mlqa', 'mlqa-dev.de-de.json'),
    distractors: file(o.distractors, '10kgnad', 'test.csv'),
  };
  const explicit = Boolean(o.dir || o.xquadDe || o.xquadEn || o.mlqa || o.distractors);
  const needed: string[] = [];
  if (o.need.xquad) needed.push(files.xquadDe, files.xquadEn);
  if (o.need.mlqa) needed.push(files.mlqa);
  if (o.need.distractors) needed.push(files.distractors);
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (o.sample || (!explicit && missing.length > 0)) {
    const s = sampleXquad();
    const part = splitUnits(SAMPLE_DISTRACTORS.map((_, i) => `sample-distractor-${i}`));
    return {
      source: 'built-in sample (scripts/lib/sample.ts)',
      note: o.sample
        ? 'using the built-in sample (--sample); its figures show the pipeline runs, not quality.'
        : `${missing[0]} not found, so this runs on the built-in sample (the seed report + generated articles; no MLQA run). Its figures show the pipeline runs, not quality.\n${PUBLIC_DATA_HELP}`,
      xquad: o.need.xquad || o.need.distractors ? xquadFrom(s.de, s.en) : undefined,
      distractors: SAMPLE_DISTRACTORS.map((text, i) => ({ text, part: part.get(`sample-distractor-${i}`)! })),
    };
  }
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not found.\n${PUBLIC_DATA_HELP}`);
  const out: EvalData = { source: `public data (${dir})` };
  if (o.need.xquad || o.need.distractors) out.xquad = xquadFrom(readJson<Squad>(files.xquadDe, '--xquad-de'), readJson<Squad>(files.xquadEn, '--xquad-en'));
  if (o.need.mlqa) {
    const recs = readJson<{ context: string; question: string; id?: string; answers: { text: string[]; answer_start?: number[] } }[]>(files.mlqa, '--mlqa');
    if (!Array.isArray(recs)) throw new Error(`${files.mlqa} (--mlqa) is not a JSON array of MLQA records`);
    const part = splitUnits(recs.map((r) => r.context));
    const paragraphs = new Map<string, string>();
    const keyOf = new Map<string, string>();
    const questions: Question[] = [];
    recs.forEach((r, i) => {
      let key = keyOf.get(r.context);
      if (!key) {
        key = `mlqa ${keyOf.size + 1}`;
        keyOf.set(r.context, key);
        paragraphs.set(key, r.context);
      }
      questions.push({ id: r.id ?? `mlqa-${i}`, question: r.question, gold: key, answer: r.answers?.text?.[0] ?? '', answerStart: r.answers?.answer_start?.[0], part: part.get(r.context)! });
    });
    out.mlqa = { paragraphs, questions };
  }
  if (o.need.distractors) out.distractors = readDistractors(files.distractors);
  return out;
}

/**
 * The 10kGNAD articles (`label;text`, `'` quotes, no header) with their split part (unit = row).
 * @throws Error naming the file when it cannot be read or parsed
 */
export function readDistractors(file: string, flag = '--distractors'): { text: string; part: Part }[] {
  let rows: string[][];
  try {
    rows = parseCsv(fs.readFileSync(file, 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new Error(`cannot read ${file} (${flag}) as 10kGNAD csv: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const part = splitUnits(rows.map((_, i) => `row ${i}`));
  const out: { text: string; part: Part }[] = [];
  rows.forEach((r, i) => {
    if (typeof r[1] === 'string' && r[1].trim()) out.push({ text: r[1], part: part.get(`row ${i}`)! });
  });
  return out;
}

/**
 * The XQuAD dev pair for the training scripts: German articles, the split part of each article
 * title (scripts/lib/split.ts) and the English wording of each question id.
 * @throws Error naming the file when one cannot be read.
 */
export function readXquadPair(dataDir: string): { de: Squad; parts: Map<string, Part>; enQuestion: Map<string, string> } {
  const de = readJson<Squad>(path.join(dataDir, 'xquad', 'xquad-dev.de.json'), 'xquad');
  const en = readJson<Squad>(path.join(dataDir, 'xquad', 'xquad-dev.en.json'), 'xquad');
  const enQuestion = new Map<string, string>();
  for (const a of en.data) for (const p of a.paragraphs) for (const q of p.qas) enQuestion.set(q.id, q.question);
  return { de, parts: splitUnits(de.data.map((a) => a.title)), enQuestion };
}
