import { describe, expect, it } from 'vitest';
import { StringTable } from '../src/search/string-table.js';
import { mulberry32 } from '../scripts/lib/metrics.js';

describe('StringTable', () => {
  it('cuts out exactly the joined strings and finds each sorted one by bisection', () => {
    const rand = mulberry32(3);
    const alphabet = ['a', 'b', 'ä', 'ß', 'z', '😀', ' ', '-'];
    for (let round = 0; round < 30; round++) {
      const words = new Set<string>();
      const n = Math.floor(rand() * 200);
      while (words.size < n) words.add(Array.from({ length: Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
      const sorted = [...words].sort();
      const t = StringTable.fromJoined(sorted.join('\n'));
      // The empty text is no strings (a list of one empty string is not written by the cache either).
      const want = sorted.length === 1 && sorted[0] === '' ? [] : sorted;
      expect(t.length).toBe(want.length);
      for (const [i, w] of want.entries()) expect(t.find(w)).toBe(i);
      for (const w of ['ab', 'zzzzzzz', 'äß-', 'b😀']) expect(t.find(w)).toBe(want.indexOf(w));
      expect([...t.all()]).toEqual(want);
      for (let i = 0; i < want.length; i++) expect(t.at(i)).toBe(want[i]);
    }
  });

  it('keeps empty strings between separators and wraps an array without copying', () => {
    const t = StringTable.fromJoined('\nb\n\nd');
    expect([t.at(0), t.at(1), t.at(2), t.at(3)]).toEqual(['', 'b', '', 'd']);
    expect(t.length).toBe(4);
    expect(StringTable.fromJoined('').length).toBe(0);
    const list = ['x', 'y'];
    const u = StringTable.of(list);
    expect(u.all()).toBe(list);
    expect(u.find('y')).toBe(1);
    expect(u.find('w')).toBe(-1);
  });
});
