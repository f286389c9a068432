/**
 * No import cycles among the modules of src/ (value imports; `import type` is erased by the
 * compiler and cannot form a run-time cycle). Cycles are found by a depth-first search with
 * three colours (Cormen et al., Introduction to Algorithms, §22.3: a back edge means a cycle).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');

function modules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return modules(p);
    return /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative value imports and re-exports of one module, resolved to .ts files. */
function valueImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    if (m[2]) continue;
    // `import { type A, type B } from` imports types only.
    const braces = /^\{([^}]*)\}\s*from\s+$/.exec(m[3] ?? '');
    if (braces && braces[1].split(',').map((x) => x.trim()).filter(Boolean).every((x) => x.startsWith('type '))) continue;
    const target = path.resolve(path.dirname(file), m[4]).replace(/\.js$/, '.ts');
    if (fs.existsSync(target)) out.push(target);
  }
  return out;
}

/** Every cycle's modules (relative to src/), one per back edge. */
function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, valueImports(f)]));
  const colour = new Map<string, 0 | 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    colour.set(f, 1);
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      const c = colour.get(g) ?? 0;
      if (c === 1) cycles.push(stack.slice(stack.indexOf(g)).map((x) => path.relative(SRC, x)));
      else if (c === 0) visit(g);
    }
    stack.pop();
    colour.set(f, 2);
  };
  for (const f of files) if (!colour.get(f)) visit(f);
  return cycles;
}

describe('module structure', () => {
  it('src/ has no import cycles (value imports)', () => {
    const files = modules(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(importCycles(files)).toEqual([]);
  });

  it('the cycle finder finds a planted cycle', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import type { a } from './a.js';\nimport { type b } from './b.js';\nexport type C = typeof a | typeof b;\n");
      const found = importCycles(modules(dir));
      expect(found).toHaveLength(1);
      expect(found[0].map((x) => path.basename(x)).sort()).toEqual(['a.ts', 'b.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
