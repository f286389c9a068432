/**
 * Bulk ingestion: find document files under a folder (or take one file) and parse them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, type ParsedDocument } from './types.js';
import { EXTENSION_FORMATS, parseBytes } from './parse.js';

/** A file found by {@link loadPath}. */
export interface FoundFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the folder given to loadPath, with '/' separators (the file name for a single file). */
  relPath: string;
  /** Size in bytes (from stat). */
  size: number;
}

/** Options for {@link loadPath}. */
export interface LoadPathOptions {
  /** Extensions (lower case, with dot) to pick up in folders; default: all of EXTENSION_FORMATS. */
  extensions?: readonly string[];
}

/**
 * List the documents at `target`.
 *
 * - A file: yielded as is, whatever its extension (the parser decides whether it can read it).
 * - A folder: walked recursively in sorted (code point) order; yields regular files with a
 *   supported extension; skips hidden entries (name starting with '.') and does not follow
 *   symbolic links to folders (no cycles); symbolic links to files are followed. Unreadable
 *   sub-folders are skipped.
 *
 * @throws InputError 'not-found' when `target` does not exist, 'unsupported-type' when it is
 *   neither a file nor a folder.
 */
export async function* loadPath(target: string, opts: LoadPathOptions = {}): AsyncGenerator<FoundFile> {
  const exts = new Set((opts.extensions ?? Object.keys(EXTENSION_FORMATS)).map((e) => e.toLowerCase()));
  const root = path.resolve(target);
  let st;
  try {
    st = await fs.stat(root);
  } catch {
    throw new InputError(`There is no file or folder at ${target}.`, 'not-found');
  }
  if (st.isFile()) {
    yield { path: root, relPath: path.basename(root), size: st.size };
    return;
  }
  if (!st.isDirectory()) throw new InputError(`${target} is neither a file nor a folder.`, 'unsupported-type');
  yield* walk(root, root, exts);
}

async function* walk(dir: string, root: string, exts: Set<string>): AsyncGenerator<FoundFile> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: skip
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      yield* walk(full, root, exts);
      continue;
    }
    if (!exts.has(path.extname(e.name).toLowerCase())) continue;
    let size: number;
    if (e.isFile()) {
      size = (await fs.stat(full).catch(() => null))?.size ?? -1;
    } else if (e.isSymbolicLink()) {
      const t = await fs.stat(full).catch(() => null); // follows the link
      if (!t || !t.isFile()) continue;
      size = t.size;
    } else continue;
    if (size < 0) continue;
    yield { path: full, relPath: path.relative(root, full).split(path.sep).join('/'), size };
  }
}

/**
 * Read and parse one file found by {@link loadPath}. The size is checked from stat before reading,
 * so an oversized file is never loaded into memory.
 *
 * @param file a path or a {@link FoundFile}
 * @param opts.maxBytes size limit; `source` defaults to the relative path
 * @throws InputError from {@link parseBytes}, plus 'not-found' when the file cannot be read.
 */
export async function parseFile(
  file: string | FoundFile,
  opts: { maxBytes: number; source?: string },
): Promise<ParsedDocument> {
  const f: FoundFile =
    typeof file === 'string' ? { path: path.resolve(file), relPath: path.basename(file), size: -1 } : file;
  let size = f.size;
  if (size < 0) {
    try {
      size = (await fs.stat(f.path)).size;
    } catch {
      throw new InputError(`Cannot read ${f.relPath}: the file does not exist.`, 'not-found');
    }
  }
  if (size > opts.maxBytes) throw tooLarge(f.relPath, size, opts.maxBytes); // without reading it
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(f.path);
  } catch {
    throw new InputError(`Cannot read ${f.relPath}.`, 'not-found');
  }
  return parseBytes(bytes, { filename: f.relPath, maxBytes: opts.maxBytes, source: opts.source ?? f.relPath });
}

function tooLarge(name: string, size: number, max: number): InputError {
  return new InputError(`${name} is too large (${formatBytes(size)}; the limit is ${formatBytes(max)}).`, 'too-large');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
