/** Bugs found by adversarial testing, kept as regression tests. */
import { describe, expect, it } from 'vitest';
import { resolveDocument } from '../src/discord/documents.js';
import { citationEmbed, LIMITS } from '../src/discord/reply.js';
import type { DocumentInfo } from '../src/core.js';

const doc = (id: string, title: string): DocumentInfo => ({
  id, title, date: null, source: null, language: 'de', scope: '1', chars: 10, chunks: 1, addedAt: '2026-01-01',
});

describe('regressions', () => {
  it('/remove resolves only an id or an exact title, never a blank or partial value', () => {
    const docs = [doc('aaaaaaaaaaaaaaaa', 'Bibliothek'), doc('bbbbbbbbbbbbbbbb', 'Stadtarchiv')];
    expect(resolveDocument(docs, ' ')).toBeUndefined();
    expect(resolveDocument(docs, 'Biblio')).toBeUndefined();
    expect(resolveDocument(docs, 'bibliothek')?.id).toBe('aaaaaaaaaaaaaaaa');
    expect(resolveDocument(docs, 'bbbbbbbbbbbbbbbb')?.title).toBe('Stadtarchiv');
  });

  it('a quote made of many "1." list lines stays within the embed description limit after escaping', () => {
    const quote = Array.from({ length: 600 }, (_, i) => `${i + 1}. punkt nummer ${i} ist wichtig`).join('\n');
    const e = citationEmbed({ n: 1, document: { id: 'x', title: 'Liste', date: null }, quote, start: 0, end: quote.length, score: 1, position: '¶1' });
    expect(e.description!.length).toBeLessThanOrEqual(LIMITS.description);
  });
});
