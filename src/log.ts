/**
 * Logging: pino, always to stderr (fd 2) so that stdout stays clean for `--json` output.
 */
import pino, { type Logger } from 'pino';

let current: Logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

/** The process-wide logger. */
export function log(): Logger {
  return current;
}

/** Change the level (e.g. from validated config). */
export function setLogLevel(level: string): void {
  current.level = level;
}

/** Replace the logger (tests capture warnings this way). */
export function setLogger(logger: Logger): void {
  current = logger;
}
