/**
 * Capture the process-wide logger (src/log.ts) in a test, so that a log line the test provokes on
 * purpose is asserted on instead of printed among the test output.
 */
import { pino } from 'pino';
import { log, setLogger } from '../../src/log.js';

/** One parsed pino line: numeric level (30 info, 40 warn, 50 error), message, structured fields. */
export interface CapturedLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** The captured lines and a function that puts the previous logger back. */
export interface LogCapture {
  lines: CapturedLine[];
  restore(): void;
}

/**
 * Route log() into an array from now until `restore()`; `level` is the lowest pino level kept
 * (default 'info'). Loggers made before the call (e.g. `log().child(...)` held by an object built
 * earlier) still write to the old destination, so capture before constructing what logs.
 */
export function captureLogs(level = 'info'): LogCapture {
  const previous = log();
  const lines: CapturedLine[] = [];
  setLogger(pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s) as CapturedLine) }));
  return { lines, restore: () => setLogger(previous) };
}

/**
 * Run `fn` with log() captured (see {@link captureLogs}) and put the previous logger back after,
 * also when `fn` throws. @returns fn's result and the captured lines.
 */
export async function withLogs<T>(fn: () => Promise<T> | T, level = 'info'): Promise<{ result: T; lines: CapturedLine[] }> {
  const cap = captureLogs(level);
  try {
    return { result: await fn(), lines: cap.lines };
  } finally {
    cap.restore();
  }
}
