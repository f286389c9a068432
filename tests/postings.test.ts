import { describe, expect, it } from 'vitest';
import { narrowTf, Postings } from '../src/search/postings.js';
import { mulberry32 } from '../scripts/lib/metrics.js';

/** Every live unit's (term → tf) pairs, read through the public API. */
function contents(p: Postings): Map<number, string> {
  const out = new Map<number, string>();
  for (let s = 0; s < p.slotBound; s++) if (p.isAlive(s)) out.set(p.idOf(s), p.unitTerms(p.idOf(s)).join(' '));
  return out;
}

/** Random units over a small vocabulary (repeats included), some terms up to 300 times. */
function units(seed: number, n: number): [number, string[]][] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const terms: string[] = [];
    const len = 1 + Math.floor(rnd() * 20);
    for (let k = 0; k < len; k++) terms.push(`w${Math.floor(rnd() * 40)}`);
    if (rnd() < 0.05) for (let k = 0; k < 300; k++) terms.push('many');
    return [i * 3 + 1, terms];
  });
}

describe('postings storage', () => {
  it('keeps term frequencies in one byte when they fit, 32 bits otherwise, same values', () => {
    expect(narrowTf(Int32Array.from([1, 2, 255]))).toBeInstanceOf(Uint8Array);
    expect([...narrowTf(Int32Array.from([1, 2, 255]))]).toEqual([1, 2, 255]);
    expect(narrowTf(Int32Array.from([1, 256]))).toBeInstanceOf(Int32Array);
    const p = new Postings();
    p.add(1, ['a', 'a', 'b']);
    p.add(2, Array.from({ length: 300 }, () => 'c'));
    const wide = Postings.from(p.export());
    expect(wide.export().tf).toBeInstanceOf(Int32Array);
    p.remove(2);
    const narrow = Postings.from(p.export());
    expect(narrow.export().tf).toBeInstanceOf(Uint8Array);
    expect(contents(narrow)).toEqual(new Map([[1, 'a a b']]));
  });

  it('exports terms in another postings’ order and then shares one vocabulary, copying it before a write', () => {
    const us = units(7, 200);
    const a = new Postings();
    const b = new Postings();
    for (const [id, t] of us) a.add(id, t);
    // b sees the same units with each unit's terms reversed: another first-occurrence order.
    for (const [id, t] of us) b.add(id + 1, [...t].reverse());
    const da = a.export();
    const db = b.exportInOrderOf(a);
    expect(db.terms).toEqual(da.terms);
    const a2 = Postings.from(da);
    const b2 = Postings.from(db);
    expect(contents(b2)).toEqual(contents(b));
    expect(b2.shareVocabulary(a2)).toBe(true);
    for (const t of ['w0', 'w39', 'many', 'nope']) expect(b2.termId(t) >= 0).toBe(b.termId(t) >= 0);
    // A new term in one does not appear in the other; both keep answering for the old ones.
    a2.add(9999, ['fresh', 'w1']);
    expect(a2.termId('fresh')).toBeGreaterThanOrEqual(0);
    expect(b2.termId('fresh')).toBe(-1);
    b2.add(8888, ['other', 'w2']);
    expect(a2.termId('other')).toBe(-1);
    expect(b2.termId('other')).toBeGreaterThanOrEqual(0);
    expect(b2.termId('w2')).toBeGreaterThanOrEqual(0);
    expect(contents(b2).get(8888)).toBe('other w2');
    expect(contents(a2).get(9999)).toBe('fresh w1');
  });

  it('does not share vocabularies that differ', () => {
    const a = new Postings();
    const b = new Postings();
    a.add(1, ['x', 'y']);
    b.add(1, ['y', 'x']);
    expect(Postings.from(b.export()).shareVocabulary(Postings.from(a.export()))).toBe(false);
  });

  it('finds units by id whether ids ascend (binary search) or not (map), through removals, re-adds and compaction', () => {
    const rnd = mulberry32(3);
    for (const order of ['ascending', 'shuffled'] as const) {
      const p = new Postings();
      const ref = new Map<number, string>();
      const ids = Array.from({ length: 300 }, (_, i) => i * 2 + 1);
      if (order === 'shuffled') ids.sort(() => rnd() - 0.5);
      for (const id of ids) {
        p.add(id, [`t${id % 7}`]);
        ref.set(id, `t${id % 7}`);
        if (rnd() < 0.2) {
          const victim = ids[Math.floor(rnd() * ids.length)];
          p.remove(victim);
          ref.delete(victim);
        }
        if (rnd() < 0.1 && ref.size > 0) {
          const again = [...ref.keys()][0];
          p.add(again, ['again']);
          ref.set(again, 'again');
        }
        if (rnd() < 0.02) p.compact();
      }
      expect(p.size).toBe(ref.size);
      expect(contents(p)).toEqual(ref);
      for (let id = 0; id < 700; id++) expect(p.slot(id) >= 0).toBe(ref.has(id));
      const q = Postings.from(p.export());
      expect(contents(q)).toEqual(ref);
      for (let id = 0; id < 700; id++) expect(q.slot(id) >= 0).toBe(ref.has(id));
    }
  });
});
