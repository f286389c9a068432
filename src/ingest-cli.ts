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
 * A failure of one item is recorded and the run goes on. Sets exit code 1 when any item failed.
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
      for await (const f of loadPath(t)) work.push({ item: f.path, file: f });
    } catch (err) {
      items.push({ item: t, status: 'failed', reason: (err as Error).message });
    }
  }
  const showBar = (opts.progress ?? process.stderr.isTTY) && work.length > 1;
  const bar = showBar
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'ingest [{bar}] {value}/{total} {item}' }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(work.length, 0, { item: '' });
  for (const w of work) {
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
      const reason = err instanceof InputError ? err.message : `unexpected error: ${(err as Error).message}`;
      if (!(err instanceof InputError)) log().error({ err, item: w.item }, 'ingest failed');
      else log().warn({ item: w.item, reason: err.reason }, 'ingest refused');
      items.push({ item: w.item, status: 'failed', reason });
    }
    bar?.increment(1, { item: path.basename(w.item).slice(0, 40) });
  }
  bar?.stop();
  const count = (s: IngestOutcome['status']) => items.filter((i) => i.status === s).length;
  const summary: IngestSummary = {
    added: count('added'),
    unchanged: count('unchanged'),
    replaced: count('replaced'),
    failed: count('failed'),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    items,
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    for (const i of items) process.stdout.write(`${i.status.padEnd(9)} ${i.item}${i.reason ? `  — ${i.reason}` : ''}\n`);
    process.stdout.write(
      `\n${summary.added} added, ${summary.unchanged} unchanged, ${summary.replaced} replaced, ${summary.failed} failed (${summary.seconds} s)\n`,
    );
  }
  if (summary.failed > 0) process.exitCode = 1;
  return summary;
}
