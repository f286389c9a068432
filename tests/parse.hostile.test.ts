/**
 * Issue 11 (hostile documents) and the input items of issue 14, one test per row, on small
 * generated inputs: linear stages, limits enforced while parsing (refusals name the limit and
 * leave nothing behind), named storage errors, a checked dictionary cache, honest bulk-ingest
 * messages. Sizes are small; the 10 MB versions are timed by scripts/bench-hostile.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseHTML } from 'linkedom';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dossier } from '../src/core.js';
import { InputError } from '../src/corpus/types.js';
import { parseBytes, cleanDate } from '../src/corpus/parse.js';
import { scanHtml } from '../src/corpus/html-scan.js';
import { checkPdfInflation } from '../src/corpus/pdf-guard.js';
import { segmentDocument, PositionIndex, paragraphSpans } from '../src/text/chunk.js';
import { splitSentences, MAX_SENTENCE_CHARS } from '../src/text/sentences.js';
import { openDatabase } from '../src/store/db.js';
import { StorageError, classifyStorageError, namedStorageError } from '../src/store/errors.js';
import { loadDictionary } from '../src/search/dictionary.js';
import { runIngest, oneLine } from '../src/ingest-cli.js';
import { HTML_SHAPES, PDF_SHAPES, TEXT_SHAPES } from '../scripts/hostile-inputs.js';
import { tempDir, testConfig } from './helpers.js';
import { withLogs } from './kit/log-capture.js';

const open: Dossier[] = [];
async function core(overrides: Record<string, unknown> = {}): Promise<Dossier> {
  const d = await Dossier.open(testConfig({ TRANSLATE: false, ...overrides }, { corpus: 'empty' }));
  open.push(d);
  return d;
}
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

/** Capture log lines (as parsed JSON) while `fn` runs. */
const captureLogs = withLogs;

async function refusal(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('linear stages (issue 11 table)', () => {
  it('x\\n\\n × 20k: one paragraph and chunk each, summary positions are the right paragraphs', async () => {
    const d = await core();
    const r = await d.ingest({ bytes: Buffer.from(TEXT_SHAPES.blankLines(60_000)), filename: 'x.txt' });
    expect(r.document.chunks).toBe(20_000);
    const s = await d.summarize({ documentId: r.document.id, sentences: 3 });
    const text = d.documentText(r.document.id)!;
    const paras = paragraphSpans(text);
    for (const c of s.citations) {
      const n = paras.findIndex((p) => c.start >= p.start && c.start < p.end) + 1;
      expect(c.position).toBe(`¶${n}`);
    }
  });

  it('PositionIndex agrees with a linear scan, also between paragraphs and on pages', () => {
    const text = 'eins.\n\nzwei drei.\n\n\n\nvier.\n\nfünf';
    const pages = [{ page: 1, start: 0, end: 18 }, { page: 2, start: 20, end: text.length }];
    const idx = new PositionIndex(text, 0, pages);
    const paras = paragraphSpans(text);
    for (let off = 0; off < text.length; off++) {
      let n = paras.findIndex((p) => off >= p.start && off < p.end) + 1;
      if (n === 0) n = Math.max(1, paras.filter((p) => p.start <= off).length);
      expect(idx.paragraph(off)).toBe(n);
      expect(idx.page(off)).toBe(pages.find((p) => off >= p.start && off < p.end)?.page);
    }
  });

  it('one line, no punctuation, `a. ` repeated: sentences cover the text in bounded pieces', () => {
    for (const gen of [TEXT_SHAPES.oneLine, TEXT_SHAPES.noPunctuation, TEXT_SHAPES.dotA]) {
      const text = gen(300_000);
      const spans = splitSentences(text);
      expect(spans.length).toBeGreaterThanOrEqual(Math.floor(text.trim().length / MAX_SENTENCE_CHARS));
      for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      // Nothing but whitespace between the pieces is left out.
      expect(spans.map((s) => text.slice(s.start, s.end)).join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    }
  });

  it('summary of 300 kB of `a. ` reads only up to the sentence cap and cites verbatim', async () => {
    const d = await core();
    const r = await d.ingest({ text: TEXT_SHAPES.dotA(300_000) });
    const s = await d.summarize({ documentId: r.document.id });
    const text = d.documentText(r.document.id)!;
    expect(s.citations.length).toBeGreaterThan(0);
    for (const c of s.citations) expect(c.quote).toBe(text.slice(c.start, c.end));
  });
});

describe('HTML shape pre-scan (htmlparser2 stack rules)', () => {
  /** The element depth linkedom actually builds. */
  function realDepth(html: string): number {
    const { document } = parseHTML(html);
    let max = 0;
    const stack: Array<[{ children?: ArrayLike<unknown> }, number]> = [[document as never, 0]];
    while (stack.length) {
      const [n, d] = stack.pop()!;
      if (d > max) max = d;
      const kids = (n.children ?? []) as ArrayLike<{ children?: ArrayLike<unknown> }>;
      for (let i = 0; i < kids.length; i++) stack.push([kids[i], d + 1]);
    }
    return max;
  }

  it.each([
    ['implicitly closed <p>', HTML_SHAPES.implicitP(4000)],
    ['<li><thead><caption> (these nest)', '<ul>' + '<li>a<thead>b<caption>c'.repeat(200)],
    ['<div/> does not self-close in HTML', '<div/>'.repeat(300)],
    ['self-closing inside <svg>', '<svg>' + '<path/>'.repeat(300) + '</svg>'],
    ['stray end tags', '<div><span></p></b></div></div><i>x'],
    ['tables', '<table><tr><td>a<td>b<tr><td>c</table>'.repeat(50)],
    ['raw text', '<script>if (a<b) { "<div>" }</script><div>x</div>'],
  ])('%s: predicted depth = linkedom depth', (_name, html) => {
    const wrapped = `<!doctype html><html><head></head><body>${html}</body></html>`;
    expect(scanHtml(wrapped).depth).toBe(realDepth(wrapped));
  });

  it('refuses deep nesting, too many elements or attributes, naming the limit; nothing stored', async () => {
    const deep = await refusal((await core()).ingest({ bytes: Buffer.from('<ul>' + '<li>a<thead>b<caption>c'.repeat(3000)), filename: 'a.html' }));
    expect(deep.reason).toBe('bad-html');
    const d = await core({ MAX_HTML_ELEMENTS: 1000, MAX_HTML_ATTRIBUTES: 5000 });
    const many = await refusal(d.ingest({ bytes: Buffer.from(HTML_SHAPES.implicitP(20_000)), filename: 'b.html' }));
    expect(many.message).toContain('MAX_HTML_ELEMENTS');
    const attrs = await refusal(d.ingest({ bytes: Buffer.from(HTML_SHAPES.manyAttributes(20_000)), filename: 'c.html' }));
    expect(attrs.message).toMatch(/1000 attributes/);
    const spread = await refusal(d.ingest({ bytes: Buffer.from('<p ' + 'a=1 '.repeat(900) + '>x</p>' + ('<p ' + 'b=2 '.repeat(900) + '>y</p>').repeat(6)), filename: 'd.html' }));
    expect(spread.message).toContain('MAX_HTML_ATTRIBUTES');
    expect(d.list()).toHaveLength(0);
  });

  it('reads <meta name="date"> (issue 14 item 9)', async () => {
    const html = '<!doctype html><html><head><title>T</title><meta name="date" content="2023-02-24"></head><body><p>Der Text.</p></body></html>';
    expect((await parseBytes(Buffer.from(html), { filename: 'a.html', maxBytes: 1e6 })).date).toBe('2023-02-24');
  });
});

describe('PDF bombs and limits', () => {
  it('a FlateDecode stream inflating past MAX_PDF_INFLATED_BYTES is refused while inflating', async () => {
    const bomb = PDF_SHAPES.zeroBomb(32 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => checkPdfInflation(bomb, 1024 * 1024)).toThrow(/MAX_PDF_INFLATED_BYTES/);
    expect(checkPdfInflation(PDF_SHAPES.textBomb(50_000), 1024 * 1024)).toBeGreaterThanOrEqual(49_000);
    const d = await core({ MAX_PDF_INFLATED_BYTES: 1024 * 1024 });
    const err = await refusal(d.ingest({ bytes: bomb, filename: 'bomb.pdf' }));
    expect(err.reason).toBe('too-large');
    expect(d.list()).toHaveLength(0);
  });

  it('the same bomb fetched by URL (127.0.0.1) is refused', async () => {
    const bomb = PDF_SHAPES.zeroBomb(32 * 1024 * 1024);
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(bomb));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const d = await core({ MAX_PDF_INFLATED_BYTES: 1024 * 1024, ALLOW_PRIVATE_URLS: true });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bomb.pdf`;
      const err = await refusal(d.ingest({ url }));
      expect(err.message).toContain('MAX_PDF_INFLATED_BYTES');
      expect(d.list()).toHaveLength(0);
    } finally {
      server.close();
    }
  });

  it('pages over MAX_PDF_PAGES are refused naming the limit', async () => {
    const pdf = PDF_SHAPES.textBomb(100);
    const d = await core({ MAX_PDF_PAGES: 1 });
    const twoPages = (await import('../scripts/hostile-inputs.js')).pdfWithStreams([Buffer.from('BT /F1 12 Tf 72 700 Td (a) Tj ET'), Buffer.from('BT /F1 12 Tf 72 700 Td (b) Tj ET')]);
    expect((await d.ingest({ bytes: pdf, filename: 'one.pdf' })).status).toBe('added');
    expect((await refusal(d.ingest({ bytes: twoPages, filename: 'two.pdf' }))).message).toContain('MAX_PDF_PAGES');
  });

  it('the default MAX_PDF_PAGES (2000) refuses a 2001-page flat page tree before reading pages', async () => {
    const { pdfWithStreams, pdfTextStream } = await import('../scripts/hostile-inputs.js');
    const pdf = pdfWithStreams(Array.from({ length: 2001 }, (_, i) => pdfTextStream([`Seite ${i + 1}.`])));
    const d = await core();
    const err = await refusal(d.ingest({ bytes: pdf, filename: 'many.pdf' }));
    expect(err.reason).toBe('too-large');
    expect(err.message).toContain('at most 2,000 pages can be read (MAX_PDF_PAGES)');
    expect(d.list()).toHaveLength(0);
  });

  it('a heading in a larger font is its own paragraph (issue 14 item 9)', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([420, 300]);
    page.drawText('Page two', { x: 20, y: 260, size: 18, font });
    page.drawText('The operator plans a new site.', { x: 20, y: 236, size: 12, font });
    const parsed = await parseBytes(await doc.save(), { filename: 'h.pdf', maxBytes: 1e6 });
    expect(parsed.text).toBe('Page two\n\nThe operator plans a new site.');
  });
});

describe('segmentation limits and the time budget', () => {
  it('more paragraphs or sentences than allowed: refused naming the limit, nothing stored', async () => {
    const d = await core({ MAX_PARAGRAPHS: 100, MAX_SENTENCES: 150 });
    expect((await refusal(d.ingest({ text: 'Satz eins.\n\n'.repeat(101) }))).message).toContain('MAX_PARAGRAPHS');
    expect((await refusal(d.ingest({ text: 'Ein Satz. Noch einer. '.repeat(80) }))).message).toContain('MAX_SENTENCES');
    expect(d.list()).toHaveLength(0);
  });

  it('a deadline in the past stops segmentation with reason timeout', () => {
    const call = () => segmentDocument('A.\n\nB.', 0, { sentencesPerChunk: 3, overlap: 1, deadline: performance.now() - 1 });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/INGEST_BUDGET_MS/);
  });
});

describe('input checks (issue 14 item 9, issue 11)', () => {
  it('a UTF-16 BOM followed by junk is refused; real UTF-16 text is read', async () => {
    const junk = Buffer.from([0xff, 0xfe, 0x00, 0x62, 0x61, 0x64]);
    expect((await refusal(parseBytes(junk, { filename: 'j.txt', maxBytes: 1e6 }))).reason).toBe('bad-encoding');
    const random = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 251))]);
    expect((await refusal(parseBytes(random, { filename: 'r.txt', maxBytes: 1e6 }))).reason).toMatch(/bad-encoding|binary/);
    const good = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Die Drohnen kommen.\nZweite Zeile: 中文。', 'utf16le')]);
    expect((await parseBytes(good, { filename: 'g.txt', maxBytes: 1e6 })).text).toBe('Die Drohnen kommen.\nZweite Zeile: 中文。');
  });

  it('`date: not a date` is dropped; real dates are kept', async () => {
    const d = await core();
    const r = await d.ingest({ text: 'title: T\ndate: not a date\n\nDer Text des Dokuments.' });
    expect(r.document.date).toBeNull();
    for (const ok of ['2023', '2023-02', '2023-02-24', '2023-02-24T10:00:00+01:00', '24.02.2023', '24. Februar 2023', 'February 24, 2023']) {
      expect(cleanDate(ok)).toBe(ok);
    }
    for (const bad of ['not a date', 'gestern', '99', 'soon 2023?!']) expect(cleanDate(bad)).toBeUndefined();
  });

  it('a loopback URL refusal names ALLOW_PRIVATE_URLS (issue 14 item 8)', async () => {
    const d = await core({ ALLOW_PRIVATE_URLS: false });
    expect((await refusal(d.ingest({ url: 'http://127.0.0.1:9/x' }))).message).toContain('ALLOW_PRIVATE_URLS');
  });
});

describe('storage errors are named', () => {
  it('0-byte file, non-database file and damaged pages: StorageError with kind and path', async () => {
    const zero = tempDir();
    fs.writeFileSync(path.join(zero, 'dossier.sqlite'), '');
    expect(() => openDatabase(zero)).toThrow(StorageError);
    expect(() => openDatabase(zero)).toThrow(/0 bytes/);
    expect(fs.statSync(path.join(zero, 'dossier.sqlite')).size).toBe(0); // not silently replaced

    const notDb = tempDir();
    fs.writeFileSync(path.join(notDb, 'dossier.sqlite'), 'plain text, not SQLite\n'.repeat(300));
    const e1 = (() => { try { openDatabase(notDb); } catch (e) { return e; } })() as StorageError;
    expect(e1.kind).toBe('not-a-database');
    expect(e1.message).toContain(path.join(notDb, 'dossier.sqlite'));

    const cfg = testConfig({ TRANSLATE: false }, { corpus: 'empty' });
    const d = await Dossier.open(cfg);
    for (let i = 0; i < 30; i++) await d.ingest({ text: `Dokument ${i}. ` + 'Ein längerer Satz über Drohnen. '.repeat(100) });
    await d.close();
    const file = path.join(cfg.DATA_DIR, 'dossier.sqlite');
    const b = fs.readFileSync(file);
    b.fill(0x55, 8192, b.length - 4096);
    fs.writeFileSync(file, b);
    fs.rmSync(`${file}-wal`, { force: true });
    const e2 = await Dossier.open(cfg).then(() => null, (e: unknown) => e);
    expect(e2).toBeInstanceOf(StorageError);
    expect((e2 as StorageError).kind).toMatch(/corrupt|not-a-database/);
  });

  it('maps SQLite and errno codes (read-only, disk full, missing)', () => {
    const mk = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyStorageError(mk('SQLITE_READONLY'))).toBe('read-only');
    expect(classifyStorageError(mk('SQLITE_READONLY_DBMOVED'))).toBe('read-only');
    expect(classifyStorageError(mk('EROFS'))).toBe('read-only');
    expect(classifyStorageError(mk('SQLITE_FULL'))).toBe('disk-full');
    expect(classifyStorageError(mk('ENOSPC'))).toBe('disk-full');
    expect(classifyStorageError(mk('SQLITE_CORRUPT_INDEX'))).toBe('corrupt');
    expect(classifyStorageError(mk('SQLITE_CANTOPEN'))).toBe('missing');
    expect(classifyStorageError(mk('SQLITE_BUSY'))).toBeNull();
    const named = namedStorageError(mk('SQLITE_READONLY'), '/data/dossier.sqlite') as StorageError;
    expect(named.message).toMatch(/\/data\/dossier\.sqlite.*write access/);
  });

  it('a full disk fails the document cleanly, and bulk ingest stops there with one message', async () => {
    const d = await core();
    const dir = tempDir();
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `${i}.txt`), `Dokument ${i}.\n\n` + `Satz ${i} über Drohnen und Lieferungen. `.repeat(2000));
    const pages = d.db.pragma('page_count', { simple: true }) as number;
    d.db.pragma(`max_page_count = ${pages + 60}`); // SQLITE_FULL once the file would grow past this
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    let summary;
    try {
      summary = await runIngest(d, [dir], { json: false, progress: false });
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(summary.stopped).toMatch(/disk .* is full/);
    expect(summary.added + summary.failed + (summary.notAttempted ?? 0)).toBe(5);
    expect(summary.failed).toBe(1);
    expect(out.join('').match(/is full/g)).toHaveLength(2); // the item line + the one stop message
    // Every document reported added is there, complete; the failed one left nothing.
    expect(d.list().length).toBe(summary.added);
    const orphan = d.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE doc_id NOT IN (SELECT id FROM documents)').get() as { n: number };
    expect(orphan.n).toBe(0);
  });
});

describe('read-only database (issue 11)', () => {
  it('a database that cannot be written fails the first document with the named error, stops the bulk run, writes nothing', async () => {
    const d = await core();
    const dir = tempDir();
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `${i}.txt`), `Dokument ${i} über Häfen und Schiffe.`);
    const indexFile = path.join(d.config.DATA_DIR, 'lexical.idx');
    const indexBefore = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : null;
    // SQLite refuses every write with SQLITE_READONLY, as for a read-only file (root ignores chmod).
    d.db.pragma('query_only = ON');
    const err = await d.ingest({ text: 'Ein Text über Drohnen.' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kind).toBe('read-only');
    expect((err as StorageError).message).toContain(d.db.name);
    expect((err as StorageError).message).toMatch(/cannot be written .* set DATA_DIR to a writable folder/);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    let summary;
    try {
      summary = await runIngest(d, [dir], { json: false, progress: false });
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(summary.stopped).toMatch(/cannot be written/);
    expect(summary.failed).toBe(1);
    expect(summary.notAttempted).toBe(2);
    expect(out.join('').match(/cannot be written/g)).toHaveLength(2); // the item line + the one stop message
    d.db.pragma('query_only = OFF');
    expect(d.list()).toHaveLength(0);
    const rows = d.db.prepare('SELECT (SELECT COUNT(*) FROM paragraphs) + (SELECT COUNT(*) FROM chunks) AS n').get() as { n: number };
    expect(rows.n).toBe(0);
    expect(fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : null).toEqual(indexBefore);
  });
});

describe('bulk ingest messages (issue 11, issue 14 item 8)', () => {
  async function run(d: Dossier, targets: string[]) {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const { result, lines } = await captureLogs(() => runIngest(d, targets, { json: false, progress: false }));
      return { summary: result, out: out.join(''), logs: lines, exitCode: process.exitCode };
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
  }

  it('an empty folder is a failure with a hint (exit 1)', async () => {
    const d = await core();
    const r = await run(d, [tempDir()]);
    expect(r.summary.failed).toBe(1);
    expect(r.out).toMatch(/no document files found there \(looked for \.txt/);
    expect(r.exitCode).toBe(1);
  });

  it('a file name with a newline stays on one report line; a refusal is reported once, not logged again', async () => {
    const d = await core();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a\nb.txt'), 'Der Text.');
    fs.writeFileSync(path.join(dir, 'empty.txt'), '   ');
    const r = await run(d, [dir]);
    const lines = r.out.split('\n');
    expect(lines.some((l) => l.startsWith('added') && l.endsWith('a\\nb.txt'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('failed'))).toHaveLength(1);
    expect(r.logs.filter((l) => l.level >= 40)).toHaveLength(0);
    expect(oneLine('x\u001b[31my\u2028')).toBe('x\\x1b[31my\\u2028');
  });
});

describe('dictionary cache check', () => {
  it('a truncated cache is detected, warned about once and rebuilt', async () => {
    const dir = tempDir();
    const dict = path.join(dir, 'de-en');
    fs.writeFileSync(dict, 'Drohne {f} | Drohnen {pl} :: drone | drones\nLieferung {f} :: delivery\nHafen {m} :: harbour; port\n');
    const when = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(dict, when, when);
    const cache = path.join(dir, 'cache');
    const first = loadDictionary(dict, cache)!;
    expect(first.en.get('drone')).toContain('drohne');
    const [file] = fs.readdirSync(cache).filter((f) => f.endsWith('.bin'));
    const full = fs.readFileSync(path.join(cache, file));
    fs.writeFileSync(path.join(cache, file), full.subarray(0, full.length - 7));
    // A second path with the same size and time maps to the same cache file (not the in-process copy).
    const copy = path.join(dir, 'de-en-copy');
    fs.copyFileSync(dict, copy);
    fs.utimesSync(copy, when, when);
    const { result: second, lines } = await captureLogs(() => loadDictionary(copy, cache));
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(lines.find((l) => l.level === 40)!.msg).toMatch(/damaged/);
    expect(second!.en.get('harbour')).toContain('hafen');
    expect(fs.readFileSync(path.join(cache, file)).length).toBe(full.length); // rewritten whole
  });
});
