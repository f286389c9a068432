/**
 * Loading the Ding dictionary under bad conditions (breaker trial, session 3): a lock left by a
 * killed first run, DICT_PATH naming a folder, a device or a file that is no dictionary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadDictionary } from '../src/search/dictionary.js';
import { tempDir } from './helpers.js';
import { withLogs } from './kit/log-capture.js';
import { DING_FIXTURE } from './kit/ding-fixture.js';

/** A fresh Ding file (own path, so the in-process cache of loadDictionary never answers). */
function dingFile(): string {
  const f = path.join(tempDir(), 'de-en');
  fs.writeFileSync(f, DING_FIXTURE);
  return f;
}

/** The pid of a process that has exited (so `kill(pid, 0)` fails). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('dictionary cache lock', () => {
  it('a lock left by a killed process is broken at once, not waited out', async () => {
    const dictPath = dingFile();
    const cache = tempDir();
    const stat = fs.statSync(dictPath);
    // The lock name the loader uses: the cache file's name + ".lock" (any ding-v*-size-mtime.bin).
    const first = await withLogs(() => loadDictionary(dictPath, cache));
    expect(first.result).not.toBeNull();
    const bin = fs.readdirSync(cache).find((f) => f.endsWith('.bin'))!;
    expect(bin).toContain(`-${stat.size}-`);
    // Same file, touched: a new cache name; a dead process "holds" its lock.
    const again = dingFile();
    fs.copyFileSync(dictPath, again);
    const cache2 = tempDir();
    const lockName = path.join(cache2, bin.replace(/-\d+-\d+\.bin$/, `-${fs.statSync(again).size}-${Math.floor(fs.statSync(again).mtimeMs)}.bin.lock`));
    fs.writeFileSync(lockName, JSON.stringify({ pid: deadPid(), host: os.hostname(), token: 'dead', at: Date.now() }));
    const t0 = Date.now();
    const { result } = await withLogs(() => loadDictionary(again, cache2));
    expect(result).not.toBeNull();
    expect(result!.en.get('drones')).toContain('drohnen');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(fs.existsSync(lockName)).toBe(false);
  });
});

describe('DICT_PATH that is no dictionary', () => {
  it.each([
    ['a folder', () => tempDir()],
    ['a character device', () => '/dev/zero'],
    ['a text file without Ding entries', () => {
      const f = path.join(tempDir(), 'passwd');
      fs.writeFileSync(f, 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
      return f;
    }],
  ])('%s: no dictionary, one warning naming DICT_PATH, no throw', async (_what, make) => {
    const p = make();
    const { result, lines } = await withLogs(() => loadDictionary(p, tempDir()));
    expect(result).toBeNull();
    const warned = lines.filter((l) => l.level === 40 && /DICT_PATH/.test(l.msg));
    expect(warned).toHaveLength(1);
    expect(warned[0].msg).toContain('cross-lingual matching is off');
  });
});
