import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/text/sentences.js';
import { indexTerms } from '../src/text/terms.js';
import { parseHeaderLines } from '../src/corpus/header.js';
import { deriveTitle } from '../src/corpus/document.js';
import { summaryCandidates } from '../src/answer/summary-input.js';
import { startsDependent } from '../src/text/anaphora.js';
import {
  renderSummary,
  SummaryCache,
  summaryCacheKey,
  summarizeSentences,
  type SummarySentence,
} from '../src/answer/summary.js';
import type { DocumentRef, Summary } from '../src/answer/types.js';

const SEED = fs.readFileSync(path.join(import.meta.dirname, '..', 'corpus', '000_f6d27b86c4846197.txt'), 'utf8');

/**
 * Sentences of a document as the core is expected to pass them: split by the lead's splitter after
 * the header (found by the corpus loader's own header parser, so the lead prior counts from the
 * body's first sentence, never from a `title`/`date` line), terms from the lead's indexTerms (no
 * decompounder, so the test does not depend on the dictionary), paragraph numbers from blank lines.
 */
function sentencesOf(text: string, doc: DocumentRef): SummarySentence[] {
  const { bodyStart } = parseHeaderLines(text);
  return splitSentences(text.slice(bodyStart)).map((s, i) => {
    const start = s.start + bodyStart;
    const end = s.end + bodyStart;
    const sentence = text.slice(start, end);
    const paragraph = text.slice(bodyStart, start).split(/\n\s*\n/).length;
    return { doc, start, end, text: sentence, position: `¶${paragraph}, s${i + 1}`, paragraph, terms: indexTerms(sentence, 'de') };
  });
}

/**
 * The title the corpus loader derives from the first sentence when a document has no `title`
 * header (the seed had none before it got one): the derived-title path of the summariser.
 */
function derivedTitle(text: string): string {
  return deriveTitle(text, parseHeaderLines(text).bodyStart);
}

const seedDoc: DocumentRef = { id: 'seed', title: derivedTitle(SEED), date: '2023-02' };

function checkCitations(summary: Summary, texts: Record<string, string>): void {
  summary.citations.forEach((c, i) => {
    expect(c.n).toBe(i + 1);
    expect(c.quote).toBe(texts[c.document.id].slice(c.start, c.end));
    expect(summary.text).toContain(`[${c.n}]`);
  });
}

describe('summarizeSentences on the seed report', () => {
  const sentences = sentencesOf(SEED, seedDoc);

  it('a 3-sentence summary covers the Xi\'an Bingo deal, ~100 drones a month and the Iran–Russia factory', () => {
    const { picked } = summarizeSentences(sentences, { count: 3 });
    const summary = renderSummary(picked, seedDoc);
    expect(picked).toHaveLength(3);
    expect(summary.text).toContain("Xi'an Bingo");
    expect(summary.text).toMatch(/Massenproduktion von Kamikazedrohnen für Russland/);
    expect(summary.text).toContain('100 Drohnen im Monat');
    expect(summary.text).toMatch(/Iran|Teheran/);
    expect(summary.mode).toBe('extractive');
    expect(summary.document).toEqual(seedDoc);
    checkCitations(summary, { seed: SEED });
    // Document order.
    for (let i = 1; i < picked.length; i++) expect(picked[i].start).toBeGreaterThan(picked[i - 1].start);
  });

  it('does not repeat a title derived from the first sentence; with a real title the lead can be picked', () => {
    const first = sentences[0];
    expect(summarizeSentences(sentences, { count: 3 }).picked.map((p) => p.start)).not.toContain(first.start);
    const titled = { ...seedDoc, title: 'China und Russland: Drohnen' };
    const withTitle = sentencesOf(SEED, titled);
    const picked = summarizeSentences(withTitle, { count: 3 }).picked;
    expect(picked.map((p) => p.start)).toContain(first.start);
  });

  it('MMR drops a duplicated sentence (exact and near-exact copies)', () => {
    const s9 = sentences.find((s) => s.text.includes('100 Drohnen im Monat'))!.text;
    const s5 = sentences.find((s) => s.text.includes('Massenproduktion'))!.text;
    const nearCopy = s5.replace('aber bereits', 'schon');
    const text = `${SEED}\n\n${s9}\n\n${nearCopy}`;
    const doc = { ...seedDoc, id: 'dup' };
    const all = sentencesOf(text, doc);
    expect(all.filter((s) => s.text === s9)).toHaveLength(2);
    for (const count of [3, 5, 8]) {
      const { picked } = summarizeSentences(all, { count });
      const texts = picked.map((p) => p.text);
      expect(texts.filter((t) => t === s9).length).toBeLessThanOrEqual(1);
      expect(texts.filter((t) => t === s5 || t === nearCopy).length).toBeLessThanOrEqual(1);
      expect(new Set(texts).size).toBe(texts.length);
      checkCitations(renderSummary(picked, doc), { dup: text });
    }
  });

  it('returns sentences in document order, documents in the order given', () => {
    const other = 'Erster Satz über Drohnen aus China.\n\nZweiter Satz über Drohnen für Russland und den Iran.';
    const docB: DocumentRef = { id: 'b', title: 'Zweites Dokument', date: null };
    const all = [...sentencesOf(other, docB), ...sentences];
    const { picked } = summarizeSentences(all, { count: 6 });
    const summary = renderSummary(picked, null);
    const rank = (p: SummarySentence) => (p.doc.id === 'b' ? 0 : 1) * 1e6 + p.start;
    for (let i = 1; i < picked.length; i++) expect(rank(picked[i])).toBeGreaterThan(rank(picked[i - 1]));
    expect(summary.document).toBeNull();
    checkCitations(summary, { b: other, seed: SEED });
    if (picked.some((p) => p.doc.id === 'b') && picked.some((p) => p.doc.id === 'seed')) {
      expect(summary.text).toContain('\n');
    }
  });

  it('keeps the rendered text within maxChars', () => {
    for (const maxChars of [0, 120, 300, 600, 1000]) {
      const { picked } = summarizeSentences(sentences, { count: 5, maxChars });
      const summary = renderSummary(picked, seedDoc);
      expect(summary.text.length).toBeLessThanOrEqual(maxChars);
      if (maxChars >= 300) expect(picked.length).toBeGreaterThan(0);
    }
  });

  it('binary-threshold LexRank also works', () => {
    const { picked } = summarizeSentences(sentences, { count: 3, threshold: 0.1 });
    expect(picked).toHaveLength(3);
  });
});

describe('the seed report under its real title (header line), as the core reads it', () => {
  const { meta, bodyStart } = parseHeaderLines(SEED);
  const doc: DocumentRef = { id: 'seed', title: meta.title!, date: meta.date ?? null };
  const candidates = summaryCandidates({ ref: doc, text: SEED, bodyStart, language: 'de', pages: null }, 1000, null);

  it('candidates start at the body: no header line is a sentence, so the lead prior goes to the lead', () => {
    expect(meta.title).toBe('Bericht: Chinesischer Hersteller soll Kamikazedrohnen für Russland bauen');
    expect(candidates[0].start).toBe(bodyStart);
    expect(candidates[0].text).toMatch(/^Während NATO-Generalsekretär Stoltenberg/);
    expect(candidates.some((c) => /\btitle\b|date 2023/.test(c.text))).toBe(false);
    expect(candidates[0].position).toBe('¶1');
  });

  it('the lead no longer repeats the title, so it is picked; one more sentence keeps the facts of the derived-title summary', () => {
    const withTitle = summarizeSentences(candidates, { count: 4 }).picked.map((p) => p.text);
    expect(withTitle[0]).toMatch(/^Während NATO-Generalsekretär/);
    const derived = candidates.map((c) => ({ ...c, doc: { ...doc, title: deriveTitle(SEED, bodyStart) } }));
    const before = summarizeSentences(derived, { count: 3 }).picked.map((p) => p.text);
    expect(before.some((t) => t.startsWith('Während'))).toBe(false);
    expect(withTitle.slice(1)).toEqual(before);
  });

  it('three summary units of the seed carry the deal (100 prototypes by April) and quote no sentence without its referent', () => {
    const picked = summarizeSentences(candidates, { count: 3 }).picked;
    const text = picked.map((p) => p.text).join(' ');
    expect(text).toContain('100 Drohnen des Prototyps ZT-180');
    expect(text).toContain('bis April');
    // A unit may open with a back-reference only at a paragraph start (its referent is a paragraph).
    for (const p of picked) if (startsDependent(p.text)) expect(SEED.slice(0, p.start)).toMatch(/\n\s*$/);
    expect(text).toMatch(/[.!?"“] In dieser sollen mindestens 6\.000/);
  });
});

describe('dependent sentences are summarised with their antecedent', () => {
  const ref: DocumentRef = { id: 'd', title: 'Werk', date: null };
  const text =
    'Der Konzern baut ein neues Werk in Leipzig. In diesem sollen ab 2025 jährlich 5.000 Batterien entstehen. ' +
    'Dort arbeiten dann 800 Menschen.\n\nDie Stadt begrüßt das Vorhaben. Der Bürgermeister spricht von einem guten Tag.';
  const candidates = summaryCandidates({ ref, text, bodyStart: 0, language: 'de', pages: null }, 100, null);

  it('a sentence opening with "In diesem"/"Dort" is one candidate with the sentence before it, quoted verbatim', () => {
    expect(candidates.map((c) => c.text)).toEqual([
      'Der Konzern baut ein neues Werk in Leipzig. In diesem sollen ab 2025 jährlich 5.000 Batterien entstehen. Dort arbeiten dann 800 Menschen.',
      'Die Stadt begrüßt das Vorhaben.',
      'Der Bürgermeister spricht von einem guten Tag.',
    ]);
    for (const c of candidates) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(candidates[0].terms).toEqual(expect.arrayContaining(indexTerms('Batterien Menschen', 'de', null)));
  });

  it('a paragraph-initial dependent sentence is not joined across the paragraph break', () => {
    const t = 'Erster Absatz endet hier.\n\nDort beginnt der zweite.';
    const c = summaryCandidates({ ref, text: t, bodyStart: 0, language: 'de', pages: null }, 100, null);
    expect(c.map((x) => x.text)).toEqual(['Erster Absatz endet hier.', 'Dort beginnt der zweite.']);
  });

  it('at most MAX_JOINED sentences join one antecedent', () => {
    const t = 'A kam. Er sah. Er siegte. Er ging. Er blieb.';
    const c = summaryCandidates({ ref, text: t, bodyStart: 0, language: 'de', pages: null }, 100, null);
    expect(c.map((x) => x.text)).toEqual(['A kam. Er sah. Er siegte.', 'Er ging. Er blieb.']);
  });
});

describe('summarizeSentences with embeddings', () => {
  const doc: DocumentRef = { id: 'e', title: 'Embeddings', date: null };
  const texts = ['Alpha eins.', 'Beta zwei.', 'Gamma drei.', 'Delta vier.', 'Epsilon fünf.'];
  let offset = 0;
  const sentences: SummarySentence[] = texts.map((t, i) => {
    const s = { doc, start: offset, end: offset + t.length, text: t, position: `s${i + 1}`, terms: [t.split(' ')[0].toLowerCase()] };
    offset += t.length + 1;
    return s;
  });
  const v = (...x: number[]) => Float32Array.from(x);

  it('picks by closeness to the centroid and drops an embedding duplicate', () => {
    // 0 and 1 are the same point (a paraphrase); 2 and 3 are close to the centroid; 4 is an outlier.
    const vectors = [v(1, 1, 0.2), v(1, 1, 0.2), v(1, 0.2, 0.3), v(0.2, 1, 0.3), v(0, 0, 1)];
    const top = summarizeSentences(sentences, { count: 1, vectors }).picked.map((p) => texts.indexOf(p.text));
    expect(top).toEqual([0]); // the most central point (0 and 1 tie; the lead prior breaks the tie)
    for (const count of [2, 3, 4, 5]) {
      const idx = summarizeSentences(sentences, { count, vectors }).picked.map((p) => texts.indexOf(p.text));
      expect(idx.includes(0) && idx.includes(1)).toBe(false);
      expect([...idx].sort()).toEqual(idx);
    }
  });

  it('rejects vectors that do not match the sentences', () => {
    expect(() => summarizeSentences(sentences, { count: 2, vectors: [v(1, 0)] })).toThrow(RangeError);
    expect(() => summarizeSentences(sentences, { count: 2, vectors: sentences.map((_, i) => v(...new Array(i + 1).fill(1))) })).toThrow(RangeError);
  });
});

describe('summarizeSentences input handling', () => {
  it('handles empty input and rejects bad options', () => {
    expect(summarizeSentences([], { count: 3 }).picked).toEqual([]);
    expect(renderSummary([], null)).toEqual({ document: null, text: '', citations: [], mode: 'extractive' });
    expect(() => summarizeSentences([], { count: -1 })).toThrow(RangeError);
    expect(() => summarizeSentences([], { count: 1.5 })).toThrow(RangeError);
    expect(() => summarizeSentences([], { count: 1, maxChars: -5 })).toThrow(RangeError);
    expect(() => summarizeSentences([], { count: 1, threshold: 2 })).toThrow(RangeError);
  });

  it('a one-sentence text whose title was derived from it still gets a summary', () => {
    const text = 'Nur ein einziger Satz über Drohnen aus China für Russland.';
    const doc: DocumentRef = { id: 'one', title: 'Nur ein einziger Satz über Drohnen…', date: null };
    const { picked } = summarizeSentences(sentencesOf(text, doc), { count: 3 });
    expect(picked.map((p) => p.text)).toEqual([text]);
  });
});

describe('SummaryCache', () => {
  const summary: Summary = { document: null, text: 'x [1]', citations: [], mode: 'extractive' };
  const base = { scope: 'seed', documents: [{ id: 'seed', version: 'v1' }], count: 3 };

  it('hits for the same documents and options, misses when a version or option changes', async () => {
    const cache = new SummaryCache();
    const k1 = summaryCacheKey(base);
    expect(cache.get(k1)).toBeUndefined();
    cache.set(k1, summary);
    expect(cache.get(summaryCacheKey({ ...base, documents: [{ id: 'seed', version: 'v1' }] }))).toBe(summary);
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(1);

    const changed = summaryCacheKey({ ...base, documents: [{ id: 'seed', version: 'v2' }] });
    expect(changed).not.toBe(k1);
    expect(cache.get(changed)).toBeUndefined();
    expect(cache.misses).toBe(2);

    const added = summaryCacheKey({ ...base, scope: null, documents: [...base.documents, { id: 'b', version: 'v1' }] });
    const otherCount = summaryCacheKey({ ...base, count: 4 });
    const withLlm = summaryCacheKey({ ...base, llm: 'qwen' });
    const withEmb = summaryCacheKey({ ...base, embeddings: 'e5' });
    expect(new Set([k1, changed, added, otherCount, withLlm, withEmb]).size).toBe(6);

    let made = 0;
    const make = () => {
      made++;
      return summary;
    };
    await cache.getOrCreate(changed, make);
    await cache.getOrCreate(changed, make);
    expect(made).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry', () => {
    const cache = new SummaryCache(2);
    cache.set('a', summary);
    cache.set('b', summary);
    cache.get('a');
    cache.set('c', summary);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(summary);
    expect(cache.get('c')).toBe(summary);
  });
});

describe('headings in summaries', () => {
  const ref: DocumentRef = { id: 'h', title: 'Bahn', date: null };
  it('a heading line is no summary candidate while the document has sentences; alone, it is', () => {
    const text = 'Neue Schnellfahrstrecke\n\nDie Strecke kostet 6,7 Milliarden Euro. Sie soll 2030 fertig sein.\n\nZeitplan:\n\nDer Bau beginnt 2026.';
    const c = summaryCandidates({ ref, text, bodyStart: 0, language: 'de', pages: null }, 100, null).map((x) => x.text);
    expect(c).toEqual(['Die Strecke kostet 6,7 Milliarden Euro. Sie soll 2030 fertig sein.', 'Der Bau beginnt 2026.']);
    const only = summaryCandidates({ ref, text: 'Treffen morgen um 10 Uhr', bodyStart: 0, language: 'de', pages: null }, 100, null);
    expect(only.map((x) => x.text)).toEqual(['Treffen morgen um 10 Uhr']);
  });
});
