/**
 * The core facade: ingest, remove, list, ask, summarize. The CLI and the Discord bot both use it
 * and nothing below it. The work is done by three pipelines over one replica:
 *
 * - ingest (src/pipeline/ingest.ts): input → preparation (worker thread) → one store transaction;
 * - ask (src/pipeline/ask.ts): question → lexical (+ dense) ranking → abstention → cited answer;
 * - summary (src/pipeline/summary.ts): documents → LexRank + MMR sentences, cited;
 * - the replica (src/pipeline/replica.ts): this process's lexical index, document catalogue and
 *   vector index, loaded at open (src/pipeline/index-load.ts) and following the store's change
 *   log (src/search/replica.ts), so documents other processes add or remove show up within
 *   about STORE_POLL_MS (SQLite) or at once (PostgreSQL LISTEN/NOTIFY).
 *
 * The store of record is the `Store` interface (src/store/store.ts): SQLite in DATA_DIR by
 * default, PostgreSQL with DATABASE_URL. Scopes: documents with scope null (the bundled corpus,
 * CLI additions) are visible everywhere; documents added in a Discord guild have the guild id as
 * scope and are visible only there.
 */
import type { Config } from './config.js';
import { log, setLogLevel } from './log.js';
import { Decompounder } from './text/decompound.js';
import type { DB } from './store/db.js';
import type { Store } from './store/store.js';
import type { FeedbackStore } from './store/feedback.js';
import { openStore } from './store/open.js';
import { loadDictionary, type Dictionary } from './search/dictionary.js';
import { ChangeFollower } from './search/replica.js';
// The embedding model (transformers.js, onnxruntime, sharp) and the vector index (hnswlib) are
// imported only with EMBEDDINGS on: see Dossier.open. Importing the core stays light (issue 12).
import type { DenseRetriever, SyncReport } from './search/dense.js';
import type { PassageSearcher } from './search/passages.js';
import type { Embedder } from './embed/embedder.js';
import type { Answer, Summary } from './answer/types.js';
import { LlmClient } from './answer/llm.js';
import { InstructionFlags } from './answer/injection.js';
import { PrepareThread } from './ingest/thread.js';
import { IndexReplica } from './pipeline/replica.js';
import { loadReplica, saveReplica, type IndexLoadInfo } from './pipeline/index-load.js';
import { IngestPipeline } from './pipeline/ingest.js';
import { AskPipeline } from './pipeline/ask.js';
import { SummaryPipeline } from './pipeline/summary.js';
import { Serial } from './pipeline/serial.js';
import { documentInfo, type AskOptions, type DocumentInfo, type IngestInput, type IngestResult, type SummaryOptions } from './pipeline/types.js';

export type { AskOptions, DocumentInfo, IngestInput, IngestResult, SummaryOptions } from './pipeline/types.js';
export type { IndexLoadInfo } from './pipeline/index-load.js';

/** Options of {@link Dossier.open}. */
export interface OpenOptions {
  /**
   * An embedding model already loaded in this process (benchmark, tests), used instead of loading
   * one; ignored when EMBEDDINGS=off. The caller keeps ownership (close() does not dispose it).
   */
  embedder?: Embedder;
  /**
   * May the embedding model be downloaded from the hub (default true: the bot)? The CLI passes
   * false: dense retrieval then runs only when the model is already on disk.
   */
  download?: boolean;
  /**
   * Load only the guild documents of guilds this returns true for (a shard's own guilds,
   * src/discord/shards.ts); shared documents are always loaded. Default: every guild.
   */
  serves?: (guildId: string) => boolean;
}

/** What {@link Dossier.open} did and how long each step took (milliseconds, wall clock). */
export interface OpenReport {
  /** Which store of record is open (`DATABASE_URL` → postgres). */
  store: Store['kind'];
  /** Opening the store (SQLite in DATA_DIR, or PostgreSQL with DATABASE_URL). */
  storeMs: number;
  /** Loading the dictionary (0 with TRANSLATE=false). */
  dictionaryMs: number;
  /** Loading the embedding model (0 when EMBEDDINGS=off or an embedder was passed in). */
  modelLoadMs: number;
  /** Loading the lexical index snapshot (plus the changes since), or rebuilding it from the store (see `index`). */
  indexMs: number;
  /** How the lexical index was obtained (src/pipeline/index-load.ts). */
  index: IndexLoadInfo;
  /** Opening the vector index and reconciling it with the store (0 without dense retrieval). */
  denseMs: number;
  /** Checking (and ingesting new or changed) bundled corpus files. */
  corpusMs: number;
  /** From the start of open() until ready, without `modelLoadMs`. */
  readyMs: number;
  /** The vector index reconciliation (re-embedded chunks etc.); null without dense retrieval. */
  denseSync: SyncReport | null;
  /** Stored documents loaded into the in-memory index at open (fewer than stored with `serves`). */
  documentsLoaded: number;
}

/** The facade over store, replica and pipelines. Create with {@link Dossier.open}. */
export class Dossier {
  private readonly serial = new Serial();
  private readonly flags = new InstructionFlags();
  private readonly ingestPipeline: IngestPipeline;
  private readonly askPipeline: AskPipeline;
  private readonly summaryPipeline: SummaryPipeline;
  /** Ingestion preparation (a worker thread for large inputs; src/ingest/thread.ts). */
  private readonly preparer: PrepareThread;
  private follower: ChangeFollower | null = null;
  private openReport: OpenReport | null = null;
  private closed = false;

  private constructor(
    readonly config: Config,
    /** The store of record (SQLite or PostgreSQL, src/store/store.ts). */
    readonly store: Store,
    private readonly replica: IndexReplica,
    private readonly dict: Dictionary | null,
    decompounder: Decompounder | null,
  ) {
    this.preparer = new PrepareThread({
      minBytes: config.INGEST_WORKER_MIN_BYTES,
      dict: dict ? { path: config.DICT_PATH, cacheDir: config.CACHE_DIR } : null,
      decompounder,
      logLevel: config.LOG_LEVEL,
      maxHeapMb: config.INGEST_WORKER_MEMORY_MB,
    });
    const llm = LlmClient.fromConfig(config);
    if (llm.enabled) log().info({ model: llm.model }, 'LLM answers on (checked against the cited passages before they are shown)');
    this.ingestPipeline = new IngestPipeline(config, store, replica, this.preparer, this.flags, this.serial);
    this.askPipeline = new AskPipeline(config, replica, dict, decompounder, llm);
    this.summaryPipeline = new SummaryPipeline(replica, dict, decompounder, llm);
  }

  /**
   * Open the store (`DATABASE_URL` → PostgreSQL, else SQLite under `config.DATA_DIR`), load the
   * dictionary and the indexes, ingest any new file of the bundled corpus (`config.CORPUS_DIR`,
   * shared scope), and start following the store's change log (every STORE_POLL_MS). The
   * paragraphs' concept vectors are then built in the background (a question asked earlier builds
   * the rest first); {@link startup} reports the steps' timings.
   * @throws StorageError (src/store/errors.ts) when the data directory or SQLite file is unusable
   *   (read-only, damaged, full); StoreError when PostgreSQL cannot be reached.
   */
  static async open(config: Config, options: OpenOptions = {}): Promise<Dossier> {
    const t0 = performance.now();
    setLogLevel(config.LOG_LEVEL);
    const store = await openStore(config);
    try {
      return await Dossier.openOn(store, config, options, t0);
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }

  private static async openOn(store: Store, config: Config, options: OpenOptions, t0: number): Promise<Dossier> {
    const tStore = performance.now();
    const dict = config.TRANSLATE ? loadDictionary(config.DICT_PATH, config.CACHE_DIR) : null;
    if (!config.TRANSLATE) log().info('Cross-lingual query translation is off (TRANSLATE=false).');
    const decompounder = dict ? new Decompounder(dict.deFreq) : null;
    const tDict = performance.now();
    // null → one warning was logged; everything below then runs lexical only.
    let embedder: Embedder | null = null;
    if (config.EMBEDDINGS === 'off') log().info('Dense retrieval disabled (EMBEDDINGS=off); lexical search runs alone.');
    else embedder = options.embedder ?? (await (await import('./embed/transformers.js')).loadEmbedder(config, { download: options.download }));
    const tModel = performance.now();
    const dense = embedder
      ? (await import('./search/dense.js')).DenseRetriever.open({ embedder, cache: store.embeddings, dir: config.DATA_DIR, depth: config.DENSE_DEPTH })
      : null;
    const tDenseOpen = performance.now();
    const replica = new IndexReplica(store, dict, dense, options.serves);
    // A shard serving only some guilds builds a partial index and never touches the shared snapshot.
    const loaded = await loadReplica(replica, store, config.DATA_DIR);
    const tIndex = performance.now();
    const denseSync = await replica.syncDense();
    const tSync = performance.now();
    const d = new Dossier(config, store, replica, dict, decompounder);
    await d.ingestPipeline.ingestBundledCorpus();
    d.follower = new ChangeFollower(store, loaded.seq, (changes) => d.serial.run(() => replica.apply(changes)), config.STORE_POLL_MS);
    await d.follower.poll(true);
    await d.follower.start();
    const tEnd = performance.now();
    const ms = (a: number, b: number) => Math.round(b - a);
    const modelLoadMs = options.embedder && embedder ? 0 : ms(tDict, tModel);
    d.openReport = {
      store: store.kind,
      storeMs: ms(t0, tStore),
      dictionaryMs: ms(tStore, tDict),
      modelLoadMs,
      indexMs: ms(tDenseOpen, tIndex),
      index: loaded.index,
      denseMs: ms(tModel, tDenseOpen) + ms(tIndex, tSync),
      corpusMs: ms(tSync, tEnd),
      readyMs: ms(t0, tEnd) - modelLoadMs,
      denseSync,
      documentsLoaded: loaded.documentsLoaded,
    };
    log().debug(d.openReport, 'ready');
    // Concept vectors of the stored paragraphs are built in the background from here; a question
    // asked before that finishes builds the rest first (same answers, it just waits).
    const warm = performance.now();
    replica.searcher.warmUp().then(
      () => log().debug({ ms: Math.round(performance.now() - warm) }, 'concept index built'),
      (err: unknown) => log().warn({ err: (err as Error).message }, 'building the concept index in the background failed; it is retried on the first question'),
    );
    return d;
  }

  /** Timings and outcome of {@link open} (see {@link OpenReport}). */
  get startup(): OpenReport {
    return this.openReport!;
  }

  /** The SQLite database of DATA_DIR (the store itself with SQLite; see Store.local), for scripts. */
  get db(): DB {
    return this.store.local;
  }

  /** The feedback votes, in the store's database (shared by every machine on one PostgreSQL). */
  get feedback(): FeedbackStore {
    return this.store.feedback;
  }

  /**
   * The lexical index of this process's replica, for the scripts that time or compare its parts
   * (scripts/bench.ts, scripts/rank-diff.ts); the bot and the CLI never use it. Read only.
   */
  get searcher(): PassageSearcher {
    return this.replica.searcher;
  }

  /** The dense retriever of the replica (null when off), for scripts/bench.ts; read only. */
  get dense(): DenseRetriever | null {
    return this.replica.dense;
  }

  /** True when dense retrieval is on (the embedding model loaded). */
  get denseRetrieval(): boolean {
    return this.replica.dense !== null;
  }

  /** True when English questions are translated into German query terms. */
  get crossLingual(): boolean {
    return this.dict !== null;
  }

  /**
   * Apply every change other processes committed to the store until now (the follower does this
   * on its own every STORE_POLL_MS); resolves when the indexes reflect them.
   */
  async catchUp(): Promise<void> {
    await this.follower?.poll(true);
  }

  /** See {@link IngestPipeline.ingest}. @throws InputError for unusable input; StorageError/StoreError when the store refuses. */
  ingest(input: IngestInput): Promise<IngestResult> {
    return this.ingestPipeline.ingest(input);
  }

  /**
   * Remove a document. With a scope, only that scope's own documents can be removed (a guild cannot
   * remove shared documents); with `undefined` (operator CLI) any document can.
   * @returns true when a document was removed.
   */
  remove(id: string, scope?: string | null): Promise<boolean> {
    return this.ingestPipeline.remove(id, scope);
  }

  /** See {@link IngestPipeline.restoreBundled}. @throws InputError 'not-found' for a file that was not removed. */
  restoreBundled(files: string[] = []): Promise<string[]> {
    return this.ingestPipeline.restoreBundled(files);
  }

  /** The stored text of a held document (citations are slices of it), or undefined. */
  documentText(id: string): string | undefined {
    return this.replica.catalog.text(id);
  }

  /** Documents visible from `scope` (shared + the scope's own), oldest first. */
  list(scope: string | null = null): DocumentInfo[] {
    return this.replica.catalog.list(scope ?? null).map((d) => documentInfo(d, this.replica.catalog, this.flags));
  }

  /** Every document this process holds, all scopes (operator view; a shard holds only its guilds'). */
  listAll(): DocumentInfo[] {
    return this.replica.catalog.all().map((d) => documentInfo(d, this.replica.catalog, this.flags));
  }

  /** Validate and clean a question. @throws InputError when empty or too long. */
  cleanQuestion(question: string): string {
    return this.askPipeline.cleanQuestion(question);
  }

  /**
   * Answer a question from the documents visible in `opts.scope`, citing verbatim passages
   * (src/pipeline/ask.ts). @throws InputError for an empty or too long question.
   */
  ask(question: string, opts: AskOptions = {}): Promise<Answer> {
    return this.askPipeline.ask(question, opts);
  }

  /**
   * Extractive summary of one document or of every document visible from `scope`
   * (src/pipeline/summary.ts). @throws InputError 'not-found' when the document is not visible.
   */
  summarize(opts: SummaryOptions = {}): Promise<Summary> {
    return this.summaryPipeline.summarize(opts);
  }

  /**
   * Stop following the change log, finish pending writes, save the lexical index snapshot when it
   * changed or deferred concept vectors were built since it was loaded (SQLite, after catching up
   * with other processes' changes), and close the store.
   * Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.follower?.stop();
    await this.serial.drain();
    // Also when only deferred concept vectors were built: the next open then loads them.
    if ((this.replica.dirty || this.replica.searcher.conceptStateUnsaved) && this.follower) {
      await this.follower.poll(true);
      await this.serial.drain();
      saveReplica(this.replica, this.store, this.config.DATA_DIR, this.follower.position);
    }
    await this.preparer.close();
    await this.store.close();
  }
}
