/**
 * A cross-process lock on one file name, for files that several processes on one DATA_DIR write
 * (the vector index). Synchronous, because the code it guards (hnswlib reads and writes) is.
 *
 * The lock is a file created with O_EXCL (`open(…, 'wx')`, atomic on local file systems; POSIX
 * open(2)) holding `{pid, host, token, at}`. A waiter polls until the file is gone. A lock is
 * stale, and is broken, when its holder is a process on this host that no longer runs
 * (`kill(pid, 0)` fails with ESRCH), or when it is older than `staleMs` (a holder on another
 * host, or a reused pid). Breaking goes through a second O_EXCL file (`<lock>.break`) and
 * re-reads the lock's token first, so two waiters that both saw the same stale lock cannot
 * delete a fresh lock taken in between.
 */
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';

/** Raised when the lock stays held by a live process for longer than `timeoutMs`. */
export class LockTimeoutError extends Error {
  constructor(
    readonly file: string,
    readonly holder: string,
    timeoutMs: number,
  ) {
    super(`could not take the lock ${file} within ${timeoutMs} ms (held by ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

export interface FileLockOptions {
  /** Give up after this many milliseconds of waiting (default 30 000). */
  timeoutMs?: number;
  /** A lock older than this (milliseconds) is stale whatever its pid (default 120 000). */
  staleMs?: number;
  /** Poll interval while waiting, milliseconds (default 20). */
  pollMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  at: number;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function readHolder(file: string): { holder: Holder | null; mtimeMs: number } | null {
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    let holder: Holder | null = null;
    try {
      const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
      if (Number.isInteger(h.pid) && typeof h.token === 'string') holder = h;
    } catch {
      holder = null; // empty or half-written: judged by age alone
    }
    return { holder, mtimeMs };
  } catch {
    return null; // gone
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function isStale(found: { holder: Holder | null; mtimeMs: number }, staleMs: number): boolean {
  const age = Date.now() - found.mtimeMs;
  if (age > staleMs) return true;
  const h = found.holder;
  if (!h) return age > 5000; // a creator that died between open and write
  return h.host === os.hostname() && h.pid !== process.pid && !processRuns(h.pid);
}

/** Remove `file` if it still holds the stale lock `seen` (same token, or still unreadable). */
function breakStale(file: string, seen: { holder: Holder | null }): void {
  const guard = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(guard, 'wx');
  } catch {
    // Someone else is breaking it; a guard left by a crashed breaker expires after 10 s.
    const g = readHolder(guard);
    if (g && Date.now() - g.mtimeMs > 10_000) fs.rmSync(guard, { force: true });
    return;
  }
  try {
    const now = readHolder(file);
    if (now && (now.holder?.token ?? null) === (seen.holder?.token ?? null)) fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Take the lock `file`, run `fn`, release the lock (also when `fn` throws).
 * @returns what `fn` returns.
 * @throws LockTimeoutError when a live holder keeps it longer than `timeoutMs`; fs errors other
 *   than "exists" when creating the lock file (e.g. a read-only directory).
 */
export function withFileLock<T>(file: string, fn: () => T, options: FileLockOptions = {}): T {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 120_000;
  const pollMs = options.pollMs ?? 20;
  const me: Holder = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), at: Date.now() };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const found = readHolder(file);
    if (found && isStale(found, staleMs)) {
      breakStale(file, found);
      continue;
    }
    if (Date.now() > deadline) {
      const h = found?.holder;
      throw new LockTimeoutError(file, h ? `pid ${h.pid} on ${h.host}` : 'an unknown process', timeoutMs);
    }
    sleepSync(pollMs + Math.floor(Math.random() * pollMs));
  }
  try {
    return fn();
  } finally {
    const now = readHolder(file);
    if (now?.holder?.token === me.token) fs.rmSync(file, { force: true });
  }
}
