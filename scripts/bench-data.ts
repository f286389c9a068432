/**
 * Data for the retrieval benchmark (scripts/bench-retrieval.ts): the public dev sets when
 * /work/shared/data (SHARED_DATA_DIR) is there, otherwise a built-in sample made from the bundled
 * corpus (corpus/), so `npm run bench` runs on a fresh checkout too; and the synthetic large
 * corpus: real sentences with perturbed words, so that the vocabulary keeps growing with the
 * corpus as it does in real text (a corpus of repeated sentences would flatter every index).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { mulberry32 } from './lib/metrics.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Where the public dev data lives (see /work/shared/data/README.md). */
export const SHARED = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data');

/** A document to ingest. */
export interface BenchDoc {
  text: string;
  source: string;
}

/** What the benchmark runs on. */
export interface BenchData {
  /** `shared` (XQuAD, MLQA, 10kGNAD) or `builtin` (corpus/ and generated text). */
  origin: 'shared' | 'builtin';
  /** The small corpus (XQuAD's 240 German paragraphs) and the medium one (10kGNAD test, 1,028 articles). */
  small: BenchDoc[];
  medium: BenchDoc[];
  /** Sentences the synthetic corpus is made of. */
  sentences: string[];
  questions: { de: string[]; en: string[] };
}

/** A deterministic pseudo-random generator in [0, 1) (mulberry32, scripts/lib/metrics.ts). */
export const rng = mulberry32;

const exists = (f: string) => fs.existsSync(f);

/** Rough sentence split (good enough for making benchmark text). */
function sentencesOf(texts: string[]): string[] {
  return texts.flatMap((t) => t.split(/(?<=[.!?])\s+(?=[A-ZÄÖÜ„"])/).map((s) => s.trim())).filter((s) => s.length >= 30 && s.length <= 400);
}

/** Questions about the bundled report, for the built-in sample. */
const BUILTIN_QUESTIONS = {
  de: [
    'Wie viele Drohnen sollen pro Monat geliefert werden?',
    'Welche Firma stellt die Drohnen her?',
    'Wann wurde über den Deal berichtet?',
    'Wer verhandelt mit China über Drohnen?',
    'Welche Reichweite haben die Kamikaze-Drohnen?',
    'Was kostet eine Drohne?',
    'Wo sollen die Drohnen gebaut werden?',
    'Welche Sprengladung tragen die Drohnen?',
  ],
  en: [
    'How many ZT-180 drones per month?',
    'Which company builds the drones?',
    'When was the deal reported?',
    'Who negotiated with China about drones?',
    'What range do the kamikaze drones have?',
    'How much does one drone cost?',
    'Where will the drones be assembled?',
    'What warhead do the drones carry?',
  ],
};

/**
 * Load the benchmark data: the dev sets if present, else the built-in sample.
 * @param maxMedium cap on the medium corpus's articles (quick runs).
 */
export function loadBenchData(maxMedium?: number): BenchData {
  const xde = path.join(SHARED, 'xquad', 'xquad-dev.de.json');
  const xen = path.join(SHARED, 'xquad', 'xquad-dev.en.json');
  const gnad = path.join(SHARED, '10kgnad', 'test.csv');
  const mlqa = path.join(SHARED, 'mlqa', 'mlqa-dev.de-de.json');
  if (exists(xde) && exists(xen) && exists(gnad)) {
    type Squad = { data: { paragraphs: { context: string; qas: { question: string }[] }[] }[] };
    const de = JSON.parse(fs.readFileSync(xde, 'utf8')) as Squad;
    const en = JSON.parse(fs.readFileSync(xen, 'utf8')) as Squad;
    const small = de.data.flatMap((a) => a.paragraphs.map((p) => p.context)).map((text, i) => ({ text, source: `xquad:${i}` }));
    const rows = parseCsv(fs.readFileSync(gnad, 'utf8'), { delimiter: ';', quote: "'", relax_quotes: true, relax_column_count: true }) as string[][];
    const articles = rows.map((r) => r[1]).filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
    const medium = articles.slice(0, maxMedium ?? articles.length).map((text, i) => ({ text, source: `10kgnad:${i}` }));
    const deQ = exists(mlqa)
      ? (JSON.parse(fs.readFileSync(mlqa, 'utf8')) as { question: string }[]).map((r) => r.question)
      : de.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)));
    const enQ = en.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)));
    return { origin: 'shared', small, medium, sentences: sentencesOf(articles), questions: { de: deQ, en: enQ } };
  }
  // Built-in: the bundled report, its sentences perturbed into more documents.
  const corpusDir = path.join(ROOT, 'corpus');
  const seed = fs.readdirSync(corpusDir).filter((f) => /\.(txt|md)$/i.test(f)).map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8'));
  const sentences = sentencesOf(seed);
  const gen = (n: number, docSentences: number, tag: string, seedNo: number) => syntheticDocs(sentences, Infinity, seedNo, docSentences, n).map((d, i) => ({ text: d, source: `${tag}:${i}` }));
  return {
    origin: 'builtin',
    small: gen(240, 5, 'sample-small', 1),
    medium: gen(Math.min(maxMedium ?? 1028, 1028), 15, 'sample-medium', 2),
    sentences,
    questions: BUILTIN_QUESTIONS,
  };
}

/**
 * Perturb a word: one letter replaced or inserted (words of 5+ letters), so a new spelling enters
 * the vocabulary.
 */
function perturb(word: string, rand: () => number): string {
  const letters = 'abcdefghiklmnoprstuvwzäöü';
  const i = 1 + Math.floor(rand() * (word.length - 1));
  const c = letters[Math.floor(rand() * letters.length)];
  return rand() < 0.5 ? word.slice(0, i) + c + word.slice(i + 1) : word.slice(0, i) + c + word.slice(i);
}

/**
 * Synthetic documents of about `chars` characters in total: paragraphs of 3–5 random sentences,
 * `sentencesPerDoc` sentences a document, each word of 5+ letters perturbed with probability 0.15.
 * At most `maxDocs` documents. Deterministic for a seed.
 */
export function syntheticDocs(sentences: string[], chars: number, seed: number, sentencesPerDoc = 12, maxDocs = Infinity): string[] {
  if (sentences.length === 0) throw new Error('no sentences to make synthetic documents from');
  const rand = rng(seed);
  const docs: string[] = [];
  let total = 0;
  while (total < chars && docs.length < maxDocs) {
    const paras: string[] = [];
    let n = 0;
    while (n < sentencesPerDoc) {
      const k = Math.min(sentencesPerDoc - n, 3 + Math.floor(rand() * 3));
      const para: string[] = [];
      for (let j = 0; j < k; j++) {
        const s = sentences[Math.floor(rand() * sentences.length)];
        para.push(s.replace(/\p{L}{5,}/gu, (w) => (rand() < 0.15 ? perturb(w, rand) : w)));
      }
      paras.push(para.join(' '));
      n += k;
    }
    const doc = paras.join('\n\n');
    docs.push(doc);
    total += doc.length;
  }
  return docs;
}
