import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ICU_WINDOW_CHARS, icuSegments, splitSentences } from '../src/text/sentences.js';
import { SEED } from './helpers.js';

const paragraph = (n: number) => Array.from({ length: n }, (_, i) => `S${i} ist gut.`).join(' ');

/** ICU segments of the whole string at once: the reference the windowed iteration must match. */
function wholeSegments(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const s of new Intl.Segmenter('de', { granularity: 'sentence' }).segment(text)) {
    out.push([s.index, s.index + s.segment.length]);
  }
  return out;
}

describe('sentence splitting of one long paragraph (issue: ingest quadratic in sentences)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands ICU bounded windows only, total work linear in the text', () => {
    const seen: number[] = [];
    const orig = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (this: Intl.Segmenter, s: string) {
      seen.push(s.length);
      return orig.call(this, s);
    });
    const perChar: number[] = [];
    for (const n of [5000, 20000]) {
      seen.length = 0;
      const text = paragraph(n);
      const spans = splitSentences(text);
      expect(spans).toHaveLength(n);
      expect(text.slice(spans[n - 1].start, spans[n - 1].end)).toBe(`S${n - 1} ist gut.`);
      expect(Math.max(...seen)).toBeLessThanOrEqual(ICU_WINDOW_CHARS);
      perChar.push(seen.reduce((a, b) => a + b, 0) / text.length);
    }
    // Each character goes to ICU at most about once (windows overlap by one sentence), at both sizes.
    for (const r of perChar) expect(r).toBeLessThan(1.1);
  });

  it('finds the same segments as ICU over the whole text', () => {
    const seg = new Intl.Segmenter('de', { granularity: 'sentence' });
    const seed = fs.readFileSync(SEED, 'utf8').replace(/\n+/g, ' ');
    for (const text of [paragraph(3000), seed.repeat(4), 'Ein Satz ohne Ende '.repeat(800)]) {
      const windowed = [...icuSegments(text, seg)];
      // Covers the text without gaps or overlaps.
      expect(windowed[0][0]).toBe(0);
      expect(windowed[windowed.length - 1][1]).toBe(text.length);
      for (let i = 1; i < windowed.length; i++) expect(windowed[i][0]).toBe(windowed[i - 1][1]);
      if (/[.!?]/.test(text)) expect(windowed).toEqual(wholeSegments(text));
    }
  });

  it('cuts a window-long run without punctuation at whitespace, not inside a word', () => {
    const text = 'wort '.repeat(3000);
    const seg = new Intl.Segmenter('de', { granularity: 'sentence' });
    const pieces = [...icuSegments(text, seg)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const [, end] of pieces.slice(0, -1)) expect(text[end - 1]).toBe(' ');
  });
});
