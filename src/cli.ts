/**
 * Command-line interface (commander): ask, ingest, list, remove, summary.
 * Logs go to stderr; `--json` output goes to stdout as one JSON object.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, ConfigError } from './config.js';
import { log, setLogLevel, useHumanLogs } from './log.js';
import { Dossier, type DocumentInfo } from './core.js';
import { InputError } from './corpus/types.js';
import { StorageError } from './store/errors.js';
import { StoreError } from './store/store.js';
import { formatAnswer, formatSummary } from './answer/format.js';
import { questionWords } from './cli-args.js';

/**
 * Open the core for one command. The CLI logs warnings and errors only (LOG_LEVEL overrides) as
 * plain lines; commands that never search skip loading the embedding model.
 */
async function withDossier<T>(fn: (d: Dossier) => Promise<T>, opts: { dense?: boolean } = {}): Promise<T> {
  const overrides: Record<string, unknown> = {};
  if (process.env.LOG_LEVEL === undefined) overrides.LOG_LEVEL = 'warn';
  // The environment is validated as given (a bad EMBEDDINGS stops `list` too); only then is the
  // model switched off for commands that never search.
  const loaded = loadConfig(overrides);
  const config = opts.dense === false ? { ...loaded, EMBEDDINGS: 'off' as const } : loaded;
  setLogLevel(config.LOG_LEVEL);
  useHumanLogs();
  // The CLI never downloads the model: dense retrieval runs when it is already on disk.
  const d = await Dossier.open(config, { download: false });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

/** Commander option parser for a whole number in [min, max]. */
function integerIn(min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/**
 * The document meant by `value`: an exact id, else the one document whose title equals it
 * (case-insensitive, blanks trimmed), as Discord /remove accepts.
 * @throws InputError 'not-found' when none matches, or when several share the title (their ids listed).
 */
function findDocument(docs: DocumentInfo[], value: string): DocumentInfo {
  const v = value.trim();
  const byId = docs.find((x) => x.id === v);
  if (byId) return byId;
  const byTitle = docs.filter((x) => x.title.trim().toLowerCase() === v.toLowerCase());
  if (byTitle.length === 1) return byTitle[0];
  if (byTitle.length > 1) throw new InputError(`${byTitle.length} documents are titled "${v}"; name one by its id: ${byTitle.map((x) => x.id).join(', ')}.`, 'not-found');
  throw new InputError(`No document with the id or title "${v}" (see \`list\` for ids and titles).`, 'not-found');
}

const program = new Command()
  .name('dossier')
  .description('Answers questions about a report and related documents, with cited passages.')
  .showHelpAfterError();

program
  .command('ask')
  .description('answer a question from the documents')
  .argument('<question...>', 'the question')
  .option('--json', 'print one JSON object on stdout (also for a refused question: {"question", "error"})')
  .option('-k, --passages <n>', 'number of passages to cite, 1 to 50 (default: ANSWER_PASSAGES, 3)', integerIn(1, 50))
  // A question may start with "-" ("-100 Grad?"): such words reach the action, which refuses only
  // the ones that look like options (see questionWords).
  .allowUnknownOption()
  .action(async (words: string[], opts: { json?: boolean; passages?: number }, cmd: Command) => {
    let question: string;
    try {
      question = questionWords(words, process.argv.includes('--')).join(' ');
    } catch (e) {
      // Shown as commander shows its own option errors (message, then the usage).
      if (e instanceof InvalidArgumentError) cmd.error(`error: ${e.message}`, { code: 'dossier.unknownOption' });
      throw e;
    }
    await withDossier(async (d) => {
      let answer;
      try {
        answer = await d.ask(question, { limit: opts.passages });
      } catch (e) {
        if (!(e instanceof InputError) || !opts.json) throw e;
        // --json promises one JSON object on stdout, refusals included; the exit code stays 2.
        process.stdout.write(`${JSON.stringify({ question, error: { reason: e.reason, message: e.message } })}\n`);
        process.exitCode = 2;
        return;
      }
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
      else if (docs.length === 0) process.stdout.write('no documents stored; add some with `npm run cli -- ingest <files…>` (removed bundled ones come back with `npm run cli -- restore`)\n');
      else for (const x of docs) process.stdout.write(`${x.id}  ${x.date ?? '----'}  ${x.language}  ${x.chunks} ${x.chunks === 1 ? 'chunk' : 'chunks'}  ${x.title}${x.scope ? `  (guild ${x.scope})` : ''}\n`);
    }, { dense: false });
  });

program
  .command('remove')
  .description('remove a document by id or exact title (bundled ones come back with `restore`)')
  .argument('<id or title...>', 'document id or exact title, case-insensitive (see `list`)')
  .action(async (words: string[]) => {
    await withDossier(async (d) => {
      const doc = findDocument(d.listAll(), words.join(' '));
      await d.remove(doc.id);
      process.stdout.write(`removed ${doc.id}  ${doc.title}\n`);
    }, { dense: false });
  });

program
  .command('restore')
  .description('bring back removed bundled documents (from CORPUS_DIR)')
  .argument('[files...]', 'file names in the corpus folder; all removed ones when omitted')
  .action(async (files: string[]) => {
    await withDossier(async (d) => {
      const restored = await d.restoreBundled(files);
      process.stdout.write(restored.length ? restored.map((f) => `restored ${f}\n`).join('') : 'no bundled document was removed\n');
    }, { dense: false });
  });

program
  .command('summary')
  .description('a cited extractive summary of one document or of all')
  .argument('[document...]', 'document id or exact title (see `list`), as for remove; all documents when omitted')
  .option('-n, --sentences <n>', 'number of sentences, 1 to 20 (default: 3)', integerIn(1, 20))
  .option('--json', 'print one JSON object on stdout (also for a refusal: {"document", "error"})')
  .action(async (words: string[], opts: { sentences?: number; json?: boolean }) => {
    const value = words.join(' ');
    await withDossier(async (d) => {
      let s;
      try {
        const id = value.trim() ? findDocument(d.listAll(), value).id : undefined;
        s = await d.summarize({ documentId: id, sentences: opts.sentences });
      } catch (e) {
        if (!(e instanceof InputError) || !opts.json) throw e;
        process.stdout.write(`${JSON.stringify({ document: value, error: { reason: e.reason, message: e.message } })}\n`);
        process.exitCode = 2;
        return;
      }
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
  if (err instanceof InputError || err instanceof ConfigError || err instanceof StorageError || err instanceof StoreError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  log().error({ err }, 'unexpected error');
  process.exitCode = 1;
});
