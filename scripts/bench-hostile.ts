/**
 * Hostile-input benchmark (issue 11): each pathological document of scripts/hostile-inputs.ts at
 * `--mb` MiB (default 10) goes through `Dossier.ingest` and, when stored, `Dossier.summarize`, each
 * case in a fresh child process so its peak memory is its own.
 *
 *   npx tsx scripts/bench-hostile.ts [--mb 10] [--json] [--case txt:dotA]
 *
 * Per case: ingest_ms (wall clock of Dossier.ingest: parse, limits, segmentation, index terms,
 * store, lexical index; EMBEDDINGS=off, TRANSLATE=false so the dictionary load is not timed),
 * summary_ms (Dossier.summarize of the stored document), outcome (added with its chunk count, or
 * the refusal's reason and message: a refusal is the intended result for shapes past a limit),
 * peak_rss_mb (the child's maxRSS, including Node, the modules and the input itself). Default
 * limits from src/config.ts. PDF shapes: `--mb` is the size the FlateDecode stream inflates to.
 *
 * {@link benchHostile} is exported for scripts/bench.ts.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { HTML_SHAPES, PDF_SHAPES, TEXT_SHAPES } from './hostile-inputs.js';

/** One measured case. */
export interface HostileRow {
  case: string;
  bytes: number;
  ingest_ms: number;
  summary_ms: number | null;
  outcome: string;
  peak_rss_mb: number;
}

type Gen = (bytes: number) => string | Buffer;
const CASES: Record<string, { gen: Gen; ext: string }> = {};
for (const [k, gen] of Object.entries(TEXT_SHAPES)) CASES[`txt:${k}`] = { gen, ext: 'txt' };
for (const [k, gen] of Object.entries(HTML_SHAPES)) CASES[`html:${k}`] = { gen, ext: 'html' };
for (const [k, gen] of Object.entries(PDF_SHAPES)) CASES[`pdf:${k}`] = { gen, ext: 'pdf' };

/** The case names {@link benchHostile} runs. */
export const HOSTILE_CASES = Object.keys(CASES);

/** Run one case in this process (the child side). */
async function runCase(name: string, mb: number): Promise<HostileRow> {
  const { Dossier } = await import('../src/core.js');
  const { loadConfig } = await import('../src/config.js');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-hostile-'));
  fs.mkdirSync(path.join(dir, 'corpus'));
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), EMBEDDINGS: 'off', TRANSLATE: false, LOG_LEVEL: 'error',
  });
  const d = await Dossier.open(config);
  const c = CASES[name];
  const raw = c.gen(Math.round(mb * 1024 * 1024) - 256); // room for the HTML wrapper within MAX_FILE_BYTES
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  let outcome: string;
  let summaryMs: number | null = null;
  const t0 = performance.now();
  let ingestMs: number;
  try {
    const r = await d.ingest({ bytes, filename: `hostile.${c.ext}` });
    ingestMs = performance.now() - t0;
    outcome = `${r.status} (${r.document.chunks} chunks)`;
    const t1 = performance.now();
    await d.summarize({ documentId: r.document.id });
    summaryMs = Math.round(performance.now() - t1);
  } catch (err) {
    ingestMs = performance.now() - t0;
    outcome = `refused: ${(err as { reason?: string }).reason ?? 'error'} — ${(err as Error).message}`;
  }
  await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    case: name,
    bytes: bytes.length,
    ingest_ms: Math.round(ingestMs),
    summary_ms: summaryMs,
    outcome,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/**
 * Run the cases (default all), each in a fresh `tsx` child process.
 * @param opts.mb input size in MiB (PDF: inflated size); opts.cases a subset of {@link HOSTILE_CASES}
 * @throws Error when a child fails (its stderr is included).
 */
export function benchHostile(opts: { mb?: number; cases?: string[] } = {}): HostileRow[] {
  const mb = opts.mb ?? 10;
  const self = fileURLToPath(import.meta.url);
  return (opts.cases ?? HOSTILE_CASES).map((name) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', name, '--mb', String(mb)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as HostileRow;
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const program = new Command()
    .description('Time ingest and summary of 10 MB pathological documents (issue 11).')
    .option('--mb <n>', 'input size in MiB (PDF: inflated size)', '10')
    .option('--case <name...>', `cases to run (${HOSTILE_CASES.join(', ')})`)
    .option('--json', 'one JSON array on stdout')
    .option('--child <name>', 'internal: run one case in this process')
    .parse();
  const o = program.opts<{ mb: string; case?: string[]; json?: boolean; child?: string }>();
  const mb = Number(o.mb);
  if (!(mb > 0)) program.error('--mb must be a positive number');
  if (o.child) {
    process.stdout.write(`${JSON.stringify(await runCase(o.child, mb))}\n`);
  } else {
    const bad = (o.case ?? []).filter((c) => !HOSTILE_CASES.includes(c));
    if (bad.length) program.error(`unknown case ${bad.join(', ')}; cases: ${HOSTILE_CASES.join(', ')}`);
    const rows = benchHostile({ mb, cases: o.case });
    if (o.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else {
      for (const r of rows) {
        process.stdout.write(
          `${r.case.padEnd(20)} ${(r.bytes / 1048576).toFixed(1).padStart(5)} MiB  ingest ${String(r.ingest_ms).padStart(6)} ms  ` +
            `summary ${String(r.summary_ms ?? '-').padStart(5)} ms  peak ${String(r.peak_rss_mb).padStart(5)} MB  ${r.outcome.slice(0, 110)}\n`,
        );
      }
    }
  }
}
