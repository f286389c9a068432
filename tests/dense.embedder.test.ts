/** The transformers.js embedder: offline copy, hub download + cache, and graceful unavailability. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dot } from '../src/embed/embedder.js';
import { loadEmbedder, meanPoolNormalize, modelSource, type TransformersEmbedder } from '../src/embed/transformers.js';
import { tempDir } from './helpers.js';
import { captureLog, embedConfig, modelTree, warnings, type LogLine } from './kit/dense-kit.js';
import { refusingUrl, startFakeHub, type FakeHub } from './kit/fake-hub.js';

let tiny: { root: string; id: string; dir: string };
let lines: LogLine[];
let hub: FakeHub | undefined;

beforeAll(async () => {
  tiny = await modelTree('tiny');
});

afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe('loading from MODEL_DIR (offline copy)', () => {
  it('returns unit vectors of the model dimension, in input order, for both weight files', async () => {
    lines = captureLog();
    for (const quantized of [true, false]) {
      const e = await loadEmbedder(embedConfig({ MODEL_DIR: tiny.root, MODEL_ID: tiny.id, MODEL_QUANTIZED: quantized, EMBED_BATCH: 2 }));
      expect(e).not.toBeNull();
      expect(e!.dim).toBe(32);
      expect(e!.modelId).toBe(tiny.id);
      const texts = ['Drohnen für Russland', 'ein sehr viel längerer Satz über die Produktion von Drohnen im Monat', 'x', ''];
      const batch = await e!.embed(texts, 'passage');
      expect(batch).toHaveLength(4);
      for (const v of batch) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(32);
        expect(norm(v)).toBeCloseTo(1, 5);
      }
      // Batching and length-sorting keep each text's own vector.
      for (let i = 0; i < texts.length; i++) {
        const [single] = await e!.embed([texts[i]], 'passage');
        expect(dot(single, batch[i])).toBeCloseTo(1, 4);
      }
      // Same vectors as the transformers.js pipeline's own mean pooling + normalisation (padded batch).
      const pipe = (e as TransformersEmbedder).pipe;
      const ref = await pipe(texts.map((t) => `passage: ${t}`), { pooling: 'mean', normalize: true });
      for (let i = 0; i < texts.length; i++) {
        expect(dot(batch[i], (ref.data as Float32Array).subarray(i * 32, (i + 1) * 32))).toBeCloseTo(1, 6);
      }
      // The prefix is part of the input: a query vector differs from the passage vector.
      const [q] = await e!.embed([texts[0]], 'query');
      expect(dot(q, batch[0])).toBeLessThan(0.99999);
      expect(await e!.embed([], 'query')).toEqual([]);
    }
    expect(warnings(lines)).toHaveLength(0);
  });

  it('accepts MODEL_DIR pointing at the model folder itself', async () => {
    const e = await loadEmbedder(embedConfig({ MODEL_DIR: tiny.dir, MODEL_ID: 'any/name' }));
    expect(e?.dim).toBe(32);
    expect(modelSource(embedConfig({ MODEL_DIR: tiny.dir })).request).toBe('tiny');
  });

  it('fingerprints differ by weight variant and passage prefix, not by query prefix', async () => {
    const base = { MODEL_DIR: tiny.root, MODEL_ID: tiny.id };
    const a = await loadEmbedder(embedConfig(base));
    const b = await loadEmbedder(embedConfig({ ...base, MODEL_QUANTIZED: false }));
    const c = await loadEmbedder(embedConfig({ ...base, PASSAGE_PREFIX: '' }));
    const d = await loadEmbedder(embedConfig({ ...base, QUERY_PREFIX: 'q: ' }));
    expect(new Set([a!.fingerprint, b!.fingerprint, c!.fingerprint]).size).toBe(3);
    expect(d!.fingerprint).toBe(a!.fingerprint);
  });
});

describe('meanPoolNormalize', () => {
  it('averages attended positions only and scales to unit length', () => {
    // two sequences of length 3, d = 2; the second has one padded position
    const hidden = new Float32Array([1, 0, 3, 0, 5, 0, 0, 2, 0, 4, 9, 9]);
    const [a, b] = meanPoolNormalize(hidden, [1n, 1n, 1n, 1n, 1n, 0n], 2, 3, 2);
    expect([...a]).toEqual([1, 0]);
    expect([...b]).toEqual([0, 1]);
    expect(() => meanPoolNormalize(new Float32Array(2), [0n], 1, 1, 2)).toThrow(/no attended/);
  });
});

describe('model unavailable → null and exactly one warning', () => {
  it('MODEL_DIR without the files (remote disabled)', async () => {
    lines = captureLog();
    const empty = tempDir();
    const e = await loadEmbedder(embedConfig({ MODEL_DIR: empty, MODEL_ID: tiny.id }));
    expect(e).toBeNull();
    const w = warnings(lines);
    expect(w).toHaveLength(1);
    expect(w[0].msg).toMatch(/Dense retrieval is OFF/);
    expect(w[0].msg).toMatch(/Lexical search runs alone/);
    expect(w[0].msg).toContain(empty);
  });

  it('MODEL_DIR with a broken ONNX file', async () => {
    lines = captureLog();
    const root = tempDir();
    fs.cpSync(tiny.dir, path.join(root, tiny.id), { recursive: true });
    fs.writeFileSync(path.join(root, tiny.id, 'onnx', 'model_quantized.onnx'), 'not a model');
    // transformers.js console.warn()s the onnxruntime error with its stack, and the wasm fallback
    // prints it again: library noise this test provokes on purpose, kept out of the test output.
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    let e;
    try {
      e = await loadEmbedder(embedConfig({ MODEL_DIR: root, MODEL_ID: tiny.id }));
    } finally {
      consoleWarn.mockRestore();
      consoleError.mockRestore();
    }
    expect(e).toBeNull();
    const w = warnings(lines);
    expect(w).toHaveLength(1);
    expect(w[0].msg).toMatch(/Dense retrieval is OFF/);
    expect(`${w[0].msg} ${String(w[0].reason ?? '')}`).toMatch(/protobuf|model/i);
  });

  it('remote host refusing connections, nothing cached', async () => {
    lines = captureLog();
    const e = await loadEmbedder(
      embedConfig({ MODEL_ID: tiny.id, MODEL_REMOTE_HOST: await refusingUrl(), MODEL_CACHE_DIR: tempDir() }),
    );
    expect(e).toBeNull();
    const w = warnings(lines);
    expect(w).toHaveLength(1);
    expect(w[0].msg).toMatch(/Dense retrieval is OFF.*Lexical search runs alone.*npm run model:fetch/s);
    expect(String(w[0].reason)).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('hub without that model (HTTP 404)', async () => {
    lines = captureLog();
    hub = await startFakeHub({});
    const e = await loadEmbedder(embedConfig({ MODEL_ID: tiny.id, MODEL_REMOTE_HOST: hub.url, MODEL_CACHE_DIR: tempDir() }));
    expect(e).toBeNull();
    expect(warnings(lines)).toHaveLength(1);
    expect(hub.requests.length).toBeGreaterThan(0);
  });

  it('EMBEDDINGS=off: null without a warning', async () => {
    lines = captureLog();
    expect(await loadEmbedder(embedConfig({ EMBEDDINGS: 'off', MODEL_DIR: tiny.root, MODEL_ID: tiny.id }))).toBeNull();
    expect(warnings(lines)).toHaveLength(0);
    expect(lines.some((l) => /EMBEDDINGS=off/.test(l.msg))).toBe(true);
  });
});

describe('download from a hub, then offline reuse', () => {
  it('downloads the four files once into MODEL_CACHE_DIR and later loads them with the hub stopped', async () => {
    lines = captureLog();
    hub = await startFakeHub({ [tiny.id]: tiny.dir });
    const cacheDir = tempDir();
    const config = embedConfig({ MODEL_ID: tiny.id, MODEL_REMOTE_HOST: hub.url, MODEL_CACHE_DIR: cacheDir });
    const events: string[] = [];
    const first = await loadEmbedder(config, { onProgress: (p) => events.push(`${p.status}:${p.file ?? ''}`) });
    expect(first?.dim).toBe(32);
    const files = hub.requests.filter((r) => r.status === 200).map((r) => r.path.replace(/^.*\/resolve\/main\//, '')).sort();
    expect(files).toEqual(['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(events).toContain('done:onnx/model_quantized.onnx');
    expect(fs.existsSync(path.join(cacheDir, tiny.id, 'onnx', 'model_quantized.onnx'))).toBe(true);
    const [v1] = await first!.embed(['Drohnen im Monat'], 'passage');

    const before = hub.requests.length;
    const second = await loadEmbedder(config);
    expect(hub.requests.length).toBe(before); // served from the cache, no request at all

    await hub.stop();
    hub = undefined;
    const offline = await loadEmbedder(config);
    expect(offline?.dim).toBe(32);
    const [v2] = await offline!.embed(['Drohnen im Monat'], 'passage');
    expect(dot(v1, v2)).toBeCloseTo(1, 5);
    expect(second).not.toBeNull();
    expect(warnings(lines)).toHaveLength(0);
  });
});
