/**
 * Parsing bad and odd input: a table of cases, each asserting either the parsed result or the
 * InputError reason code plus a human-readable message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { InputError, type ParsedDocument } from '../src/corpus/types.js';
import { detectFormat, parseBytes, parseText, sanitizeText, sanitizeTitle } from '../src/corpus/parse.js';
import { parseHeaderLines } from '../src/corpus/header.js';
import { estimateHtmlDepth } from '../src/corpus/html.js';
import { loadPath, parseFile } from '../src/corpus/load.js';
import { SEED } from './helpers.js';

// ------------------------------------------------------------------------------------------------
// helpers

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => new Uint8Array(b);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
function utf16(s: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let o = 0;
  if (bom) {
    out.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
    o = 2;
  }
  for (let i = 0; i < s.length; i++, o += 2) {
    const c = s.charCodeAt(i);
    out[o + (endian === 'le' ? 0 : 1)] = c & 0xff;
    out[o + (endian === 'le' ? 1 : 0)] = c >> 8;
  }
  return out;
}
/** Deterministic pseudo-random bytes (LCG). */
function pseudoRandom(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A user-facing message: a sentence, no programmer noise. */
function expectHumanMessage(msg: string): void {
  expect(msg.length).toBeGreaterThan(15);
  expect(msg.length).toBeLessThan(400);
  expect(msg).toMatch(/^[A-Z"0-9]/);
  expect(msg).toMatch(/[.)!?]$/);
  expect(msg).not.toMatch(/undefined|null|NaN|\[object|TypeError|Error:|\bat \S+ \(|\.[cm]?[jt]s:\d+|ERR_|\bE[A-Z]{4,}/);
}

async function makePdf(pages: string[][], title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([420, 300]);
    let y = 260;
    for (const line of lines) {
      if (line) page.drawText(line, { x: 20, y, size: 12, font });
      y -= 15;
    }
  }
  if (title) doc.setTitle(title);
  return doc.save();
}

async function makeScanPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 300]);
  page.drawRectangle({ x: 20, y: 20, width: 200, height: 120, color: rgb(0.3, 0.3, 0.3) });
  return doc.save();
}

/** A hand-made PDF with correct xref whose trailer has an /Encrypt dictionary (Standard handler, unknown password). */
function makeEncryptedPdf(): Uint8Array {
  const hex = (seed: number, n: number) =>
    Array.from({ length: n }, (_, i) => ((i * 37 + seed * 11) & 0xff).toString(16).padStart(2, '0')).join('');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 10 >>\nstream\n0123456789\nendstream',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(1, 32)}> /U <${hex(2, 32)}> /P -4 >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  const id = hex(3, 16);
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 5 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(out);
}

const LONG_PARA = (n: number) =>
  `Absatz ${n}: Nach Einschätzung von NATO-Generalsekretär Jens Stoltenberg erwägt Peking Waffenlieferungen nach Russland. ` +
  'Bisher seien zwar keine derartigen Lieferungen beobachtet worden, aber es gebe Anzeichen, dass China dies erwäge.';

const ARTICLE_HTML = `<!doctype html>
<html lang="de-DE"><head>
<meta charset="utf-8"><title>Drohnen für Russland | Beispielzeitung</title>
<meta property="og:title" content="Drohnen für Russland">
<meta property="article:published_time" content="2023-02-24T08:00:00Z">
<script>window.tracking = "SCRIPT_SECRET";</script>
<style>.x { content: "STYLE_SECRET"; }</style>
</head><body>
<nav><a href="/">Startseite</a> | <a href="/politik">Politik</a></nav>
<article>
<h1>Drohnen für Russland</h1>
<p>${LONG_PARA(1)}</p>
<script>document.write("INLINE_SCRIPT_SECRET")</script>
<p>${LONG_PARA(2)} Mit <b>fettem</b> Text &amp; einem <a href="/x">Link</a>.</p>
<noscript>NOSCRIPT_SECRET</noscript>
<p>${LONG_PARA(3)}<br>Neue Zeile im selben Absatz.</p>
</article>
<footer>Impressum · Datenschutz</footer>
</body></html>`;

// ------------------------------------------------------------------------------------------------
// the table

interface Case {
  name: string;
  input: () => Uint8Array | Promise<Uint8Array>;
  filename?: string;
  contentType?: string;
  maxBytes?: number;
  /** Expected InputError reason; omit for success. */
  reason?: string;
  /** Extra expectations on the error message. */
  message?: RegExp;
  /** Expectations on a successful result. */
  check?: (d: ParsedDocument) => void;
}

let pdfTwoPages: Uint8Array;
let pdfScan: Uint8Array;
beforeAll(async () => {
  pdfTwoPages = await makePdf(
    [
      ['Seite eins, erster Absatz über Waffen-', 'lieferungen und den NATO-', 'Generalsekretär.', '', 'Zweiter Absatz auf Seite eins.'],
      ['Seite zwei: Xi\u2019an Bingo plant eine Fabrik.'],
    ],
    'Testbericht',
  );
  pdfScan = await makeScanPdf();
});

const cases: Case[] = [
  // --- size and emptiness
  { name: 'empty file', input: () => new Uint8Array(0), filename: 'a.txt', reason: 'empty' },
  { name: 'whitespace only', input: () => enc(' \n\t\r\n  \n'), filename: 'a.txt', reason: 'empty' },
  { name: 'only invisible characters (BOM, ZWSP, bidi)', input: () => enc('\uFEFF\u200B\u202E\u2066 \u2060\n'), filename: 'a.txt', reason: 'empty' },
  {
    name: 'over the size limit (checked before parsing)',
    input: () => pseudoRandom(2048),
    filename: 'a.pdf',
    maxBytes: 1000,
    reason: 'too-large',
    message: /2\.0 KiB.*1000 bytes/,
  },
  {
    name: 'exactly at the size limit is fine',
    input: () => enc('x'.repeat(99) + '.'),
    filename: 'a.txt',
    maxBytes: 100,
    check: (d) => expect(d.text).toHaveLength(100),
  },
  // --- binary and encodings
  {
    name: 'binary with NUL bytes posing as .txt',
    input: () => concat(enc('Hallo '), pseudoRandom(500), bytes(0, 0, 0)),
    filename: 'notes.txt',
    reason: 'binary',
  },
  {
    name: 'control characters without NUL posing as .txt',
    input: () => new Uint8Array(400).map((_, i) => (i % 3 === 0 ? 0x01 : 0x41 + (i % 20))),
    filename: 'notes.txt',
    reason: 'binary',
  },
  {
    name: 'invalid UTF-8 (Latin-1 bytes)',
    input: () => concat(enc('Gr'), bytes(0xfc, 0xdf), enc('e aus M'), bytes(0xfc), enc('nchen.')),
    filename: 'a.txt',
    reason: 'bad-encoding',
    message: /UTF-8.*byte 2\b/,
  },
  { name: 'truncated UTF-8 sequence at the end', input: () => concat(enc('Kaffee und Tee '), bytes(0xe2, 0x82)), filename: 'a.txt', reason: 'bad-encoding' },
  { name: 'overlong UTF-8 encoding of "/"', input: () => concat(enc('a'), bytes(0xc0, 0xaf), enc('b etc.')), filename: 'a.txt', reason: 'bad-encoding' },
  { name: 'UTF-8 encoded surrogate', input: () => concat(enc('abc '), bytes(0xed, 0xa0, 0x80), enc(' def')), filename: 'a.txt', reason: 'bad-encoding' },
  {
    name: 'UTF-8 BOM is stripped',
    input: () => concat(bytes(0xef, 0xbb, 0xbf), enc('Äpfel und Birnen.')),
    filename: 'a.txt',
    check: (d) => expect(d.text).toBe('Äpfel und Birnen.'),
  },
  {
    name: 'UTF-16 LE with BOM is decoded',
    input: () => utf16('Grüße aus Köln – 20 €.\r\nZweite Zeile.', 'le'),
    filename: 'a.txt',
    check: (d) => expect(d.text).toBe('Grüße aus Köln – 20 €.\nZweite Zeile.'),
  },
  {
    name: 'UTF-16 BE with BOM is decoded',
    input: () => utf16('Straße in Zürich: 5 km.', 'be'),
    filename: 'a.txt',
    check: (d) => expect(d.text).toBe('Straße in Zürich: 5 km.'),
  },
  {
    name: 'UTF-16 LE without BOM is named as such',
    input: () => utf16('Ohne Byte Order Mark geschrieben.', 'le', false),
    filename: 'a.txt',
    reason: 'bad-encoding',
    message: /UTF-16/,
  },
  { name: 'UTF-16 with BOM but odd byte count', input: () => concat(utf16('Hallo', 'le'), bytes(0x41)), filename: 'a.txt', reason: 'bad-encoding' },
  {
    name: 'declared charset windows-1252 (Content-Type) is honoured',
    input: () => concat(enc('Gr'), bytes(0xfc), enc('n ist die Farbe.')),
    contentType: 'text/plain; charset=windows-1252',
    check: (d) => expect(d.text).toBe('Grün ist die Farbe.'),
  },
  // --- sanitation
  {
    name: 'CRLF and lone CR become LF, trailing spaces and extra blank lines go',
    input: () => enc('Zeile eins.  \r\nZeile zwei.\rZeile drei.\r\n\r\n\r\n\r\nNeuer Absatz.\r\n'),
    filename: 'a.txt',
    check: (d) => expect(d.text).toBe('Zeile eins.\nZeile zwei.\nZeile drei.\n\nNeuer Absatz.'),
  },
  {
    name: 'zero-width, soft hyphen and bidi override/isolate characters are removed',
    input: () => enc('Wa\u200Bffen\u00ADlie\u200Cfe\u200Drung \u202Eegnahcs\u202C und \u2066isoliert\u2069\u2060.\uFEFF'),
    filename: 'a.txt',
    check: (d) => {
      expect(d.text).toBe('Waffenlieferung egnahcs und isoliert.');
      expect(d.text).not.toMatch(/[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u00AD]/);
    },
  },
  {
    name: 'C0/C1 controls removed except TAB and LF; NFC applied',
    input: () => enc('Caf\u0065\u0301\u0007 \u0085Spalte\tzwei\u001B[0m\u009B.'),
    filename: 'a.txt',
    check: (d) => expect(d.text).toBe('Café Spalte\tzwei[0m.'),
  },
  // --- seed header lines
  {
    name: 'seed format: a title line, then a date header sharing the line with the body',
    input: () => fs.readFileSync(SEED),
    filename: '000_f6d27b86c4846197.txt',
    check: (d) => {
      expect(d.date).toBe('2023-02');
      expect(d.title).toBe('Bericht: Chinesischer Hersteller soll Kamikazedrohnen für Russland bauen');
      // The header stays in the text (offsets match the file); the body starts after it.
      expect(d.text.slice(d.bodyStart).startsWith('Während NATO-Generalsekretär Stoltenberg')).toBe(true);
      expect(d.text).toMatch(/^title Bericht: [^\n]+\n date 2023-02 Während/);
      expect(d.source).toBe('000_f6d27b86c4846197.txt');
    },
  },
  {
    name: 'header lines on their own lines',
    input: () => enc('date 2023-02-24\ntitle Drohnen für Russland\nsource https://example.org/a\nlang de\n\nDer Text beginnt hier.'),
    filename: 'b.txt',
    check: (d) => {
      expect(d).toMatchObject({ date: '2023-02-24', title: 'Drohnen für Russland', source: 'https://example.org/a', language: 'de' });
      expect(d.text.slice(d.bodyStart)).toBe('Der Text beginnt hier.');
    },
  },
  { name: 'header lines but no body', input: () => enc('date 2023-02\nlang de\n'), filename: 'b.txt', reason: 'empty' },
  {
    name: 'prose that starts like a header stays text',
    input: () => enc('title of the report was changed twice\nbefore it went to print.'),
    filename: 'b.txt',
    check: (d) => {
      expect(d.title).toBeUndefined();
      expect(d.text).toBe('title of the report was changed twice\nbefore it went to print.');
    },
  },
  {
    name: 'title with path separators and control characters is sanitised',
    input: () => enc('title ../../etc/passwd\u0007 \\ Bericht\u202E\u200B  über   Drohnen\n\nText.'),
    filename: 'b.txt',
    check: (d) => expect(d.title).toBe('.. .. etc passwd Bericht über Drohnen'),
  },
  // --- markdown
  {
    name: 'Markdown with YAML front matter; markup stripped',
    input: () =>
      enc(
        '---\ntitle: "Drohnen: ein Bericht"\ndate: 2023-02-24\nsource: https://example.org/md\nlang: de\n---\n' +
          '# Überschrift\n\nDas ist **fett**, _kursiv_ und `code`, mit [Link](https://x.example/a_(b)) und ![Bild](i.png).\n' +
          'Zweite Zeile im Absatz.\n\n- Punkt eins\n- Punkt zwei\n\n> Ein Zitat.\n\n[ref]: https://example.org\n',
      ),
    filename: 'r.md',
    check: (d) => {
      expect(d).toMatchObject({ title: 'Drohnen: ein Bericht', date: '2023-02-24', source: 'https://example.org/md', language: 'de' });
      expect(d.text).toBe(
        'Überschrift\n\nDas ist fett, kursiv und code, mit Link und Bild. Zweite Zeile im Absatz.\n\n- Punkt eins\n- Punkt zwei\n\nEin Zitat.',
      );
    },
  },
  {
    name: 'Markdown without front matter: title from the first heading',
    input: () => enc('Intro line.\n\n# Haupttitel\n\nText unter dem Titel mit 3 * 4 = 12 und snake_case_name.\n'),
    filename: 'r.markdown',
    check: (d) => {
      expect(d.title).toBe('Haupttitel');
      expect(d.text).toBe('Intro line.\n\nHaupttitel\n\nText unter dem Titel mit 3 * 4 = 12 und snake_case_name.');
    },
  },
  {
    name: 'Markdown with JavaScript front matter is refused (never evaluated)',
    input: () => enc('---js\n{ title: (globalThis.__dossierPwned = "yes") }\n---\nBody.\n'),
    filename: 'r.md',
    reason: 'bad-front-matter',
  },
  { name: 'Markdown with broken YAML front matter', input: () => enc('---\ntitle: [unclosed\n  - x: : y\n---\nBody text.\n'), filename: 'r.md', reason: 'bad-front-matter' },
  { name: 'Markdown with only front matter', input: () => enc('---\ntitle: Leer\n---\n\n'), filename: 'r.md', reason: 'empty' },
  // --- html
  {
    name: 'HTML article: main text, no script/style content, title, date, language',
    input: () => enc(ARTICLE_HTML),
    filename: 'artikel.html',
    check: (d) => {
      expect(d.title).toBe('Drohnen für Russland');
      expect(d.date).toBe('2023-02-24T08:00:00Z');
      expect(d.language).toBe('de');
      expect(d.text).toContain(LONG_PARA(1));
      expect(d.text).toContain('Mit fettem Text & einem Link.');
      expect(d.text).toContain(`${LONG_PARA(3)}\nNeue Zeile im selben Absatz.`);
      expect(d.text).toMatch(/Jens Stoltenberg[^\n]*\n\nAbsatz 2/); // paragraphs separated by a blank line
      expect(d.text).not.toMatch(/SECRET|Startseite|Impressum|window\.tracking/);
    },
  },
  {
    name: 'HTML with only scripts and styles',
    input: () => enc('<html><head><style>p{}</style><script>var a = "x";</script></head><body><script>run()</script>  </body></html>'),
    filename: 'leer.htm',
    reason: 'empty',
  },
  {
    name: 'HTML fragment recognised by Content-Type, entities decoded, invisibles removed',
    input: () => enc('<p>Erster&nbsp;Absatz&#8203; mit &lt;Klammern&gt;.</p><p>Zweiter Absatz.</p>'),
    contentType: 'text/html; charset=utf-8',
    check: (d) => expect(d.text).toBe('Erster Absatz mit <Klammern>.\n\nZweiter Absatz.'),
  },
  {
    name: 'HTML with <meta charset=windows-1252> and no extension: sniffed and decoded',
    input: () => concat(enc('<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Gr'), bytes(0xfc), enc('n</title></head><body><p>Sch'), bytes(0xf6), enc('n.</p></body></html>')),
    check: (d) => {
      expect(d.title).toBe('Grün');
      expect(d.text).toBe('Schön.');
    },
  },
  {
    name: 'HTML nested 50 000 levels deep is refused before building a DOM',
    input: () => enc('<html><body>' + '<div>'.repeat(50_000) + 'x' + '</div>'.repeat(50_000) + '</body></html>'),
    filename: 'tief.html',
    reason: 'bad-html',
  },
  {
    name: 'HTML nested 2000 levels deep: read without Readability',
    input: () => enc('<html><body>' + '<div>'.repeat(2000) + 'Tief unten steht Text.' + '</div>'.repeat(2000) + '</body></html>'),
    filename: 'tief.html',
    check: (d) => expect(d.text).toBe('Tief unten steht Text.'),
  },
  {
    name: 'Markdown with thousands of unclosed link/emphasis openers stays linear',
    input: () => enc('[a]('.repeat(20_000) + '\n\n' + '**b '.repeat(20_000)),
    filename: 'boese.md',
    check: (d) => expect(d.text.length).toBeGreaterThan(100_000),
  },
  // --- pdf
  {
    name: 'good PDF with 2 pages: text, page spans, title',
    input: () => pdfTwoPages,
    filename: 'bericht.pdf',
    check: (d) => {
      expect(d.title).toBe('Testbericht');
      expect(d.pages).toHaveLength(2);
      const [p1, p2] = d.pages!;
      expect(p1).toMatchObject({ page: 1, start: 0 });
      expect(p2.page).toBe(2);
      expect(d.text.slice(p1.start, p1.end)).toBe(
        'Seite eins, erster Absatz über Waffenlieferungen und den NATO-Generalsekretär.\n\nZweiter Absatz auf Seite eins.',
      );
      expect(d.text.slice(p2.start, p2.end)).toBe('Seite zwei: Xi\u2019an Bingo plant eine Fabrik.');
      expect(d.text.slice(p1.end, p2.start)).toBe('\n\n');
      expect(p2.end).toBe(d.text.length);
    },
  },
  { name: 'PDF without a text layer (a scan)', input: () => pdfScan, filename: 'scan.pdf', reason: 'no-text', message: /scan/ },
  { name: 'encrypted PDF (/Encrypt in the trailer)', input: makeEncryptedPdf, filename: 'geheim.pdf', reason: 'encrypted', message: /password/ },
  { name: 'random bytes behind a %PDF header', input: () => concat(enc('%PDF-1.7\n'), pseudoRandom(4000)), filename: 'kaputt.pdf', reason: 'bad-pdf' },
  { name: 'truncated PDF', input: () => pdfTwoPages.slice(0, 300), filename: 'halb.pdf', reason: 'bad-pdf' },
  { name: '.pdf name but plain text inside', input: () => enc('Das ist gar kein PDF.'), filename: 'falsch.pdf', reason: 'bad-pdf' },
  {
    name: 'PDF recognised by its magic bytes despite a .txt name',
    input: () => pdfTwoPages,
    filename: 'eigentlich.txt',
    check: (d) => expect(d.pages).toHaveLength(2),
  },
  // --- unsupported types
  { name: 'PNG image named .txt', input: () => concat(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), pseudoRandom(64)), filename: 'bild.txt', reason: 'unsupported-type', message: /PNG/ },
  { name: '.docx extension', input: () => enc('irrelevant'), filename: 'brief.docx', reason: 'unsupported-type', message: /Word/ },
  { name: 'unknown extension with an image Content-Type', input: () => enc('irrelevant'), filename: 'x.dat', contentType: 'image/webp', reason: 'unsupported-type' },
  {
    name: 'no name, no type: plain text sniffed',
    input: () => enc('Nur ein bisschen Text.'),
    check: (d) => expect(d).toEqual({ text: 'Nur ein bisschen Text.' }),
  },
];

describe('parseBytes: bad and odd input (table)', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const c of cases) {
    it(c.name, async () => {
      const input = await c.input();
      const run = () => parseBytes(input, { filename: c.filename, contentType: c.contentType, maxBytes: c.maxBytes ?? 1_000_000 });
      if (c.reason) {
        const err = await run().then(
          (d) => new Error(`expected InputError '${c.reason}', got a document: ${JSON.stringify(d).slice(0, 200)}`),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).reason).toBe(c.reason);
        expectHumanMessage((err as InputError).message);
        if (c.message) expect((err as InputError).message).toMatch(c.message);
      } else {
        const d = await run();
        expect(d.text.trim()).toBe(d.text);
        expect(d.text.length).toBeGreaterThan(0);
        expect(d.text).not.toMatch(/\r|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
        c.check?.(d);
      }
    });
  }

  it('never evaluated the JavaScript front matter', () => {
    expect((globalThis as Record<string, unknown>).__dossierPwned).toBeUndefined();
  });
});

describe('parseHeaderLines', () => {
  const table: Array<[string, string, Record<string, string>, string]> = [
    ['seed inline date', ' date 2023-02 Während …', { date: '2023-02' }, 'Während …'],
    ['all keys', 'date 2023\ntitle T\nsource S\nlang de-AT\n\nBody', { date: '2023', title: 'T', source: 'S', lang: 'de-at' }, 'Body'],
    ['colon form, any case', 'Title: Bericht\nDate: 24.02.2023\n\nBody', { title: 'Bericht', date: '24.02.2023' }, 'Body'],
    ['no header', 'Just text.', {}, 'Just text.'],
    ['date key without a date', 'date palms grow here.', {}, 'date palms grow here.'],
    ['capitalised key without colon is prose', 'Source code matters.\n\nMore.', {}, 'Source code matters.\n\nMore.'],
    ['repeated key ends the header', 'date 2023\ndate 2024\nBody', { date: '2023' }, 'date 2024\nBody'],
    ['inline lang', 'lang en The text.', { lang: 'en' }, 'The text.'],
  ];
  for (const [name, text, meta, body] of table) {
    it(name, () => {
      const r = parseHeaderLines(text);
      expect(r.meta).toEqual(meta);
      expect(text.slice(r.bodyStart)).toBe(body);
    });
  }
});

describe('sanitizeTitle / sanitizeText', () => {
  it('sanitizes titles', () => {
    expect(sanitizeTitle('  a/b\\c \u0000\u202Ed\n\te  ')).toBe('a b c d e');
    expect(sanitizeTitle('\u200B \u0007 / ')).toBeUndefined();
    expect(sanitizeTitle('')).toBeUndefined();
    expect(sanitizeTitle(42)).toBeUndefined();
    const long = sanitizeTitle('Wort '.repeat(100))!;
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith('…')).toBe(true);
    const emoji = sanitizeTitle('😀'.repeat(150))!; // no broken surrogate pair at the cut
    expect(emoji).toMatch(/^(?:😀)+…$/u);
  });
  it('sanitizeText is idempotent', () => {
    const raw = 'a\r\n\u200Bb\u202E c \u00A0d\u2028e\u2029f\f\n\n\n\ng  ';
    const once = sanitizeText(raw);
    expect(once).toBe('a\nb c d\ne\n\nf\n\ng');
    expect(sanitizeText(once)).toBe(once);
  });
});

describe('parseText (Discord messages) and detectFormat', () => {
  it('parses a message with header lines and a default source', () => {
    expect(parseText('title Notiz\n\nDie Fabrik baut 20 Panzer.', { source: 'discord:123' })).toEqual({
      text: 'title Notiz\n\nDie Fabrik baut 20 Panzer.',
      bodyStart: 13,
      title: 'Notiz',
      source: 'discord:123',
    });
  });
  it('rejects empty and overlong messages', () => {
    expect(() => parseText(' \u200B ')).toThrow(InputError);
    let err: unknown;
    try {
      parseText('x'.repeat(50), { maxChars: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).reason).toBe('too-large');
    expectHumanMessage((err as InputError).message);
  });
  it('decides formats by magic, extension, type, sniffing', () => {
    expect(detectFormat(enc('%PDF-1.4'), 'a.txt')).toBe('pdf');
    expect(detectFormat(enc('x'), 'a.HTM')).toBe('html');
    expect(detectFormat(enc('x'), 'a.unknown', 'text/markdown; charset=utf-8')).toBe('md');
    expect(detectFormat(enc('  <!DOCTYPE html><p>x'))).toBe('html');
    expect(detectFormat(enc('a < b'), undefined, 'application/octet-stream')).toBe('txt');
  });
});

describe('estimateHtmlDepth', () => {
  it('counts nesting as htmlparser2 builds it (void and implicitly closed elements) and quoted ">"', () => {
    expect(estimateHtmlDepth('<div data-x="a>b"><p>x<p>y<ul><li>a<li>b</ul><br/><x-y/><img src=x></div>')).toBe(3) // div > ul > li, as htmlparser2 builds it;
    expect(estimateHtmlDepth('<div>'.repeat(7000), 5000)).toBe(5001); // stops early
  });
  it('stays linear on unclosed quotes', () => {
    expect(estimateHtmlDepth('<a "'.repeat(500_000))).toBe(0);
  });
});

describe('loadPath / parseFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-load-'));
    const w = (rel: string, content: string | Uint8Array) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    };
    w('b.txt', 'Text B.');
    w('a.md', '# A\n\nText A.');
    w('sub/c.HTML', '<p>Text C.</p>');
    w('sub/deeper/d.pdf', '%PDF-1.4 broken');
    w('.hidden.txt', 'hidden');
    w('.git/e.txt', 'hidden dir');
    w('f.docx', 'not picked');
    w('g.json', '{}');
    w('big.txt', 'x'.repeat(5000));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop')); // a directory symlink cycle: not followed
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('walks a folder recursively in sorted order, skipping hidden and unsupported files', async () => {
    const found: string[] = [];
    for await (const f of loadPath(dir)) found.push(f.relPath);
    expect(found).toEqual(['a.md', 'b.txt', 'big.txt', 'sub/c.HTML', 'sub/deeper/d.pdf']);
  });

  it('yields a single file as is', async () => {
    const found = [];
    for await (const f of loadPath(path.join(dir, 'f.docx'))) found.push(f);
    expect(found).toEqual([{ path: path.join(dir, 'f.docx'), relPath: 'f.docx', size: 10 }]);
  });

  it('reports a missing path as not-found', async () => {
    const err = await (async () => {
      for await (const _ of loadPath(path.join(dir, 'nope'))) void _;
    })().catch((e: unknown) => e);
    expect((err as InputError).reason).toBe('not-found');
    expectHumanMessage((err as InputError).message);
  });

  it('parses found files and rejects oversized ones without reading them', async () => {
    const docs: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for await (const f of loadPath(dir)) {
      try {
        docs[f.relPath] = (await parseFile(f, { maxBytes: 1000 })).text;
      } catch (e) {
        errors[f.relPath] = (e as InputError).reason;
      }
    }
    expect(docs).toEqual({ 'a.md': 'A\n\nText A.', 'b.txt': 'Text B.', 'sub/c.HTML': 'Text C.' });
    expect(errors).toEqual({ 'big.txt': 'too-large', 'sub/deeper/d.pdf': 'bad-pdf' });
  });
});
