/** makeDirs (src/fs-dirs.ts): folders created level by level, and the first real error reported. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../src/fs-dirs.js';
import { openDatabase } from '../src/store/db.js';
import { StorageError } from '../src/store/errors.js';
import { tempDir } from './helpers.js';

describe('makeDirs', () => {
  it('creates every missing level and accepts an existing folder', () => {
    const root = tempDir();
    const deep = path.join(root, 'a', 'b', 'c');
    makeDirs(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    makeDirs(deep);
    makeDirs(root);
    expect(fs.readdirSync(path.join(root, 'a'))).toEqual(['b']);
  });

  it('refuses a path through a file with ENOTDIR and creates nothing', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'file'), 'x');
    expect(() => makeDirs(path.join(root, 'file', 'data'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirs(path.join(root, 'file'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(fs.readdirSync(root)).toEqual(['file']);
  });

  // Node 20's recursive mkdir loops forever here; the store must name the failure instead.
  it.skipIf(!fs.existsSync('/proc/self'))('returns an error for a folder under /proc, and the store names it', () => {
    expect(() => makeDirs('/proc/dossier-no-such/data')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    let err: unknown;
    try {
      openDatabase('/proc/dossier-no-such/data');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).message).toContain('/proc/dossier-no-such/data/dossier.sqlite');
  });
});
