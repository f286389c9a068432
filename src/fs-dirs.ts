/**
 * Creating folders one level at a time. `fs.mkdirSync(dir, { recursive: true })` never returns for
 * some paths (under /proc it retries the same ENOENT forever on Node 20) and reports the deepest
 * missing level rather than the one that failed; this walks up to the nearest existing ancestor
 * and creates the missing levels from the top, so the error is the first real one (EROFS on a
 * read-only mount, EACCES, ENOTDIR when a level is a file, ENOENT where nothing can be created).
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Make sure `dir` exists as a folder, creating missing levels. Linear in the path's depth.
 * @throws the file system's error (with its `code`) for the first level that cannot be created,
 *   or an ENOTDIR error when `dir` or an ancestor exists but is not a folder.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
      break;
    }
    const up = path.dirname(at);
    missing.push(at);
    if (up === at) break;
    at = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      fs.mkdirSync(missing[i]);
    } catch (e) {
      // Made meanwhile by another process: fine when it is a folder.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(missing[i]).isDirectory()) throw e;
    }
  }
}
