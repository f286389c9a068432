import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Packages that the core's import resolves (in a fresh Node process). */
function packagesResolvedBy(code: string): Set<string> {
  const hook = pathToFileURL(path.join(ROOT, 'tests/kit/resolve-hook.mjs')).href;
  const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hook)})`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.split('\n').filter((l) => !l.startsWith('RESOLVED')).join('\n')}`);
  const out = r.stderr;
  return new Set([...out.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]));
}

describe('importing the core', () => {
  it('loads neither the embedding model stack nor the HTML/PDF parsers', () => {
    const pkgs = packagesResolvedBy("await import('./src/core.ts')");
    expect(pkgs.has('better-sqlite3')).toBe(true); // the hook does see the core's own dependencies
    for (const heavy of ['@xenova/transformers', 'onnxruntime-node', 'onnxruntime-web', 'sharp', 'linkedom', '@mozilla/readability', 'pdfjs-dist', 'hnswlib-node']) {
      expect(pkgs.has(heavy), heavy).toBe(false);
    }
  }, 60_000);

  it('loads the HTML parser once an HTML file is parsed', () => {
    const pkgs = packagesResolvedBy(
      "const { parseBytes } = await import('./src/corpus/parse.ts'); await parseBytes(new TextEncoder().encode('<html><body><p>Hallo Welt, ein Satz.</p></body></html>'), { filename: 'a.html', maxBytes: 1e6 });",
    );
    expect(pkgs.has('linkedom')).toBe(true);
  }, 60_000);
});
