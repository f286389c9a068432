/**
 * The point of dense retrieval: an English question with no word in common with the German
 * report still finds the passage, through a model where words of one concept share a vector
 * (the generated 'meaning' model). Lexical search (MiniSearch BM25 here) cannot.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../src/embed/transformers.js';
import { DenseRetriever, type DenseChunk } from '../src/search/dense.js';
import { fuseHybrid } from '../src/search/fusion.js';
import { loadConfig } from '../src/config.js';
import { SEED, tempDir } from './helpers.js';
import { embedConfig, modelTree } from './kit/dense-kit.js';

let dense: DenseRetriever;
let lexical: MiniSearch<DenseChunk>;
let paragraphs: DenseChunk[];

const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

beforeAll(async () => {
  const { root, id } = await modelTree('meaning');
  const embedder = await loadEmbedder(embedConfig({ MODEL_DIR: root, MODEL_ID: id, QUERY_PREFIX: '', PASSAGE_PREFIX: '' }));
  const dir = tempDir();
  dense = DenseRetriever.open({ embedder: embedder!, db: new Database(':memory:'), dir });
  paragraphs = fs
    .readFileSync(SEED, 'utf8')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((text, i) => ({ id: i + 1, text }));
  await dense.add(paragraphs);
  lexical = new MiniSearch<DenseChunk>({ fields: ['text'], storeFields: ['id'] });
  lexical.addAll(paragraphs);
});

describe('dense retrieval across languages (meaning model)', () => {
  const question = 'What number of UAVs per month?';
  const target = () => paragraphs.find((p) => /Drohnen im Monat/.test(p.text))!;

  it('the question shares no word with the passage, and lexical search finds nothing', () => {
    const shared = [...words(question)].filter((w) => words(target().text).has(w));
    expect(shared).toEqual([]);
    expect(lexical.search(question)).toEqual([]);
  });

  it('dense search ranks the passage about 100 drones a month first', async () => {
    const hits = await dense.search(question, 3);
    expect(hits[0].id).toBe(target().id);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
  });

  it('hybrid fusion with an empty lexical list still cites it first', async () => {
    const config = loadConfig({}, {});
    const lex = lexical.search(question).map((r) => r.id as number);
    const fused = fuseHybrid(lex, (await dense.search(question)).map((h) => h.id), config);
    expect(fused[0].id).toBe(target().id);
    expect(fused[0].ranks).toEqual([null, 1]);
  });

  it('other concepts lead elsewhere: warhead weight → the ZT-180 paragraph', async () => {
    const hits = await dense.search('What does the warhead weigh in kilograms?', 1);
    expect(paragraphs.find((p) => p.id === hits[0].id)!.text).toMatch(/Sprengkopf von 35 bis 50 Kilogramm/);
  });
});
