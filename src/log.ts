/**
 * Logging: pino, always to stderr (fd 2) so that stdout stays clean for `--json` output.
 * The bot logs JSON lines (for log collectors); the CLI switches to short human-readable lines.
 */
import pino, { type Logger } from 'pino';

/**
 * The level the logger starts with, before the configuration is validated: LOG_LEVEL when pino
 * knows it, else `info`. An unknown value must not reach pino (it throws a stack trace at import
 * time); src/config.ts then reports it as a configuration error naming the variable.
 */
function startLevel(raw: string | undefined): string {
  const v = raw?.trim().toLowerCase();
  return v && Object.hasOwn(pino.levels.values, v) ? v : v === 'silent' ? 'silent' : 'info';
}

/**
 * The JSON logger is made on the first log call, not at import: a process that switches to
 * {@link useHumanLogs} (or {@link setLogger}) first never opens its fd-2 stream, whose exit
 * hook fsyncs stderr (sonic-boom's flushSync): ~25 ms at the end of a CLI call whose stderr
 * is a file (measured with `--cpu-prof`).
 */
let current: Logger | null = null;
/** The level set before the logger exists. */
let pendingLevel: string | null = null;

/** The process-wide logger. */
export function log(): Logger {
  current ??= pino({ level: pendingLevel ?? startLevel(process.env.LOG_LEVEL) }, pino.destination(2));
  return current;
}

/** Change the level (e.g. from validated config). */
export function setLogLevel(level: string): void {
  if (current) current.level = level;
  else pendingLevel = level;
}

/** Replace the logger (tests capture warnings this way). */
export function setLogger(logger: Logger): void {
  current = logger;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/**
 * Switch to human-readable log lines on stderr (`dossier: warning: …`), for terminal use.
 * Structured fields other than the message are appended as `key=value` at debug level only.
 */
export function useHumanLogs(): void {
  const level = current?.level ?? pendingLevel ?? startLevel(process.env.LOG_LEVEL);
  current = pino(
    { level },
    {
      write(line: string) {
        try {
          const o = JSON.parse(line) as Record<string, unknown>;
          const name = LEVEL_NAMES[o.level as number] ?? 'log';
          let extra = '';
          if (level === 'debug' || level === 'trace') {
            const { level: _l, time: _t, pid: _p, hostname: _h, msg: _m, ...rest } = o;
            extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
          }
          process.stderr.write(`dossier: ${name}: ${String(o.msg ?? '')}${extra}\n`);
        } catch {
          process.stderr.write(line);
        }
      },
    },
  );
}
