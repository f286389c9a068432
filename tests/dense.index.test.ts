/** The HNSW vector index: persistence, deletion, growth, and the open-time agreement checks. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VectorIndex } from '../src/store/vectors.js';
import { tempDir } from './helpers.js';

const DIM = 16;
const SPACE = { modelId: 'test/model|quantized|passage-prefix="passage: "', dim: DIM };

/** Deterministic pseudo-random unit vectors. */
function vec(seed: number, dim = DIM): Float32Array {
  let a = (seed * 2654435761) >>> 0;
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    a = (a * 1664525 + 1013904223) >>> 0;
    v[i] = a / 2 ** 32 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function filled(dir: string, n: number, options = {}): VectorIndex {
  const index = VectorIndex.open(dir, SPACE, options);
  for (let id = 1; id <= n; id++) index.add(id, vec(id));
  return index;
}

describe('VectorIndex', () => {
  it('finds a stored vector as its own nearest neighbour with cosine ≈ 1', () => {
    const index = filled(tempDir(), 50);
    const hits = index.search(vec(7), 3);
    expect(hits[0].id).toBe(7);
    expect(hits[0].score).toBeCloseTo(1, 5);
    expect(hits).toHaveLength(3);
    expect(hits[1].score).toBeLessThanOrEqual(hits[0].score);
  });

  it('round-trips through save and open: same ids, same results, state ok, sidecar written', () => {
    const dir = tempDir();
    const a = filled(dir, 40);
    expect(a.opened.state).toBe('new');
    a.save();
    const side = JSON.parse(fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8'));
    expect(side).toMatchObject({ modelId: SPACE.modelId, dim: DIM, count: 40 });
    expect(fs.existsSync(path.join(dir, side.file))).toBe(true);

    const b = VectorIndex.open(dir, SPACE);
    expect(b.opened).toEqual({ state: 'ok' });
    expect(b.size).toBe(40);
    expect(b.ids().sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const q of [3, 17, 40]) expect(b.search(vec(q), 5)).toEqual(a.search(vec(q), 5));
    expect(b.isDirty).toBe(false);
  });

  it('replaces the previous generation on save and leaves no temp files', () => {
    const dir = tempDir();
    const a = filled(dir, 10);
    a.save();
    a.add(11, vec(11));
    a.save();
    const files = fs.readdirSync(dir).sort();
    expect(files.filter((f) => f.endsWith('.hnsw'))).toHaveLength(1);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(VectorIndex.open(dir, SPACE).size).toBe(11);
  });

  it('markDelete: removed ids are never returned, also after a restart; re-adding revives them', () => {
    const dir = tempDir();
    const a = filled(dir, 30);
    expect(a.remove([5, 6, 999])).toBe(2); // 999 unknown: ignored
    expect(a.remove([5])).toBe(0); // already deleted
    expect(a.size).toBe(28);
    const ids = a.search(vec(5), 30).map((h) => h.id);
    expect(ids).not.toContain(5);
    expect(ids).not.toContain(6);
    a.save();
    const b = VectorIndex.open(dir, SPACE);
    expect(b.opened.state).toBe('ok');
    expect(b.size).toBe(28);
    expect(b.has(5)).toBe(false);
    expect(b.search(vec(5), 28).map((h) => h.id)).not.toContain(5);
    b.add(5, vec(5));
    expect(b.search(vec(5), 1)[0].id).toBe(5);
  });

  it('grows past its initial capacity and keeps every vector findable', () => {
    const dir = tempDir();
    const index = filled(dir, 100, { initialCapacity: 8 });
    expect(index.capacity).toBeGreaterThanOrEqual(100);
    expect(index.size).toBe(100);
    for (const q of [1, 8, 9, 64, 100]) expect(index.search(vec(q), 1)[0].id).toBe(q);
    index.save();
    const again = VectorIndex.open(dir, SPACE, { initialCapacity: 8 });
    expect(again.size).toBe(100);
    again.add(101, vec(101));
    expect(again.search(vec(101), 1)[0].id).toBe(101);
  });

  it('compaction frees deleted slots and keeps the live vectors', () => {
    const index = filled(tempDir(), 60);
    index.remove(Array.from({ length: 40 }, (_, i) => i + 1));
    index.compact();
    expect(index.size).toBe(20);
    expect(index.ids().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 41));
    expect(index.search(vec(50), 1)[0].id).toBe(50);
  });

  it('detects another model or dimension and starts empty (→ re-embed)', () => {
    const dir = tempDir();
    filled(dir, 10).save();
    const other = VectorIndex.open(dir, { ...SPACE, modelId: 'other/model' });
    expect(other.opened.state).toBe('mismatch');
    expect(other.opened.state === 'mismatch' && other.opened.reason).toMatch(/other\/model/);
    expect(other.size).toBe(0);
    const wider = VectorIndex.open(dir, { ...SPACE, dim: DIM * 2 });
    expect(wider.opened.state).toBe('mismatch');
    expect(wider.size).toBe(0);
    // Saving under the new model replaces the old files; reopening with it is clean.
    other.add(1, vec(1));
    other.save();
    expect(VectorIndex.open(dir, { ...SPACE, modelId: 'other/model' }).opened.state).toBe('ok');
    expect(VectorIndex.open(dir, SPACE).opened.state).toBe('mismatch');
  });

  it('detects a truncated or missing index file and a count that disagrees with the sidecar', () => {
    const dir = tempDir();
    filled(dir, 10).save();
    const side = JSON.parse(fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8'));
    const file = path.join(dir, side.file);
    const bytes = fs.readFileSync(file);

    fs.writeFileSync(file, bytes.subarray(0, 100));
    expect(VectorIndex.open(dir, SPACE).opened).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/bytes/) });

    fs.rmSync(file);
    expect(VectorIndex.open(dir, SPACE).opened).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/missing/) });

    fs.writeFileSync(file, bytes);
    fs.writeFileSync(path.join(dir, 'vectors.json'), JSON.stringify({ ...side, count: 9 }));
    expect(VectorIndex.open(dir, SPACE).opened).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/10 live/) });

    fs.writeFileSync(path.join(dir, 'vectors.json'), '{not json');
    expect(VectorIndex.open(dir, SPACE).opened.state).toBe('mismatch');
  });

  it('compare() reports ids the store has but the index lacks, and the reverse', () => {
    const index = filled(tempDir(), 5);
    index.remove([2]);
    expect(index.compare([1, 2, 3, 4, 5])).toEqual({ ok: false, missing: [2], extra: [] });
    expect(index.compare([1, 3, 4])).toEqual({ ok: false, missing: [], extra: [5] });
    expect(index.compare([1, 3, 4, 5]).ok).toBe(true);
  });

  it('rejects bad labels and vectors of the wrong length; a filter restricts results', () => {
    const index = filled(tempDir(), 20);
    expect(() => index.add(-1, vec(1))).toThrow(RangeError);
    expect(() => index.add(1.5, vec(1))).toThrow(RangeError);
    expect(() => index.add(3, vec(3, DIM + 1))).toThrow(RangeError);
    expect(() => index.search(vec(3, DIM - 1), 3)).toThrow(RangeError);
    const even = index.search(vec(3), 20, (id) => id % 2 === 0);
    expect(even.length).toBeGreaterThan(0);
    expect(even.every((h) => h.id % 2 === 0)).toBe(true);
    expect(VectorIndex.open(tempDir(), SPACE).search(vec(1), 5)).toEqual([]);
  });
});
