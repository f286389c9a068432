import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { InputError } from '../src/corpus/types.js';
import { SEED, testConfig } from './helpers.js';
import { modelTree } from './kit/dense-kit.js';
import { startPostgres, type TestPostgres } from './kit/postgres.js';

const open: Dossier[] = [];
async function dossier(...args: Parameters<typeof testConfig>): Promise<Dossier> {
  const d = await Dossier.open(testConfig(...args));
  open.push(d);
  return d;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

describe('the seed question', () => {
  it('answers "How many ZT-180 drones per month?" with the German sentence, verbatim and cited [1]', async () => {
    const d = await dossier();
    const a = await d.ask('How many ZT-180 drones per month?');
    expect(a.abstained).toBe(false);
    const c = a.citations[0];
    expect(c.n).toBe(1);
    expect(c.quote).toContain('rund 100 Drohnen im Monat');
    expect(c.quote.startsWith('Danach soll Xi')).toBe(true);
    expect(d.documentText(c.document.id)!.slice(c.start, c.end)).toBe(c.quote);
    expect(fs.readFileSync(SEED, 'utf8')).toContain(c.quote); // verbatim from the report
    expect(c.document.date).toBe('2023-02');
    expect(c.document.title.length).toBeGreaterThan(10);
    expect(a.answer).toContain('100');
    expect(a.answer).toContain('[1]');
  });

  it('answers the same question asked in German', async () => {
    const d = await dossier();
    const a = await d.ask('Wie viele Drohnen sollen pro Monat produziert werden?');
    expect(a.citations[0].quote).toContain('rund 100 Drohnen im Monat');
  });

  it('every citation quote is the document text between start and end', async () => {
    const d = await dossier();
    const seed = fs.readFileSync(SEED, 'utf8');
    for (const q of ['Who warned about Chinese arms exports?', 'How heavy is the warhead of the ZT-180?', 'Iran drone factory in Russia']) {
      const a = await d.ask(q, { limit: 5 });
      expect(a.citations.length).toBeGreaterThan(0);
      for (const c of a.citations) {
        expect(d.documentText(c.document.id)!.slice(c.start, c.end)).toBe(c.quote);
        expect(seed).toContain(c.quote);
      }
    }
  });
});

describe('abstention', () => {
  it('says the documents do not answer an off-topic question, citing nothing', async () => {
    const d = await dossier();
    for (const q of ['What is the capital of France?', 'Wie backe ich einen Apfelkuchen?', 'Who won the 1998 football world cup?']) {
      const a = await d.ask(q);
      expect(a.abstained, q).toBe(true);
      expect(a.citations).toEqual([]);
    }
  });
});

describe('documents', () => {
  it('derives metadata from header lines and keeps ids stable: re-ingest does not duplicate', async () => {
    const d = await dossier();
    const before = d.list();
    expect(before).toHaveLength(1);
    expect(before[0].date).toBe('2023-02');
    const again = await d.ingest({ bytes: fs.readFileSync(SEED), filename: 'copy.txt' });
    expect(again.status).toBe('unchanged');
    expect(again.document.id).toBe(before[0].id);
    expect(d.list()).toHaveLength(1);
    await d.close();
    // Reopening re-reads the bundled corpus: still one document, same id.
    const d2 = await Dossier.open(d.config);
    open.push(d2);
    expect(d2.list().map((x) => x.id)).toEqual([before[0].id]);
  });

  it('at a restart, a bundled file still stored is kept as it is and a changed one replaces its old version', async () => {
    const config = testConfig({}, { corpus: 'empty' });
    const file = path.join(config.CORPUS_DIR, 'plan.txt');
    fs.writeFileSync(file, 'Title: Plan\n\nDie Fabrik in Jelabuga soll jeden Monat 300 Drohnen herstellen.\n');
    fs.writeFileSync(path.join(config.CORPUS_DIR, 'other.txt'), 'Title: Other\n\nDer Kuchen aus Leipzig wurde im Sommer gebacken.\n');
    const d1 = await Dossier.open(config);
    const first = d1.list();
    expect(first.map((x) => x.title).sort()).toEqual(['Other', 'Plan']);
    await d1.close();
    const d2 = await Dossier.open(config);
    expect(d2.list()).toEqual(first);
    await d2.close();
    fs.writeFileSync(file, 'Title: Plan\n\nDie Fabrik in Jelabuga soll jeden Monat 500 Drohnen herstellen.\n');
    const d3 = await Dossier.open(config);
    open.push(d3);
    const now = d3.list();
    expect(now).toHaveLength(2);
    expect(now.find((x) => x.title === 'Other')).toEqual(first.find((x) => x.title === 'Other'));
    const plan = now.find((x) => x.title === 'Plan')!;
    expect(plan.id).not.toBe(first.find((x) => x.title === 'Plan')!.id);
    expect(d3.documentText(plan.id)).toContain('500 Drohnen');
    expect((await d3.ask('Wie viele Drohnen soll die Fabrik jeden Monat herstellen?')).citations[0]?.document.id).toBe(plan.id);
  });

  it('a removed bundled document stays removed after a restart', async () => {
    const d = await dossier();
    const [seed] = d.list();
    expect(await d.remove(seed.id)).toBe(true);
    await d.close();
    const d2 = await Dossier.open(d.config);
    open.push(d2);
    expect(d2.list()).toEqual([]);
  });

  it('replaces a new version of the same source, and removes documents', async () => {
    const d = await dossier({}, { corpus: 'empty' });
    const v1 = await d.ingest({ text: 'title Bericht\n\nDie Fabrik baut 20 Panzer im Jahr.', source: 'https://example.org/a' });
    expect(v1.status).toBe('added');
    const v2 = await d.ingest({ text: 'title Bericht\n\nDie Fabrik baut 40 Panzer im Jahr.', source: 'https://example.org/a' });
    expect(v2.status).toBe('replaced');
    expect(v2.replaced).toBe(v1.document.id);
    expect(d.list().map((x) => x.id)).toEqual([v2.document.id]);
    const a = await d.ask('Wie viele Panzer baut die Fabrik?');
    expect(a.citations[0].quote).toContain('40 Panzer');
    expect(await d.remove(v2.document.id)).toBe(true);
    expect(d.list()).toEqual([]);
    expect((await d.ask('Wie viele Panzer baut die Fabrik?')).abstained).toBe(true);
  });

  it('keeps guild documents to their guild', async () => {
    const d = await dossier();
    await d.ingest({ text: 'Der Leuchtturm von Helgoland ist 82 Meter hoch.', scope: '111111111111111111' });
    const inGuild = await d.ask('Wie hoch ist der Leuchtturm von Helgoland?', { scope: '111111111111111111' });
    expect(inGuild.citations[0]?.quote).toContain('82 Meter');
    const elsewhere = await d.ask('Wie hoch ist der Leuchtturm von Helgoland?', { scope: '222222222222222222' });
    expect(elsewhere.citations.some((c) => c.quote.includes('82 Meter'))).toBe(false);
    expect(d.list('222222222222222222')).toHaveLength(1);
    expect(await d.remove(d.list()[0].id, '111111111111111111')).toBe(false); // a guild cannot remove shared docs
  });

  it('rejects empty documents and questions with a clear error', async () => {
    const d = await dossier({}, { corpus: 'empty' });
    await expect(d.ingest({ text: '   \n\t ' })).rejects.toThrow(InputError);
    await expect(d.ask('   ')).rejects.toThrow(/empty/);
    await expect(d.ask('x'.repeat(5000))).rejects.toThrow(/too long/);
    expect(d.list()).toEqual([]);
  });
});

describe('summaries through the core', () => {
  it('a seed summary opens with the lead (the report has a real title), then the Xi\'an Bingo deal, ~100 drones a month and the Iran–Russia factory, cited verbatim', async () => {
    const d = await dossier();
    const seed = d.list().find((x) => x.source?.endsWith('000_f6d27b86c4846197.txt'))!;
    expect(seed.title).toBe('Bericht: Chinesischer Hersteller soll Kamikazedrohnen für Russland bauen');
    // The title no longer repeats the lead sentence, so the lead is a candidate like any other
    // (and the most central one): 3 sentences are the lead, the deal and the Iran factory; the
    // fourth adds the monthly capacity.
    const three = await d.summarize({ sentences: 3 });
    expect(three.text).toMatch(/^Während NATO-Generalsekretär Stoltenberg/);
    expect(three.text).toContain("Xi'an Bingo");
    expect(three.text).toMatch(/Iran/);
    const s = await d.summarize({ sentences: 4 });
    expect(s.citations).toHaveLength(4);
    expect(s.text).toMatch(/^Während NATO-Generalsekretär Stoltenberg/);
    expect(s.text).toContain("Xi'an Bingo");
    expect(s.text).toContain('100 Drohnen im Monat');
    expect(s.text).toMatch(/Iran/);
    for (const c of s.citations) expect(d.documentText(c.document.id)!.slice(c.start, c.end)).toBe(c.quote);
    // In document order.
    expect(s.citations.map((c) => c.start)).toEqual([...s.citations.map((c) => c.start)].sort((a, b) => a - b));
    // Cached per version: a second call returns the same object; a new document changes the key.
    expect(await d.summarize({ sentences: 4 })).toBe(s);
    await d.ingest({ text: 'Die Brücke über den Fluss ist 300 Meter lang und wurde 1990 gebaut.' });
    expect(await d.summarize({ sentences: 4 })).not.toBe(s);
  });

  it('refuses to summarise a document that is not there', async () => {
    const d = await dossier();
    await expect(d.summarize({ documentId: 'ffffffffffffffff' })).rejects.toThrow(/No document/);
  });
});

describe('the optional LLM through the core', () => {
  it('shows a checked LLM answer with the verbatim citations, and falls back when it invents a number', async () => {
    const { FakeOpenAI } = await import('./kit/fake-openai.js');
    const fake = await FakeOpenAI.start();
    try {
      const d = await dossier({ LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'fake', LLM_MAX_RETRIES: 0 });
      fake.enqueue({ reply: "Xi'an Bingo plans a capacity of about 100 drones per month [1]." });
      const good = await d.ask('How many ZT-180 drones per month?');
      expect(good.mode).toBe('llm');
      expect(good.answer).toContain('[1]');
      expect(good.citations[0].quote).toContain('rund 100 Drohnen im Monat');
      const prompt = JSON.stringify(fake.requests[0].body);
      expect(prompt).toContain('rund 100 Drohnen im Monat');

      fake.enqueue({ reply: 'About 250 drones per month [1].' });
      const bad = await d.ask('How many ZT-180 drones per month?');
      expect(bad.mode).toBe('extractive');
      expect(bad.answer).toContain('100');
    } finally {
      await fake.close();
    }
  });
});

describe('the replica follows the store (issue 13)', () => {
  it('a second core on the same DATA_DIR sees adds, replacements and removals; a shard holds only its guilds', async () => {
    const config = testConfig({ TRANSLATE: false }, { corpus: 'empty' });
    const a = await Dossier.open(config);
    open.push(a);
    const b = await Dossier.open(config);
    open.push(b);
    const shard = await Dossier.open(config, { serves: (g) => g === '111111111111111111' });
    open.push(shard);
    const q = 'Wie viele Brücken hat die Stadt Quarkau?';
    const v1 = await a.ingest({ text: 'Quarkau\n\nDie Stadt Quarkau hat 17 Brücken über den Fluss.', source: 'quarkau.txt' });
    const mine = await a.ingest({ text: 'Gilde\n\nDie Gilde Nord trifft sich jeden Dienstag in Quarkau.', scope: '111111111111111111' });
    const other = await a.ingest({ text: 'Gilde\n\nDie Gilde Süd trifft sich jeden Freitag in Quarkau.', scope: '222222222222222222' });
    await b.catchUp();
    await shard.catchUp();
    expect((await b.ask(q)).citations[0]?.document.id).toBe(v1.document.id);
    expect(b.documentText(v1.document.id)).toBe(a.documentText(v1.document.id));
    expect(b.listAll().map((d) => d.id).sort()).toEqual([v1, mine, other].map((r) => r.document.id).sort());
    expect(b.list('222222222222222222').find((d) => d.id === other.document.id)?.chunks).toBe(other.document.chunks);
    // The shard holds the shared document and its own guild's, never the other guild's.
    expect(shard.listAll().map((d) => d.id).sort()).toEqual([v1, mine].map((r) => r.document.id).sort());
    expect((await shard.ask('Wann trifft sich die Gilde?', { scope: '222222222222222222' })).citations.map((c) => c.document.id)).not.toContain(other.document.id);

    const v2 = await a.ingest({ text: 'Quarkau\n\nDie Stadt Quarkau hat 23 Brücken über den Fluss.', source: 'quarkau.txt' });
    expect(v2.replaced).toBe(v1.document.id);
    await b.catchUp();
    const after = await b.ask(q);
    expect(after.citations.map((c) => c.document.id)).toEqual([v2.document.id]);
    expect(after.citations[0].quote).toContain('23');
    expect(b.documentText(v1.document.id)).toBeUndefined();

    // A remove made by b reaches a; a's own later writes stay consistent with it.
    expect(await b.remove(v2.document.id)).toBe(true);
    await a.catchUp();
    expect((await a.ask(q)).citations).toEqual([]);
    expect(a.list().map((d) => d.id)).toEqual([]);
  });
});

describe('the replica follows the store with dense retrieval on', () => {
  it('a second core embeds the chunks of a document another core adds, and drops them when it is removed', async () => {
    const { root, id } = await modelTree('meaning');
    const config = testConfig({ EMBEDDINGS: 'auto', MODEL_DIR: root, MODEL_ID: id, QUERY_PREFIX: '', PASSAGE_PREFIX: '', LOG_LEVEL: 'silent' }, { corpus: 'empty' });
    const a = await Dossier.open(config);
    open.push(a);
    const b = await Dossier.open(config);
    open.push(b);
    expect(b.denseRetrieval).toBe(true);
    const before = b.dense!.index.size;
    const r = await a.ingest({ text: 'Werk\n\nDas Werk liefert jeden Monat 300 Drohnen. Die Drohnen fliegen weit.', source: 'werk.txt' });
    await b.catchUp();
    expect(b.dense!.index.size).toBe(before + r.document.chunks);
    await a.remove(r.document.id);
    await b.catchUp();
    expect(b.dense!.index.size).toBe(before);
  });
});

describe('two machines on one PostgreSQL (own DATA_DIRs; skipped where PostgreSQL is not installed)', () => {
  let pgc: TestPostgres | null = null;
  beforeAll(async () => {
    pgc = await startPostgres();
  });
  afterAll(() => pgc?.stop());

  it("the second machine takes the first machine's embeddings from the store instead of embedding, and counts its votes", async (ctx) => {
    if (!pgc) return ctx.skip();
    const { root, id } = await modelTree('meaning');
    const url = await pgc.newDatabase();
    const config = () => testConfig({ EMBEDDINGS: 'auto', MODEL_DIR: root, MODEL_ID: id, QUERY_PREFIX: '', PASSAGE_PREFIX: '', LOG_LEVEL: 'silent', DATABASE_URL: url }, { corpus: 'empty' });
    const configA = config();
    const a = await Dossier.open(configA);
    open.push(a);
    const r = await a.ingest({ text: 'Werk\n\nDas Werk liefert jeden Monat 300 Drohnen. Die Drohnen fliegen weit.\n\nDie Halle steht in Kiel.', source: 'werk.txt' });
    expect(r.document.chunks).toBeGreaterThan(1);
    const b = await Dossier.open(config());
    open.push(b);
    // B's DATA_DIR has no vector index: every chunk lacks a vector, and every vector comes from PostgreSQL.
    expect(b.startup.denseSync).toMatchObject({ index: 'new', added: r.document.chunks, embedded: 0, fromCache: r.document.chunks });
    expect(b.dense!.index.size).toBe(r.document.chunks);
    const vote = { interactionId: 'i1', guildId: 'g1', userId: 'u1', question: 'Wie viele?', answer: '300', citations: [] };
    expect(await a.feedback.record({ ...vote, vote: 'up' })).toBe('added');
    expect(await b.feedback.counts('i1')).toEqual({ up: 1, down: 0 });
    expect(await b.feedback.record({ ...vote, vote: 'down' })).toBe('changed');
    expect(await a.feedback.counts()).toEqual({ up: 0, down: 1 });
    // Nothing of the store lives in DATA_DIR with PostgreSQL: no SQLite file is created there.
    expect(fs.existsSync(`${configA.DATA_DIR}/dossier.sqlite`)).toBe(false);
  });
});
