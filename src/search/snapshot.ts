/**
 * The lexical index snapshot file: a JSON header and typed arrays, written atomically (temp file
 * in the same directory, fsync, rename, fsync of the directory) and checked on load.
 *
 * Layout (little-endian, as the typed arrays of every platform Node runs on):
 *   bytes 0..7    magic "DOSSLEX1"
 *   bytes 8..11   header length H (uint32)
 *   bytes 12..    header: UTF-8 JSON {format, version, crc32 | sha1, strings, arrays: [{name, type, length}]}
 *   then, from the next multiple of 8, each array's bytes in header order, each padded to 8.
 * The checksum (CRC-32, zlib's; SHA-1 where Node lacks `zlib.crc32`, and in format-1 files)
 * covers everything after the header; a truncated or altered file is refused
 * ({@link SnapshotError}), never half-loaded. The opaque `version` string is the caller's (the
 * store version of src/store/index-version.ts): a caller loads a snapshot only when it matches.
 *
 * Format 2 (format 1 files, SHA-1, still load): CRC-32 instead of SHA-1, ~30 ms less per load of
 * the bench's 52k-chunk snapshot (35 MB). Packing the vocabularies out of the JSON header
 * (UTF-8 text + offsets, cut into strings on load) was tried and left out: ~10 ms faster but
 * 4 MB more memory at 52k chunks (the sliced strings keep their decoded text alive).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MAGIC = 'DOSSLEX1';
/** Bumped whenever the layout or the meaning of the arrays changes (older files are rebuilt). */
export const SNAPSHOT_FORMAT = 2;
/** Formats this reader accepts (1: SHA-1). */
const READABLE_FORMATS = new Set([1, 2]);

/** Checksum of a snapshot body: CRC-32 when this Node has it (v20.15+), else SHA-1. */
function checksum(body: Uint8Array): { crc32: number } | { sha1: string } {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return crc32 ? { crc32: crc32(body) } : { sha1: crypto.createHash('sha1').update(body).digest('hex') };
}

type TypedArray = Int32Array | Float64Array | Uint8Array;
const TYPES = { i32: Int32Array, f64: Float64Array, u8: Uint8Array } as const;
type TypeName = keyof typeof TYPES;

/** What a snapshot holds: named string lists and named typed arrays. */
export interface SnapshotContent {
  version: string;
  strings: Record<string, (string | null)[]>;
  arrays: Record<string, TypedArray>;
}

/** A snapshot file that cannot be used (missing, truncated, corrupt, other format). */
export class SnapshotError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`lexical index snapshot ${file}: ${message}`);
    this.name = 'SnapshotError';
  }
}

function typeName(a: TypedArray): TypeName {
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Float64Array) return 'f64';
  return 'u8';
}

const pad8 = (n: number) => (n + 7) & ~7;

/**
 * Write a snapshot atomically: a crash leaves either the previous file or the new one.
 * @throws the file system's error (the temp file is removed; the previous snapshot is kept).
 */
export function writeSnapshot(file: string, content: SnapshotContent): void {
  const { arrays, strings } = content;
  const names = Object.keys(arrays);
  const bodyLen = names.reduce((n, k) => n + pad8(arrays[k].byteLength), 0);
  const body = Buffer.alloc(bodyLen);
  let at = 0;
  for (const k of names) {
    const a = arrays[k];
    body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  const header = Buffer.from(
    JSON.stringify({
      format: SNAPSHOT_FORMAT,
      version: content.version,
      ...checksum(body),
      strings,
      arrays: names.map((name) => ({ name, type: typeName(arrays[name]), length: arrays[name].length })),
    }),
    'utf8',
  );
  const head = Buffer.alloc(pad8(12 + header.length));
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, 8);
  header.copy(head, 12);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, head);
      fs.writeSync(fd, body);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * Read a snapshot written by {@link writeSnapshot}.
 * @returns null when the file does not exist.
 * @throws SnapshotError when it exists but is unusable (the caller rebuilds from the store).
 */
export function readSnapshot(file: string): SnapshotContent | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SnapshotError(`cannot be read (${(err as Error).message})`, file);
  }
  const fail = (why: string): never => {
    throw new SnapshotError(why, file);
  };
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) fail('not a snapshot file');
  const hLen = buf.readUInt32LE(8);
  if (12 + hLen > buf.length) fail('truncated header');
  let header: { format: number; version: string; sha1?: string; crc32?: number; strings: Record<string, (string | null)[]>; arrays: { name: string; type: TypeName; length: number }[] };
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + hLen));
  } catch {
    return fail('unreadable header');
  }
  if (!READABLE_FORMATS.has(header.format)) fail(`format ${header.format}, expected ${SNAPSHOT_FORMAT}`);
  if (typeof header.version !== 'string' || !Array.isArray(header.arrays) || typeof header.strings !== 'object' || header.strings === null) fail('bad header');
  const start = pad8(12 + hLen);
  const body = buf.subarray(start);
  const sum = typeof header.crc32 === 'number' ? checksum(body) : { sha1: crypto.createHash('sha1').update(body).digest('hex') };
  const want = typeof header.crc32 === 'number' ? { crc32: header.crc32 } : { sha1: header.sha1 };
  if (!('crc32' in sum) && 'crc32' in want) fail('checksum is CRC-32, which this Node cannot compute');
  if (JSON.stringify(sum) !== JSON.stringify(want)) fail('checksum mismatch (truncated or altered)');
  const arrays: Record<string, TypedArray> = {};
  let at = 0;
  for (const { name, type, length } of header.arrays) {
    const T = TYPES[type];
    if (!T || !Number.isInteger(length) || length < 0) fail(`bad array ${name}`);
    const bytes = length * T.BYTES_PER_ELEMENT;
    if (at + bytes > body.length) fail(`array ${name} runs past the end`);
    // A view on the file's buffer when it is aligned for the type (the usual case: a large file
    // is read into a buffer of its own and the layout pads to 8); else a copy.
    const off = body.byteOffset + at;
    let a: TypedArray;
    if (off % T.BYTES_PER_ELEMENT === 0) a = new T(body.buffer as ArrayBuffer, off, length);
    else {
      a = new T(length);
      new Uint8Array(a.buffer).set(body.subarray(at, at + bytes));
    }
    arrays[name] = a;
    at += pad8(bytes);
  }
  return { version: header.version, strings: header.strings, arrays };
}
