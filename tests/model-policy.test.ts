/** Issue 14 item 3: the CLI never downloads the model; model:fetch has help. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DENSE_OFF_NOTE, loadEmbedder } from '../src/embed/transformers.js';
import { log, setLogger } from '../src/log.js';
import { ROOT, tempDir } from './helpers.js';

describe('model loading policy', () => {
  it('download: false with nothing on disk: null, no request to the hub, one warning line per data folder', async () => {
    let requests = 0;
    const hub = http.createServer((_q, r) => {
      requests++;
      r.writeHead(404).end();
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    const port = (hub.address() as { port: number }).port;
    const lines: { level: number; msg: string }[] = [];
    const previous = log();
    setLogger(pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) }));
    try {
      const dataDir = tempDir();
      const config = loadConfig({ DATA_DIR: dataDir, MODEL_CACHE_DIR: tempDir(), MODEL_REMOTE_HOST: `http://127.0.0.1:${port}/` }, {});
      expect(await loadEmbedder(config, { download: false })).toBeNull();
      expect(requests).toBe(0);
      const warned = () => lines.filter((l) => l.level >= 40);
      expect(warned()).toHaveLength(1);
      expect(warned()[0].msg).toMatch(/dense retrieval is off: .* not downloaded.*npm run model:fetch.*said once for /);
      expect(fs.existsSync(path.join(dataDir, DENSE_OFF_NOTE))).toBe(true);
      // Later CLI calls on the same data folder: no warning again (info only), still no request.
      for (let i = 0; i < 2; i++) expect(await loadEmbedder(config, { download: false })).toBeNull();
      expect(warned()).toHaveLength(1);
      expect(lines.filter((l) => l.level === 30 && /dense retrieval is off/.test(l.msg))).toHaveLength(2);
      expect(requests).toBe(0);
      // Another data folder, or another model, is told once too.
      await loadEmbedder(loadConfig({ ...config, DATA_DIR: tempDir() }, {}), { download: false });
      expect(warned()).toHaveLength(2);
      await loadEmbedder(loadConfig({ ...config, MODEL_ID: 'other/model' }, {}), { download: false });
      expect(warned()).toHaveLength(3);
      lines.length = 0;
      // The bot's default may download: it asks the hub.
      expect(await loadEmbedder(config)).toBeNull();
      expect(requests).toBeGreaterThan(0);
    } finally {
      setLogger(previous);
      hub.close();
    }
  }, 60_000);

  it('model:fetch --help prints help and downloads nothing', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'fetch-model.ts'), '--help'], {
      cwd: ROOT,
      env: { ...process.env, MODEL_CACHE_DIR: tempDir(), MODEL_REMOTE_HOST: 'http://127.0.0.1:9/' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run model:fetch/);
    expect(r.stderr).not.toMatch(/Model .* from/);
  }, 70_000);
});
