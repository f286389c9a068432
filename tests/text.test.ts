import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/text/sentences.js';
import { segmentDocument } from '../src/text/chunk.js';
import { tokenize } from '../src/text/tokenize.js';
import { collapseWhitespace } from '../src/text/normalize.js';
import { deriveTitle, documentId } from '../src/corpus/document.js';
import { parseHeaderLines as parseHeader } from '../src/corpus/header.js';
import { SEED } from './helpers.js';

const seed = fs.readFileSync(SEED, 'utf8');
const sentencesOf = (t: string) => splitSentences(t).map((s) => t.slice(s.start, s.end));

describe('German sentence splitting', () => {
  it('keeps numbers, names, quotes and abbreviations inside sentences', () => {
    const t =
      'In dieser sollen mindestens 6.000 Drohnen hergestellt werden. Danach soll Xi\'an Bingo planen. ' +
      'Laut "Spiegel"-Informationen verhandeln sie. Er sagte z. B. am 3. März, Dr. Wang sei u. a. dabei. ' +
      'König Friedrich Wilhelm IV. gewährte Geld. „Das ist neu.“ So das Blatt.';
    expect(sentencesOf(t)).toEqual([
      'In dieser sollen mindestens 6.000 Drohnen hergestellt werden.',
      "Danach soll Xi'an Bingo planen.",
      'Laut "Spiegel"-Informationen verhandeln sie.',
      'Er sagte z. B. am 3. März, Dr. Wang sei u. a. dabei.',
      'König Friedrich Wilhelm IV. gewährte Geld.',
      '„Das ist neu.“',
      'So das Blatt.',
    ]);
  });

  it('ends sentences at blank lines but not at single line breaks', () => {
    expect(sentencesOf('Eine Zeile\nläuft weiter.\n\nNeuer Absatz')).toEqual(['Eine Zeile\nläuft weiter.', 'Neuer Absatz']);
  });

  it('splits the seed report into its 12 sentences', () => {
    const { bodyStart } = parseHeader(seed);
    const s = splitSentences(seed.slice(bodyStart));
    expect(s).toHaveLength(12);
  });
});

describe('chunks', () => {
  it('are windows of sentences with overlap whose offsets slice the original text', () => {
    const { bodyStart } = parseHeader(seed);
    const paras = segmentDocument(seed, bodyStart, { sentencesPerChunk: 2, overlap: 1 });
    expect(paras).toHaveLength(6);
    for (const p of paras) {
      for (const c of p.chunks) {
        expect(c.start).toBeGreaterThanOrEqual(p.start);
        expect(c.end).toBeLessThanOrEqual(p.end);
        const text = seed.slice(c.start, c.end);
        expect(text).toBe(text.trim());
        expect(p.sentences.some((s) => s.start === c.start)).toBe(true);
        expect(p.sentences.some((s) => s.end === c.end)).toBe(true);
      }
    }
    // Paragraph 2 has 3 sentences: windows [1,2] and [2,3] share the middle sentence.
    const p2 = paras[1];
    expect(p2.sentences).toHaveLength(3);
    expect(p2.chunks).toEqual([
      { start: p2.sentences[0].start, end: p2.sentences[1].end },
      { start: p2.sentences[1].start, end: p2.sentences[2].end },
    ]);
  });

  it('rejects an overlap that is not smaller than the window', () => {
    expect(() => segmentDocument('a. b.', 0, { sentencesPerChunk: 2, overlap: 2 })).toThrow(RangeError);
  });
});

describe('tokens and normalisation', () => {
  it('keeps codes and numbers as tokens', () => {
    const norms = tokenize('Die ZT-180 trägt 35 bis 50 Kilogramm; 6.000 Drohnen, 1,234,567 und 3,5 kg. Kamikaze-Drohne').map((t) => t.norm);
    expect(norms).toEqual(expect.arrayContaining(['zt-180', '35', '50', '6000', '1234567', '3.5', 'kamikaze-drohne', 'kamikaze', 'drohne']));
    expect(norms).not.toContain('180');
  });

  it('collapses whitespace with a map back to the original offsets', () => {
    const src = '  Rund\n\n 100   Drohnen ';
    const m = collapseWhitespace(src);
    expect(m.text).toBe('Rund 100 Drohnen');
    const i = m.text.indexOf('100');
    expect(src.slice(m.map[i], m.map[i + 3])).toBe('100');
  });
});

describe('document metadata', () => {
  it('reads a date header that shares its line with the body, as in the seed', () => {
    const { meta, bodyStart } = parseHeader(seed);
    expect(meta.date).toBe('2023-02');
    expect(meta.title).toBe('Bericht: Chinesischer Hersteller soll Kamikazedrohnen für Russland bauen');
    expect(seed.slice(bodyStart).startsWith('Während NATO-Generalsekretär')).toBe(true);
    expect(deriveTitle(seed, bodyStart).startsWith('Während NATO-Generalsekretär Stoltenberg')).toBe(true);
  });

  it('reads title/source header lines and gives content-hash ids per scope', () => {
    const t = 'title Ein Bericht\nsource https://example.org\ndate 2024-01-05\n\nText.';
    const { meta, bodyStart } = parseHeader(t);
    expect(meta).toMatchObject({ title: 'Ein Bericht', source: 'https://example.org', date: '2024-01-05' });
    expect(t.slice(bodyStart)).toBe('Text.');
    expect(documentId(t, null)).toBe(documentId(t, null));
    expect(documentId(t, null)).not.toBe(documentId(t, '123'));
    expect(documentId(t, null)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('hostile text', () => {
  it('cuts a sentence without punctuation into bounded pieces at whitespace', async () => {
    const { MAX_SENTENCE_CHARS } = await import('../src/text/sentences.js');
    const t = Array.from({ length: 5000 }, (_, i) => `wort${i}`).join(' ');
    const spans = splitSentences(t);
    expect(spans.length).toBeGreaterThan(20);
    for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    expect(spans.map((s) => t.slice(s.start, s.end)).join(' ')).toBe(t);
  });

  it('sanitises a million-character run of spaces or tabs quickly (no quadratic regex)', async () => {
    const { sanitizeText } = await import('../src/corpus/sanitize.js');
    expect(sanitizeText(`Hallo${' '.repeat(1_000_000)}Welt.`)).toBe('Hallo Welt.');
    expect(sanitizeText(`Hallo${'\t'.repeat(1_000_000)}Welt.  `).length).toBe(1_000_010);
  });
});

describe('sentence ends after units', () => {
  it('splits after "km/h." but still joins "d. h."', () => {
    const text = 'Trains will run at up to 200 km/h. The line will cost 3.2 billion pounds. Das ist, d. h. im Kern, neu.';
    const spans = splitSentences(text, 'en').map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(['Trains will run at up to 200 km/h.', 'The line will cost 3.2 billion pounds.', 'Das ist, d. h. im Kern, neu.']);
  });
});

describe('era marks', () => {
  it('"n. Chr." and "v. Chr." do not end the sentence; the sentence after them still starts', () => {
    expect(sentencesOf('Abu al-Biruni (973-1048 n. Chr.) gehört zu den ersten Geologen. Seine Arbeiten sind bekannt.')).toEqual([
      'Abu al-Biruni (973-1048 n. Chr.) gehört zu den ersten Geologen.',
      'Seine Arbeiten sind bekannt.',
    ]);
    expect(sentencesOf('Die Stadt wurde um 300 v. Chr. gegründet.')).toEqual(['Die Stadt wurde um 300 v. Chr. gegründet.']);
  });
});

describe('initials in names and single-letter labels', () => {
  it('a name initial does not end the sentence ("John C. Calhoun", "J. R. R. Tolkien")', () => {
    expect(sentencesOf('Der Politiker John C. Calhoun war Vizepräsident. Er starb 1850.')).toEqual([
      'Der Politiker John C. Calhoun war Vizepräsident.',
      'Er starb 1850.',
    ]);
    expect(sentencesOf('J. R. R. Tolkien schrieb Bücher. Sie sind lang.')).toEqual(['J. R. R. Tolkien schrieb Bücher.', 'Sie sind lang.']);
    expect(sentencesOf('Der Physiker Richard P. Feynman lehrte. Er starb.')).toEqual(['Der Physiker Richard P. Feynman lehrte.', 'Er starb.']);
  });

  it('a capital letter before a sentence-opening word ends the sentence; regnal numerals and "z. B." keep their rules', () => {
    expect(sentencesOf('Er wählte Plan B. Danach ging er.')).toEqual(['Er wählte Plan B.', 'Danach ging er.']);
    expect(sentencesOf('Das Vitamin C. Es hilft.')).toEqual(['Das Vitamin C.', 'Es hilft.']);
    expect(sentencesOf('Kaiser Wilhelm I. Er regierte lange.')).toEqual(['Kaiser Wilhelm I.', 'Er regierte lange.']);
    expect(sentencesOf('Es kamen u. a. Vertreter aus Berlin.')).toEqual(['Es kamen u. a. Vertreter aus Berlin.']);
    expect(sentencesOf('Das gilt z. B. Die Stadt ist groß.')).toEqual(['Das gilt z. B. Die Stadt ist groß.']);
  });
});
