/**
 * `dossier ingest <file|folder|url>…`: bulk ingestion with a progress bar (cli-progress, on
 * stderr) and a summary of what was added, unchanged, replaced and failed (with the reason).
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Dossier } from './core.js';
import { loadPath } from './corpus/load.js';
import { InputError } from './corpus/types.js';
import { log } from './log.js';
import { EXTENSION_FORMATS } from './corpus/parse.js';
import { StorageError } from './store/errors.js';

/** `s` on one line: control characters (newline, tab, escape, …) shown as JSON-style escapes. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    const j = JSON.stringify(c).slice(1, -1);
    return j !== c ? j.replace(/^\\u00/, '\\x') : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** One line of the ingest summary. */
export interface IngestOutcome {
  item: string;
  status: 'added' | 'unchanged' | 'replaced' | 'failed';
  id?: string;
  title?: string;
  reason?: string;
}

/** Totals of an ingest run. */
export interface IngestSummary {
  /** Set when the run stopped early (disk full, database read-only): the message shown, once. */
  stopped?: string;
  /** Items not attempted because the run stopped. */
  notAttempted?: number;
  added: number;
  unchanged: number;
  replaced: number;
  failed: number;
  seconds: number;
  items: IngestOutcome[];
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * Ingest every file under the given paths and every URL, one by one.
 * A failure of one item is recorded and the run goes on, except a full disk or a database that
 * cannot be written (read-only file or folder): then the run stops with one message (every later
 * file would fail the same way) and the rest are counted as not attempted. A folder without any document file is a failure with a hint. Item names are shown
 * with control characters escaped (a file name with a newline stays on its line). Sets exit code
 * 1 when any item failed or the run stopped.
 */
export async function runIngest(d: Dossier, targets: string[], opts: { json: boolean; progress?: boolean }): Promise<IngestSummary> {
  const started = Date.now();
  const work: { item: string; file?: { path: string; size: number } }[] = [];
  const items: IngestOutcome[] = [];
  for (const t of targets) {
    if (isUrl(t)) {
      work.push({ item: t });
      continue;
    }
    try {
      const before = work.length;
      for await (const f of loadPath(t)) work.push({ item: f.path, file: f });
      if (work.length === before) {
        items.push({
          item: t,
          status: 'failed',
          reason: `no document files found there (looked for ${Object.keys(EXTENSION_FORMATS).join(' ')}; hidden files are skipped)`,
        });
      }
    } catch (err) {
      items.push({ item: t, status: 'failed', reason: (err as Error).message });
    }
  }
  const showBar = (opts.progress ?? process.stderr.isTTY) && work.length > 1;
  const bar = showBar
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'ingest [{bar}] {value}/{total} {item}' }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(work.length, 0, { item: '' });
  let stopped: string | undefined;
  let notAttempted = 0;
  for (const [wi, w] of work.entries()) {
    try {
      let result;
      if (w.file) {
        if (w.file.size > d.config.MAX_FILE_BYTES) {
          throw new InputError(`The file is too large (${w.file.size} bytes; the limit is ${d.config.MAX_FILE_BYTES}).`, 'too-large');
        }
        const bytes = await fs.readFile(w.file.path);
        result = await d.ingest({ bytes, filename: path.basename(w.file.path), source: w.file.path });
      } else {
        result = await d.ingest({ url: w.item });
      }
      items.push({ item: w.item, status: result.status, id: result.document.id, title: result.document.title });
    } catch (err) {
      if (err instanceof StorageError && (err.kind === 'disk-full' || err.kind === 'read-only')) {
        items.push({ item: w.item, status: 'failed', reason: err.kind === 'disk-full' ? 'the disk is full' : 'the database cannot be written' });
        stopped = err.message;
        notAttempted = work.length - wi - 1;
        break;
      }
      // The refusal is reported once, on the item's line (no extra log line for it).
      const known = err instanceof InputError || err instanceof StorageError;
      const reason = known ? (err as Error).message : `unexpected error: ${(err as Error).message}`;
      if (!known) log().error({ err, item: w.item }, 'ingest failed');
      items.push({ item: w.item, status: 'failed', reason });
    }
    bar?.increment(1, { item: path.basename(w.item).slice(0, 40) });
  }
  bar?.stop();
  const count = (s: IngestOutcome['status']) => items.filter((i) => i.status === s).length;
  const summary: IngestSummary = {
    ...(stopped ? { stopped, notAttempted } : {}),
    added: count('added'),
    unchanged: count('unchanged'),
    replaced: count('replaced'),
    failed: count('failed'),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    items,
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    for (const i of items) process.stdout.write(`${i.status.padEnd(9)} ${oneLine(i.item)}${i.reason ? `  — ${oneLine(i.reason)}` : ''}\n`);
    if (stopped) process.stdout.write(`\nstopped: ${stopped}\n${notAttempted} more not attempted.\n`);
    process.stdout.write(
      `\n${summary.added} added, ${summary.unchanged} unchanged, ${summary.replaced} replaced, ${summary.failed} failed (${summary.seconds} s)\n`,
    );
  }
  if (summary.failed > 0 || stopped) process.exitCode = 1;
  return summary;
}
