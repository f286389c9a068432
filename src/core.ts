/**
 * The core facade: ingest, remove, list, ask, summarize. The CLI and the Discord bot both use it
 * and nothing below it.
 *
 * Data flow: corpus (parse) → text (sentences, chunks, terms) → store (SQLite, one transaction per
 * document) → search (BM25 over chunks + paragraphs, dictionary query translation) → answer
 * (extractive, cited). Scopes: documents with scope null (the bundled corpus, CLI additions) are
 * visible everywhere; documents added in a Discord guild have the guild id as scope and are
 * visible only there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { log, setLogLevel } from './log.js';
import { InputError, type PageSpan } from './corpus/types.js';
import { sanitizeText } from './corpus/parse.js';
import { stemLang } from './text/stem.js';
import { Decompounder } from './text/decompound.js';
import {
  allDocuments,
  getDocument,
  getDocumentText,
  insertDocument,
  listDocuments,
  openDatabase,
  type DB,
  type DocumentRow,
} from './store/db.js';
import { loadDictionary, type Dictionary } from './search/dictionary.js';
import { buildQuery } from './search/query.js';
import { PassageSearcher, type ScoredChunk } from './search/passages.js';
import { openPersistedIndex, savePersistedIndex, type IndexOpen } from './search/persisted-index.js';
import type { QueryGroup } from './search/lexical.js';
import { extractAnswer, type ExtractOptions, type Passage } from './answer/extract.js';
import { languageGap, languageGapAnswer } from './answer/language-gap.js';
import {
  MAX_SUMMARY_SENTENCES,
  renderSummary,
  summarizeSentences,
  summaryCacheKey,
  SummaryCache,
  type SummarySentence,
} from './answer/summary.js';
import type { Answer, Summary } from './answer/types.js';
import { summaryCandidates } from './answer/summary-input.js';
import { withStorageErrors } from './store/errors.js';
import type { PreparedDocument } from './ingest/prepare.js';
import { ingestJob, type IngestSource } from './ingest/input.js';
import { PrepareThread } from './ingest/thread.js';
// The embedding model (transformers.js, onnxruntime, sharp) and the vector index (hnswlib) are
// imported only with EMBEDDINGS on: see Dossier.open. Importing the core stays light (issue 12).
import type { DenseRetriever, SyncReport } from './search/dense.js';
import { denseAbstention, type FusedChunk } from './search/dense-abstain.js';
import type { Embedder } from './embed/embedder.js';
import { fuseHybrid } from './search/fusion.js';
import { LlmClient } from './answer/llm.js';
import { llmAnswer, llmSummary, type LlmAnswerOptions } from './answer/llm-answer.js';
import { verifyHooks } from './answer/verify-hooks.js';
import { InstructionFlags } from './answer/injection.js';

/** Public description of a stored document. */
export interface DocumentInfo {
  id: string;
  title: string;
  date: string | null;
  source: string | null;
  language: string;
  /** Guild id, or null for shared documents. */
  scope: string | null;
  chars: number;
  chunks: number;
  addedAt: string;
  /** Sentences that read as instructions to an LLM (answer/injection.ts); never count as LLM support. */
  instructions?: number;
}

/** What to ingest: text, or bytes of a file, or a URL, with optional metadata overrides (src/ingest/input.ts). */
export type IngestInput = IngestSource;

/** Options of {@link Dossier.summarize}. */
export interface SummaryOptions {
  /** Summarise this document (must be visible from `scope`); omitted = all visible documents. */
  documentId?: string;
  scope?: string | null;
  /** Number of sentences (default 3, at most 20). */
  sentences?: number;
  /** Upper bound on the summary text length in characters (default 3500, within Discord's 4096). */
  maxChars?: number;
}

/** Outcome of an ingest. `replaced` names the id of the older version it replaced. */
export interface IngestResult {
  status: 'added' | 'unchanged' | 'replaced';
  document: DocumentInfo;
  replaced?: string;
}

/** Options of {@link Dossier.ask}. */
export interface AskOptions {
  /** Guild id; null or undefined = shared documents only. */
  scope?: string | null;
  /** Number of passages to cite (default config ANSWER_PASSAGES). */
  limit?: number;
  /** An earlier question of the same conversation, used as weaker extra context. */
  context?: string;
  /** Receives the ranker features of the answer sentences (scripts/train-ranker.ts); no effect on the answer. */
  onSentences?: ExtractOptions['onSentences'];
}

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
  /** Opening the SQLite store. */
  storeMs: number;
  /** Loading the dictionary (0 with TRANSLATE=false). */
  dictionaryMs: number;
  /** Loading the embedding model (0 when EMBEDDINGS=off or an embedder was passed in). */
  modelLoadMs: number;
  /** Loading the lexical index snapshot, or rebuilding it from the store (see `index`). */
  indexMs: number;
  /** How the lexical index was obtained (src/search/persisted-index.ts). */
  index: IndexOpen;
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

/** Weight of query groups that come from the conversation context rather than the question. */
const CONTEXT_WEIGHT = 0.5;


/** The facade over store, index and answering. Create with {@link Dossier.open}. */
export class Dossier {
  private readonly searcher: PassageSearcher;
  /** Ingestion preparation (a worker thread for large inputs; src/ingest/thread.ts). */
  private readonly preparer: PrepareThread;
  private readonly summaries = new SummaryCache();
  private readonly instructionFlags = new InstructionFlags();
  /** Optional OpenAI-compatible LLM (disabled without LLM_BASE_URL). */
  private readonly llm: LlmClient;
  private queue: Promise<unknown> = Promise.resolve();
  private openReport: OpenReport | null = null;
  /** How the lexical index was opened (snapshot or rebuilt). */
  private indexOpen: IndexOpen | null = null;
  /** True when documents changed since the snapshot was written (it is rewritten on close). */
  private indexDirty = false;
  /** False for a shard's partial index: it never overwrites the shared snapshot. */
  private snapshotWritable = true;
  /**
   * SQLite's `PRAGMA data_version` when the index was built: it changes only when another
   * connection commits, i.e. when this process's index may lack someone else's documents.
   */
  private dataVersion: unknown = null;

  private constructor(
    readonly config: Config,
    /** The SQLite store (shared with feature stores such as feedback). */
    readonly db: DB,
    private readonly dict: Dictionary | null,
    private readonly decompounder: Decompounder | null,
    /** Dense retrieval, or null when EMBEDDINGS=off or the model could not be loaded (lexical alone). */
    private readonly dense: DenseRetriever | null,
  ) {
    this.searcher = new PassageSearcher(dict);
    this.preparer = new PrepareThread({
      minBytes: config.INGEST_WORKER_MIN_BYTES,
      dict: dict ? { path: config.DICT_PATH, cacheDir: config.CACHE_DIR } : null,
      decompounder,
      logLevel: config.LOG_LEVEL,
    });
    this.llm = LlmClient.fromConfig(config);
    if (this.llm.enabled) log().info({ model: this.llm.model }, 'LLM answers on (checked against the cited passages before they are shown)');
  }

  /** Dictionary hooks for checking LLM replies (English→German words, ordinary English words). */
  private get verifyHooks(): LlmAnswerOptions['verify'] {
    return verifyHooks(this.dict);
  }

  /**
   * Open the store under `config.DATA_DIR`, load the dictionary and the indexes, and ingest any
   * new file of the bundled corpus (`config.CORPUS_DIR`, shared scope). The paragraphs' concept
   * vectors are then built in the background (a question asked earlier builds the rest first);
   * {@link startup} reports the steps' timings.
   * @param options.embedder a model already loaded in this process instead of loading one.
   * @throws if the data directory cannot be created or the database cannot be opened.
   */
  static async open(config: Config, options: OpenOptions = {}): Promise<Dossier> {
    const t0 = performance.now();
    setLogLevel(config.LOG_LEVEL);
    const db = openDatabase(config.DATA_DIR);
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
      ? (await import('./search/dense.js')).DenseRetriever.open({ embedder, db, dir: config.DATA_DIR, depth: config.DENSE_DEPTH })
      : null;
    const tDenseOpen = performance.now();
    const d = new Dossier(config, db, dict, decompounder, dense);
    // A shard serving only some guilds builds a partial index: it neither reads nor writes the
    // shared snapshot file (which always holds every stored document).
    let documentsLoaded = 0;
    if (options.serves) {
      documentsLoaded = withStorageErrors(db.name, () => d.loadIndex(options.serves)); // a damaged file shows here first
      d.indexOpen = { source: 'rebuilt', reason: 'partial' };
      d.snapshotWritable = false;
    } else {
      d.indexOpen = withStorageErrors(db.name, () => openPersistedIndex(d.searcher, db, config.DATA_DIR, () => { documentsLoaded = d.loadIndex(); }));
      if (d.indexOpen.source === 'snapshot') documentsLoaded = d.searcher.documentCount;
    }
    d.dataVersion = db.pragma('data_version', { simple: true });
    const tIndex = performance.now();
    const denseSync = await d.syncDense();
    const tSync = performance.now();
    await d.ingestBundledCorpus();
    const tEnd = performance.now();
    const ms = (a: number, b: number) => Math.round(b - a);
    const modelLoadMs = options.embedder && embedder ? 0 : ms(tDict, tModel);
    d.openReport = {
      storeMs: ms(t0, tStore),
      dictionaryMs: ms(tStore, tDict),
      modelLoadMs,
      indexMs: ms(tDenseOpen, tIndex),
      index: d.indexOpen!,
      denseMs: ms(tModel, tDenseOpen) + ms(tIndex, tSync),
      corpusMs: ms(tSync, tEnd),
      readyMs: ms(t0, tEnd) - modelLoadMs,
      denseSync,
      documentsLoaded,
    };
    log().debug(d.openReport, 'ready');
    // Concept vectors of the stored paragraphs are built in the background from here; a question
    // asked before that finishes builds the rest first (same answers, it just waits).
    const warm = performance.now();
    d.searcher.warmUp().then(
      () => log().debug({ ms: Math.round(performance.now() - warm) }, 'concept index built'),
      (err: unknown) => log().warn({ err: (err as Error).message }, 'building the concept index in the background failed; it is retried on the first question'),
    );
    return d;
  }

  /** Timings and outcome of {@link open} (see {@link OpenReport}). */
  get startup(): OpenReport {
    return this.openReport!;
  }

  /** True when dense retrieval is on (the embedding model loaded). */
  get denseRetrieval(): boolean {
    return this.dense !== null;
  }

  /**
   * Make the vector index agree with the stored chunks: nothing happens when it does (the common
   * restart); otherwise missing vectors come from the embedding cache or the model (progress logged).
   */
  private async syncDense(): Promise<SyncReport | null> {
    if (!this.dense) return null;
    const ids = this.db.prepare('SELECT id FROM chunks').pluck().all() as number[];
    let next = 0;
    const { readChunkTexts } = await import('./search/dense.js');
    const rep = await this.dense.sync(ids, (missing) => readChunkTexts(this.db, missing), (done, total) => {
      if (total >= 100 && done >= next) {
        log().info({ done, total }, 'embedding chunks');
        next = done + Math.ceil(total / 10);
      }
    });
    if (rep.index === 'mismatch') log().info({ reason: rep.reason, embedded: rep.embedded, fromCache: rep.fromCache }, 'vector index rebuilt');
    return rep;
  }

  /** Vectors for a stored document's chunks, and removal of the replaced version's; never throws. */
  private async indexDense(added: number[], removed: number[]): Promise<void> {
    if (!this.dense) return;
    try {
      this.dense.remove(removed);
      const { readChunkTexts } = await import('./search/dense.js');
      await this.dense.add(readChunkTexts(this.db, added));
    } catch (err) {
      // The document stays stored and lexically searchable; the next open re-embeds what is missing.
      log().warn({ err: (err as Error).message }, 'could not embed the document; dense retrieval will catch up on the next start');
    }
    this.dense.flush();
  }

  /** True when English questions are translated into German query terms. */
  get crossLingual(): boolean {
    return this.dict !== null;
  }

  /** Build the in-memory indexes from the store. @returns how many documents were loaded. */
  private loadIndex(serves?: (guildId: string) => boolean): number {
    let loaded = 0;
    const paras = this.db.prepare('SELECT id, doc_id, terms FROM paragraphs ORDER BY id').all() as { id: number; doc_id: string; terms: string }[];
    const chunks = this.db
      .prepare('SELECT id, doc_id, paragraph_id, start, "end" AS end, terms FROM chunks ORDER BY id')
      .all() as { id: number; doc_id: string; paragraph_id: number; start: number; end: number; terms: string }[];
    const byPara = new Map<number, typeof chunks>();
    for (const c of chunks) {
      let list = byPara.get(c.paragraph_id);
      if (!list) byPara.set(c.paragraph_id, (list = []));
      list.push(c);
    }
    const byDoc = new Map<string, typeof paras>();
    for (const p of paras) {
      let list = byDoc.get(p.doc_id);
      if (!list) byDoc.set(p.doc_id, (list = []));
      list.push(p);
    }
    for (const doc of allDocuments(this.db)) {
      if (doc.scope !== null && serves && !serves(doc.scope)) continue;
      loaded++;
      this.searcher.add({
        id: doc.id,
        scope: doc.scope,
        language: stemLang(doc.language),
        paragraphs: (byDoc.get(doc.id) ?? []).map((p) => ({
          id: p.id,
          terms: splitTerms(p.terms),
          chunks: (byPara.get(p.id) ?? []).map((c) => ({
            id: c.id,
            docId: c.doc_id,
            paragraphId: c.paragraph_id,
            start: c.start,
            end: c.end,
            terms: splitTerms(c.terms),
          })),
        })),
      }, { deferConcepts: true });
    }
    return loaded;
  }

  private async ingestBundledCorpus(): Promise<void> {
    let files: string[];
    try {
      files = fs.readdirSync(this.config.CORPUS_DIR).filter((f) => !f.startsWith('.') && /\.(txt|md)$/i.test(f)).sort();
    } catch {
      log().warn({ dir: this.config.CORPUS_DIR }, 'bundled corpus folder not found; starting with the stored documents only');
      return;
    }
    // Bundled files an operator removed stay removed (until added again with `ingest`).
    const removed = new Set(this.db.prepare('SELECT source FROM removed_bundled').pluck().all() as string[]);
    for (const f of files) {
      if (removed.has(`corpus/${f}`)) continue;
      try {
        await this.ingest({ bytes: fs.readFileSync(path.join(this.config.CORPUS_DIR, f)), filename: f, source: `corpus/${f}`, scope: null });
      } catch (err) {
        log().warn({ file: f, err: (err as Error).message }, 'could not ingest a bundled corpus file');
      }
    }
  }

  /** Run `fn` after every earlier write has finished (writes are serialised). */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Store a document and index it. Re-adding the same content is a no-op (`unchanged`); a new
   * version with the same source (or, without a source, the same title) in the same scope replaces
   * the old one in the same transaction (`replaced`).
   * @throws InputError when the input is empty, not text, too large or otherwise unusable.
   */
  ingest(input: IngestInput): Promise<IngestResult> {
    return this.serial(async () => {
      const job = await ingestJob(input, this.config);
      // Parsing, segmentation and index terms run on a worker thread for large inputs.
      const prepared = await this.preparer.prepare(job);
      return await this.store(prepared, job.scope);
    });
  }

  private async store(prepared: PreparedDocument, scope: string | null): Promise<IngestResult> {
    const existing = getDocument(this.db, prepared.id);
    if (existing) return { status: 'unchanged', document: this.info(existing) };
    const { id, title } = prepared;
    const instructions = this.instructionFlags.count(id, () => prepared.text);
    if (instructions > 0) log().warn({ event: 'instruction-text', id, title, sentences: instructions }, 'document contains text that reads as instructions to an LLM; it never counts as support for LLM answers');
    const older = this.findPreviousVersion(scope, prepared.source, title);
    let chunkIds: number[] = [];
    withStorageErrors(this.db.name, () => this.db.transaction(() => {
      if (older) this.db.prepare('DELETE FROM documents WHERE id = ?').run(older.id);
      chunkIds = insertDocument(this.db, { ...prepared, scope, pages: prepared.pages ? JSON.stringify(prepared.pages) : null });
    })());
    this.indexDirty = true;
    const removedChunks = older ? this.searcher.remove(older.id) : [];
    this.indexStored(id);
    await this.indexDense(chunkIds, removedChunks);
    const row = getDocument(this.db, id)!;
    log().info({ id, title, chunks: chunkIds.length, scope, replaced: older?.id }, 'document stored');
    return { status: older ? 'replaced' : 'added', document: this.info(row), replaced: older?.id };
  }

  /**
   * The stored document a new version replaces: same scope and source, or (without a source) same
   * scope and title among source-less documents; the oldest such row. One indexed lookup
   * (documents_source covers (scope, source)), so ingest does not slow down as the store grows.
   */
  private findPreviousVersion(scope: string | null, source: string | null, title: string): DocumentRow | undefined {
    const id = (
      source
        ? this.db.prepare('SELECT id FROM documents WHERE scope IS ? AND source = ? ORDER BY rowid LIMIT 1').pluck().get(scope, source)
        : this.db.prepare('SELECT id FROM documents WHERE scope IS ? AND source IS NULL AND title = ? ORDER BY rowid LIMIT 1').pluck().get(scope, title)
    ) as string | undefined;
    return id !== undefined ? getDocument(this.db, id) : undefined;
  }

  private indexStored(docId: string): void {
    const doc = getDocument(this.db, docId)!;
    const paras = this.db.prepare('SELECT id, terms FROM paragraphs WHERE doc_id = ? ORDER BY id').all(docId) as { id: number; terms: string }[];
    const chunks = this.db
      .prepare('SELECT id, paragraph_id, start, "end" AS end, terms FROM chunks WHERE doc_id = ? ORDER BY id')
      .all(docId) as { id: number; paragraph_id: number; start: number; end: number; terms: string }[];
    const byPara = new Map<number, typeof chunks>();
    for (const c of chunks) {
      const list = byPara.get(c.paragraph_id);
      if (list) list.push(c);
      else byPara.set(c.paragraph_id, [c]);
    }
    this.searcher.add({
      id: docId,
      scope: doc.scope,
      language: stemLang(doc.language),
      // Chunks grouped by paragraph in one pass (filtering all chunks per paragraph was quadratic).
      paragraphs: paras.map((p) => ({
        id: p.id,
        terms: splitTerms(p.terms),
        chunks: (byPara.get(p.id) ?? []).map((c) => ({ id: c.id, docId, paragraphId: p.id, start: c.start, end: c.end, terms: splitTerms(c.terms) })),
      })),
    });
  }

  /**
   * Remove a document. With a scope, only that scope's own documents can be removed (a guild cannot
   * remove shared documents); with `undefined` (operator CLI) any document can.
   * @returns true when a document was removed.
   */
  remove(id: string, scope?: string | null): Promise<boolean> {
    return this.serial(() => {
      const doc = getDocument(this.db, id);
      if (!doc || (scope !== undefined && doc.scope !== scope)) return false;
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
        if (doc.scope === null && doc.source?.startsWith('corpus/')) {
          this.db.prepare('INSERT OR IGNORE INTO removed_bundled (source) VALUES (?)').run(doc.source);
        }
      })();
      const chunkIds = this.searcher.remove(id);
      this.indexDirty = true;
      if (this.dense) {
        this.dense.remove(chunkIds);
        this.dense.flush();
      }
      log().info({ id, title: doc.title }, 'document removed');
      return true;
    });
  }

  /**
   * Bring back bundled corpus files that were removed (all, or those named by file name, e.g.
   * `000_f6d27b86c4846197.txt`): they are forgotten as removed and ingested again from CORPUS_DIR.
   * @returns the file names that were marked removed and are now restored.
   * @throws InputError 'not-found' for a named file that is not a removed bundled file.
   */
  async restoreBundled(files: string[] = []): Promise<string[]> {
    const removed = this.db.prepare('SELECT source FROM removed_bundled ORDER BY source').pluck().all() as string[];
    const names = removed.map((s) => s.slice('corpus/'.length));
    const unknown = files.filter((f) => !names.includes(path.basename(f)));
    if (unknown.length) throw new InputError(`Not a removed bundled file: ${unknown.join(', ')} (removed: ${names.join(', ') || 'none'}).`, 'not-found');
    const wanted = files.length ? names.filter((n) => files.some((f) => path.basename(f) === n)) : names;
    await this.serial(() => {
      const del = this.db.prepare('DELETE FROM removed_bundled WHERE source = ?');
      this.db.transaction(() => wanted.forEach((n) => del.run(`corpus/${n}`)))();
    });
    await this.ingestBundledCorpus();
    return wanted;
  }

  /** The stored text of a document (citations are slices of it), or undefined. */
  documentText(id: string): string | undefined {
    return getDocumentText(this.db, id);
  }

  /** Documents visible from `scope` (shared + the scope's own), oldest first. */
  list(scope: string | null = null): DocumentInfo[] {
    return listDocuments(this.db, scope ?? null).map((d) => this.info(d));
  }

  /** Every stored document, all scopes (operator view). */
  listAll(): DocumentInfo[] {
    return allDocuments(this.db).map((d) => this.info(d));
  }

  private info(d: DocumentRow): DocumentInfo {
    const chunks = (this.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE doc_id = ?').get(d.id) as { n: number }).n;
    const instructions = this.instructionFlags.count(d.id, () => getDocumentText(this.db, d.id) ?? '');
    return { id: d.id, title: d.title, date: d.date, source: d.source, language: d.language, scope: d.scope, chars: d.chars, chunks, addedAt: d.added_at, ...(instructions ? { instructions } : {}) };
  }

  /** Validate and clean a question. @throws InputError when empty or too long. */
  cleanQuestion(question: string): string {
    const q = sanitizeText(question ?? '').replace(/\s+/g, ' ').trim();
    if (!q) throw new InputError('The question is empty.', 'empty');
    if (q.length > this.config.MAX_QUESTION_CHARS)
      throw new InputError(`The question is too long (${q.length} characters; the limit is ${this.config.MAX_QUESTION_CHARS}).`, 'too-long');
    return q;
  }

  /**
   * Answer a question from the documents visible in `opts.scope`, citing verbatim passages.
   * Abstains (answer says so, no citations) when the best passage covers less than
   * ABSTAIN_THRESHOLD of the question's idf mass and no dense hit reaches DENSE_THRESHOLD.
   * @throws InputError for an empty or too long question.
   */
  async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
    const q = this.cleanQuestion(question);
    const scope = opts.scope ?? null;
    const limit = clampInt(opts.limit, 1, 50, this.config.ANSWER_PASSAGES);
    // German questions get English translations only when English documents are stored.
    const qopts = { germanToEnglish: this.db.prepare("SELECT 1 FROM documents WHERE language = 'en' LIMIT 1").get() !== undefined };
    const query = buildQuery(q, this.dict, qopts);
    const groups: QueryGroup[] = [...query.groups];
    if (opts.context) {
      const ctx = buildQuery(sanitizeText(opts.context).slice(0, this.config.MAX_QUESTION_CHARS), this.dict, qopts);
      const have = new Set(groups.map((g) => g.label));
      for (const g of ctx.groups) if (!have.has(g.label)) groups.push({ ...g, weight: g.weight * CONTEXT_WEIGHT });
    }
    const ranked = this.searcher.search(groups, scope, Math.max(limit, this.config.LEXICAL_DEPTH));
    const idfs = this.searcher.groupIdfs(groups);
    const top = ranked[0];
    // Lexical coverage decides, unless a dense hit clears DENSE_THRESHOLD (src/search/dense-abstain.ts).
    const { abstain, ranked: fused } = denseAbstention(!top || top.coverage < this.config.ABSTAIN_THRESHOLD, await this.fuseDense(q, scope, ranked), this.config.DENSE_THRESHOLD);
    if (!abstain && top && languageGap(query.language, getDocument(this.db, top.chunk.docId)?.language ?? 'de', this.dict !== null || this.dense !== null))
      return languageGapAnswer(q);
    const extractive = extractAnswer(q, groups, idfs, this.passages(fused.slice(0, limit)), this.decompounder, abstain, { isCommon: this.isCommonWord, onSentences: opts.onSentences });
    log().debug({ question: q, language: query.language, groups: groups.map((g) => g.label), coverage: top?.coverage }, 'asked');
    // A near miss ("not stated") is never handed to the LLM: it would be asked to answer what the documents lack.
    if (!this.llm.enabled || extractive.abstained || extractive.notStated) return extractive;
    return llmAnswer(this.llm, q, extractive, { language: query.language, verify: this.verifyHooks });
  }

  /**
   * Extractive summary of one document or of every document visible from `scope`: the most
   * central, non-redundant sentences (LexRank + MMR, src/answer/summary.ts), in document order,
   * each cited verbatim. Cached per document version and options.
   * @throws InputError 'not-found' when the document does not exist or is not visible.
   */
  async summarize(opts: SummaryOptions = {}): Promise<Summary> {
    const scope = opts.scope ?? null;
    const count = clampInt(opts.sentences, 1, 20, 3);
    const maxChars = opts.maxChars ?? 3500;
    let rows = listDocuments(this.db, scope);
    if (opts.documentId) {
      rows = rows.filter((r) => r.id === opts.documentId);
      if (rows.length === 0) throw new InputError(`No document with id ${opts.documentId} here.`, 'not-found');
    }
    if (rows.length === 0) return { document: null, text: 'There are no documents to summarise yet.', citations: [], mode: 'extractive' };
    const key = summaryCacheKey({
      scope: opts.documentId ? opts.documentId : scope,
      documents: rows.map((r) => ({ id: r.id, version: r.id })),
      count,
      maxChars,
      llm: this.llm.enabled ? this.llm.model : null,
    });
    const cached = this.summaries.get(key);
    if (cached) return cached;
    const perDocument: SummarySentence[][] = [];
    for (const row of rows) {
      const sentences: SummarySentence[] = [];
      perDocument.push(sentences);
      const doc = this.passageDoc(row);
      if (!doc) continue;
      const ref = { id: row.id, title: row.title, date: row.date };
      // Stops at the cap: a huge document is read only as far as the summariser can use.
      sentences.push(...summaryCandidates({ ref, text: doc.text, bodyStart: doc.bodyStart, language: row.language, pages: doc.pages }, MAX_SUMMARY_SENTENCES, this.decompounder));
    }
    // A corpus summary over many documents first keeps each document's best few sentences, so the
    // final LexRank graph stays small (it is quadratic in sentences; see MAX_SUMMARY_SENTENCES).
    let sentences = perDocument.flat();
    if (sentences.length > MAX_SUMMARY_SENTENCES || perDocument.some((d) => d.length > MAX_SUMMARY_SENTENCES)) {
      sentences = perDocument.flatMap((d) =>
        summarizeSentences(d.slice(0, MAX_SUMMARY_SENTENCES), { count: Math.max(count, 3) }).picked,
      );
      if (sentences.length > MAX_SUMMARY_SENTENCES) sentences = sentences.slice(0, MAX_SUMMARY_SENTENCES);
    }
    const { picked } = summarizeSentences(sentences, { count, maxChars });
    const single = opts.documentId ? { id: rows[0].id, title: rows[0].title, date: rows[0].date } : null;
    let summary = renderSummary(picked, single);
    if (this.llm.enabled && summary.citations.length > 0) summary = await llmSummary(this.llm, summary, { verify: this.verifyHooks });
    this.summaries.set(key, summary);
    return summary;
  }

  private passageDoc(row: DocumentRow): Passage['doc'] | null {
    const text = getDocumentText(this.db, row.id);
    if (text === undefined) return null;
    return {
      id: row.id,
      title: row.title,
      date: row.date,
      text,
      language: row.language,
      bodyStart: row.body_start,
      pages: row.pages ? (JSON.parse(row.pages) as PageSpan[]) : null,
    };
  }

  /**
   * Lexical ranking fused with dense retrieval (RRF, src/search/fusion.ts) when dense is on; the
   * lexical ranking unchanged otherwise or when embedding the question fails. A dense-only chunk
   * gets the coverage of its paragraph's best lexical chunk, or 0.
   */
  private async fuseDense(question: string, scope: string | null, ranked: ScoredChunk[]): Promise<FusedChunk[]> {
    if (!this.dense) return ranked;
    let hits;
    try {
      hits = await this.dense.search(question, this.config.DENSE_DEPTH, (cid) => {
        const c = this.searcher.chunk(cid);
        return c !== undefined && this.searcher.visible(c.docId, scope);
      });
    } catch (err) {
      log().warn({ err: (err as Error).message }, 'dense search failed; answering from lexical search');
      return ranked;
    }
    const byId = new Map(ranked.map((r) => [r.chunk.id, r]));
    const paraCoverage = new Map<number, number>();
    for (const r of ranked) if (!paraCoverage.has(r.chunk.paragraphId)) paraCoverage.set(r.chunk.paragraphId, r.coverage);
    const similarity = new Map(hits.map((h) => [h.id, h.score]));
    const out: FusedChunk[] = [];
    for (const f of fuseHybrid(ranked.map((r) => r.chunk.id), hits.map((h) => h.id), this.config)) {
      const chunk = byId.get(f.id)?.chunk ?? this.searcher.chunk(f.id);
      if (chunk) out.push({ chunk, score: f.score, coverage: byId.get(f.id)?.coverage ?? paraCoverage.get(chunk.paragraphId) ?? 0, similarity: similarity.get(f.id) });
    }
    return out;
  }

  /** Top chunks with their documents, for extraction. */
  private passages(ranked: ScoredChunk[]): Passage[] {
    const docs = new Map<string, Passage['doc']>();
    const out: Passage[] = [];
    for (const r of ranked) {
      let doc = docs.get(r.chunk.docId);
      if (!doc) {
        const row = getDocument(this.db, r.chunk.docId);
        const loaded = row ? this.passageDoc(row) : null;
        if (!loaded) continue;
        docs.set(loaded.id, (doc = loaded));
      }
      out.push({ doc, start: r.chunk.start, end: r.chunk.end, score: r.score });
    }
    return out;
  }

  /**
   * A German word known to the dictionary as a common word (in 2+ Ding lines, or a compound of
   * known words): such capitalised words are nouns, not names. Null without the dictionary.
   */
  private get isCommonWord(): ((w: string) => boolean) | null {
    const dict = this.dict;
    if (!dict) return null;
    const known = (w: string) => (dict.deFreq.get(w) ?? 0) >= 2 || (this.decompounder?.split(w).length ?? 1) > 1;
    // Inflected forms ("Prototyps", "Drohnen") are known through their base form.
    const inflected = (w: string) => known(w) || [/(e?s)$/, /(e?n)$/, /(e)$/].some((re) => re.test(w) && w.length > 4 && known(w.replace(re, '')));
    // A compound whose head (last part, 6+ letters) is a known word is a noun too ("Kamikazedrohnen").
    return (w) => {
      if (inflected(w)) return true;
      if (w.length > 40) return false;
      for (let i = 3; i <= w.length - 6; i++) if (inflected(w.slice(i))) return true;
      return false;
    };
  }

  /** Close the store. Safe to call twice. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    // Saved only when no other connection wrote meanwhile (else this index may lack its
    // documents; the next open then rebuilds from the store).
    if (this.db.open && this.indexDirty && this.snapshotWritable && this.db.pragma('data_version', { simple: true }) === this.dataVersion) {
      savePersistedIndex(this.searcher, this.db, this.config.DATA_DIR);
      this.indexDirty = false;
    }
    await this.preparer.close();
    if (this.db.open) this.db.close();
  }
}

/** An integer in [min, max]; `fallback` for undefined or non-finite input. */
function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(min, Math.min(max, Math.floor(v)));
}

function splitTerms(s: string): string[] {
  return s ? s.split(' ') : [];
}
