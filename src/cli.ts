/**
 * Command-line interface (commander): ask, ingest, list, remove, summary.
 * Logs go to stderr; `--json` output goes to stdout as one JSON object.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, ConfigError } from './config.js';
import { log, setLogLevel, useHumanLogs } from './log.js';
import { Dossier } from './core.js';
import { InputError } from './corpus/types.js';
import { StorageError } from './store/errors.js';
import { formatAnswer, formatSummary } from './answer/format.js';

/**
 * Open the core for one command. The CLI logs warnings and errors only (LOG_LEVEL overrides) as
 * plain lines; commands that never search skip loading the embedding model.
 */
async function withDossier<T>(fn: (d: Dossier) => Promise<T>, opts: { dense?: boolean } = {}): Promise<T> {
  const overrides: Record<string, unknown> = {};
  if (process.env.LOG_LEVEL === undefined) overrides.LOG_LEVEL = 'warn';
  if (opts.dense === false) overrides.EMBEDDINGS = 'off';
  const config = loadConfig(overrides);
  setLogLevel(config.LOG_LEVEL);
  useHumanLogs();
  const d = await Dossier.open(config);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

const program = new Command()
  .name('dossier')
  .description('Answers questions about a report and related documents, with cited passages.')
  .showHelpAfterError();

program
  .command('ask')
  .description('answer a question from the documents')
  .argument('<question...>', 'the question')
  .option('--json', 'print one JSON object on stdout')
  .option('-k, --passages <n>', 'number of passages to cite', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('must be an integer from 1 to 50');
    return n;
  })
  .action(async (words: string[], opts: { json?: boolean; passages?: number }) => {
    await withDossier(async (d) => {
      const answer = await d.ask(words.join(' '), { limit: opts.passages });
      process.stdout.write(opts.json ? `${JSON.stringify(answer)}\n` : `${formatAnswer(answer)}\n`);
    });
  });

program
  .command('list')
  .description('list the stored documents')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    await withDossier(async (d) => {
      const docs = d.listAll();
      if (opts.json) process.stdout.write(`${JSON.stringify(docs)}\n`);
      else for (const x of docs) process.stdout.write(`${x.id}  ${x.date ?? '----'}  ${x.language}  ${x.chunks} chunks  ${x.title}${x.scope ? `  (guild ${x.scope})` : ''}\n`);
    }, { dense: false });
  });

program
  .command('remove')
  .description('remove a document by id')
  .argument('<id>', 'document id (see `list`)')
  .action(async (id: string) => {
    await withDossier(async (d) => {
      const ok = await d.remove(id);
      if (!ok) throw new InputError(`No document with id ${id}.`, 'not-found');
      process.stdout.write(`removed ${id}\n`);
    }, { dense: false });
  });

program
  .command('summary')
  .description('a cited extractive summary of one document or of all')
  .argument('[id]', 'document id (see `list`); all documents when omitted')
  .option('-n, --sentences <n>', 'number of sentences', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('must be an integer from 1 to 20');
    return n;
  })
  .option('--json', 'print JSON')
  .action(async (id: string | undefined, opts: { sentences?: number; json?: boolean }) => {
    await withDossier(async (d) => {
      const s = await d.summarize({ documentId: id, sentences: opts.sentences });
      process.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : `${formatSummary(s)}\n`);
    }, { dense: false });
  });

program
  .command('ingest')
  .description('add documents: files, folders or URLs')
  .argument('<paths...>', 'files, folders or http(s) URLs')
  .option('--json', 'print the summary as JSON')
  .action(async (paths: string[], opts: { json?: boolean }) => {
    const { runIngest } = await import('./ingest-cli.js');
    await withDossier(async (d) => {
      await runIngest(d, paths, { json: !!opts.json });
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof InputError || err instanceof ConfigError || err instanceof StorageError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  log().error({ err }, 'unexpected error');
  process.exitCode = 1;
});
