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
import { InputError, type PageSpan, type ParsedDocument } from './corpus/types.js';
import { contentHash, deriveTitle, documentId } from './corpus/document.js';
import { parseBytes, parseText, sanitizeText, sanitizeTitle } from './corpus/parse.js';
import { detectLanguage } from './text/language.js';
import { canonicalText } from './text/normalize.js';
import { segmentDocument } from './text/chunk.js';
import { indexTerms } from './text/terms.js';
import { stemLang } from './text/stem.js';
import { Decompounder } from './text/decompound.js';
import type { DB } from './store/db.js';
import type { DocumentRow, IndexRows, Store } from './store/store.js';
import { openStore } from './store/open.js';
import { ChangeFollower } from './search/replica.js';
import { DocumentCatalog } from './search/catalog.js';
import { loadDictionary, type Dictionary } from './search/dictionary.js';
import { buildQuery } from './search/query.js';
import { PassageSearcher, type ScoredChunk } from './search/passages.js';
import type { QueryGroup } from './search/lexical.js';
import { extractAnswer, positionLabel, type Passage } from './answer/extract.js';
import {
  MAX_SUMMARY_SENTENCES,
  renderSummary,
  summarizeSentences,
  summaryCacheKey,
  SummaryCache,
  type SummarySentence,
} from './answer/summary.js';
import type { Answer, Summary } from './answer/types.js';
import { fetchUrl } from './corpus/fetch-url.js';
import { loadEmbedder } from './embed/transformers.js';
import { DenseRetriever, type SyncReport } from './search/dense.js';
import type { Embedder } from './embed/embedder.js';
import { fuseHybrid } from './search/fusion.js';
import { LlmClient } from './answer/llm.js';
import { llmAnswer, llmSummary, type LlmAnswerOptions } from './answer/llm-answer.js';
import { translateEnglish } from './search/dictionary.js';

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
}

/** What to ingest: text, or bytes of a file, with optional metadata overrides. */
export interface IngestInput {
  text?: string;
  bytes?: Uint8Array;
  filename?: string;
  contentType?: string;
  /** An http(s) URL to fetch (guarded against private addresses unless ALLOW_PRIVATE_URLS). */
  url?: string;
  title?: string;
  date?: string;
  source?: string;
  scope?: string | null;
}

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
}

/** Options of {@link Dossier.open}. */
export interface OpenOptions {
  /**
   * An embedding model already loaded in this process (benchmark, tests), used instead of loading
   * one; ignored when EMBEDDINGS=off. The caller keeps ownership (close() does not dispose it).
   */
  embedder?: Embedder;
}

/** What {@link Dossier.open} did and how long each step took (milliseconds, wall clock). */
export interface OpenReport {
  /** Opening the SQLite store. */
  storeMs: number;
  /** Loading the dictionary (0 with TRANSLATE=false). */
  dictionaryMs: number;
  /** Loading the embedding model (0 when EMBEDDINGS=off or an embedder was passed in). */
  modelLoadMs: number;
  /** Building the in-memory lexical and concept indexes from the store. */
  indexMs: number;
  /** Opening the vector index and reconciling it with the store (0 without dense retrieval). */
  denseMs: number;
  /** Checking (and ingesting new or changed) bundled corpus files. */
  corpusMs: number;
  /** From the start of open() until ready, without `modelLoadMs`. */
  readyMs: number;
  /** The vector index reconciliation (re-embedded chunks etc.); null without dense retrieval. */
  denseSync: SyncReport | null;
}

/** Weight of query groups that come from the conversation context rather than the question. */
const CONTEXT_WEIGHT = 0.5;


/** The facade over store, index and answering. Create with {@link Dossier.open}. */
export class Dossier {
  private readonly searcher: PassageSearcher;
  private readonly summaries = new SummaryCache();
  /** Optional OpenAI-compatible LLM (disabled without LLM_BASE_URL). */
  private readonly llm: LlmClient;
  private queue: Promise<unknown> = Promise.resolve();
  private openReport: OpenReport | null = null;
  /** Documents (rows, texts, chunk counts) as the in-memory replica of the store holds them. */
  private readonly catalog = new DocumentCatalog();
  private follower: ChangeFollower | null = null;

  private constructor(
    readonly config: Config,
    /** The store of record (SQLite or PostgreSQL, src/store/store.ts). */
    readonly store: Store,
    private readonly dict: Dictionary | null,
    private readonly decompounder: Decompounder | null,
    /** Dense retrieval, or null when EMBEDDINGS=off or the model could not be loaded (lexical alone). */
    private readonly dense: DenseRetriever | null,
  ) {
    this.searcher = new PassageSearcher(dict);
    this.llm = LlmClient.fromConfig(config);
    if (this.llm.enabled) log().info({ model: this.llm.model }, 'LLM answers on (checked against the cited passages before they are shown)');
  }

  /** The local SQLite database (the store itself with SQLite), for feedback and the embedding cache. */
  get db(): DB {
    return this.store.local;
  }

  /** Dictionary hooks for checking LLM replies (German nouns, English↔German names). */
  private get verifyHooks(): LlmAnswerOptions['verify'] {
    const dict = this.dict;
    if (!dict) return undefined;
    return {
      translate: (w: string) => translateEnglish(dict, w.toLowerCase()),
      isCommonNoun: (w: string) => (dict.deFreq.get(w.toLowerCase()) ?? 0) > 0,
    };
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
    const store = await openStore(config);
    const tStore = performance.now();
    const dict = config.TRANSLATE ? loadDictionary(config.DICT_PATH, config.CACHE_DIR) : null;
    if (!config.TRANSLATE) log().info('Cross-lingual query translation is off (TRANSLATE=false).');
    const decompounder = dict ? new Decompounder(dict.deFreq) : null;
    const tDict = performance.now();
    // null → one warning was logged; everything below then runs lexical only.
    const embedder = options.embedder && config.EMBEDDINGS !== 'off' ? options.embedder : await loadEmbedder(config);
    const tModel = performance.now();
    const dense = embedder ? DenseRetriever.open({ embedder, db: store.local, dir: config.DATA_DIR, depth: config.DENSE_DEPTH }) : null;
    const tDenseOpen = performance.now();
    const d = new Dossier(config, store, dict, decompounder, dense);
    // The change-log position is read before the index: changes committed while loading are
    // replayed by the follower (idempotently).
    const seq = await store.lastSeq();
    await d.loadIndex();
    const tIndex = performance.now();
    const denseSync = await d.syncDense();
    const tSync = performance.now();
    await d.ingestBundledCorpus();
    d.follower = new ChangeFollower(store, seq, (ids) => d.serial(() => d.refresh(ids)), config.STORE_POLL_MS);
    await d.follower.poll(true);
    await d.follower.start();
    const tEnd = performance.now();
    const ms = (a: number, b: number) => Math.round(b - a);
    const modelLoadMs = options.embedder && embedder ? 0 : ms(tDict, tModel);
    d.openReport = {
      storeMs: ms(t0, tStore),
      dictionaryMs: ms(tStore, tDict),
      modelLoadMs,
      indexMs: ms(tDenseOpen, tIndex),
      denseMs: ms(tModel, tDenseOpen) + ms(tIndex, tSync),
      corpusMs: ms(tSync, tEnd),
      readyMs: ms(t0, tEnd) - modelLoadMs,
      denseSync,
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
    const ids = await this.store.chunkIds();
    let next = 0;
    const rep = await this.dense.sync(ids, (missing) => this.store.chunkTexts(missing), (done, total) => {
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
      await this.dense.add(await this.store.chunkTexts(added));
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

  private async loadIndex(): Promise<void> {
    this.indexRows(await this.store.indexRows(), true);
  }

  /** Put documents (with their paragraphs and chunks) into the lexical index and the catalogue. */
  private indexRows(rows: IndexRows, deferConcepts: boolean): void {
    const byPara = new Map<number, IndexRows['chunks']>();
    for (const c of rows.chunks) {
      let list = byPara.get(c.paragraph_id);
      if (!list) byPara.set(c.paragraph_id, (list = []));
      list.push(c);
    }
    const byDoc = new Map<string, IndexRows['paragraphs']>();
    for (const p of rows.paragraphs) {
      let list = byDoc.get(p.doc_id);
      if (!list) byDoc.set(p.doc_id, (list = []));
      list.push(p);
    }
    for (const doc of rows.documents) {
      const { text, ...row } = doc;
      const paragraphs = byDoc.get(doc.id) ?? [];
      this.catalog.set(row, text, paragraphs.reduce((n, p) => n + (byPara.get(p.id)?.length ?? 0), 0));
      this.searcher.add({
        id: doc.id,
        scope: doc.scope,
        language: stemLang(doc.language),
        paragraphs: paragraphs.map((p) => ({
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
      }, { deferConcepts });
    }
  }

  /**
   * Bring the indexes' entries of `docIds` to the store's current state (the change-log follower's
   * apply step; idempotent): a stored document not indexed yet is indexed (lexical, then vectors
   * from the embedding cache or the model), an indexed one no longer stored is dropped.
   */
  private async refresh(docIds: string[]): Promise<void> {
    const rows = await this.store.indexRows(docIds);
    const stored = new Set(rows.documents.map((d) => d.id));
    const removedChunks: number[] = [];
    for (const id of docIds) {
      if (!stored.has(id) && this.catalog.has(id)) {
        this.catalog.delete(id);
        removedChunks.push(...this.searcher.remove(id));
        log().info({ id }, 'document removed by another process');
      }
    }
    const fresh: IndexRows = { documents: rows.documents.filter((d) => !this.catalog.has(d.id)), paragraphs: [], chunks: [] };
    const want = new Set(fresh.documents.map((d) => d.id));
    fresh.paragraphs = rows.paragraphs.filter((p) => want.has(p.doc_id));
    fresh.chunks = rows.chunks.filter((c) => want.has(c.doc_id));
    if (fresh.documents.length === 0 && removedChunks.length === 0) return;
    this.indexRows(fresh, false);
    for (const d of fresh.documents) log().info({ id: d.id, title: d.title }, 'document added by another process');
    await this.indexDense(fresh.chunks.map((c) => c.id), removedChunks);
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
    const removed = await this.store.removedBundled();
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
      const parsed = await this.parse(input);
      return await this.storeParsed(parsed, input.scope || null); // '' is no guild: shared
    });
  }

  /** Bytes or text → a parsed document (format detection, decoding, header lines, sanitising). */
  private async parse(input: IngestInput): Promise<ParsedDocument> {
    let parsed: ParsedDocument;
    if (input.text !== undefined) {
      if (Buffer.byteLength(input.text, 'utf8') > this.config.MAX_FILE_BYTES)
        throw new InputError(`The text is larger than the limit of ${this.config.MAX_FILE_BYTES} bytes.`, 'too-large');
      parsed = parseText(input.text, { source: input.source });
    } else if (input.url) {
      const fetched = await fetchUrl(input.url, {
        timeoutMs: this.config.FETCH_TIMEOUT_MS,
        maxBytes: this.config.MAX_FILE_BYTES,
        maxRedirects: this.config.FETCH_MAX_REDIRECTS,
        allowPrivate: this.config.ALLOW_PRIVATE_URLS,
      });
      parsed = await parseBytes(fetched.bytes, {
        filename: new URL(fetched.finalUrl).pathname.split('/').pop() || undefined,
        contentType: fetched.contentType,
        maxBytes: this.config.MAX_FILE_BYTES,
        source: fetched.finalUrl,
      });
      parsed.source = input.source ?? input.url;
    } else if (input.bytes) {
      parsed = await parseBytes(input.bytes, {
        filename: input.filename,
        contentType: input.contentType,
        maxBytes: this.config.MAX_FILE_BYTES,
        source: input.source,
      });
    } else {
      throw new InputError('Nothing to add: give a text, a file or a URL.', 'empty');
    }
    const title = input.title !== undefined ? sanitizeTitle(input.title) : undefined;
    return {
      ...parsed,
      title: title ?? parsed.title,
      date: input.date ?? parsed.date,
      source: input.source ?? parsed.source,
    };
  }

  private async storeParsed(parsed: ParsedDocument, scope: string | null): Promise<IngestResult> {
    const text = canonicalText(parsed.text);
    const bodyStart = Math.min(parsed.bodyStart ?? 0, text.length);
    if (text.slice(bodyStart).trim().length === 0) throw new InputError('The document has no text.', 'empty');
    const id = documentId(text, scope);
    const existing = this.catalog.get(id) ?? (await this.store.getDocument(id));
    if (existing) return { status: 'unchanged', document: await this.infoOf(existing) };
    const language = parsed.language ?? detectLanguage(text);
    const title = (parsed.title ?? deriveTitle(text, bodyStart)).slice(0, 200);
    const date = parsed.date ?? null;
    const source = parsed.source ?? null;
    const sl = stemLang(language);
    const paragraphs = segmentDocument(text, bodyStart, {
      sentencesPerChunk: this.config.CHUNK_SENTENCES,
      overlap: Math.min(this.config.CHUNK_OVERLAP, this.config.CHUNK_SENTENCES - 1),
    }, language);
    if (paragraphs.length === 0) throw new InputError('The document has no sentences to index.', 'empty');
    const put = await this.store.putDocument({
      id,
      scope,
      title,
      date,
      source,
      language,
      text,
      bodyStart,
      pages: parsed.pages ? JSON.stringify(parsed.pages) : null,
      paragraphs: paragraphs.map((p) => ({
        start: p.start,
        end: p.end,
        terms: indexTerms(text.slice(p.start, p.end), sl, this.decompounder).join(' '),
        chunks: p.chunks.map((c) => {
          const chunkText = text.slice(c.start, c.end);
          return { start: c.start, end: c.end, terms: indexTerms(chunkText, sl, this.decompounder).join(' '), hash: contentHash(chunkText) };
        }),
      })),
    }, { source, title });
    if (put.status === 'unchanged') {
      // Another process stored the same document meanwhile; the follower indexes it.
      await this.refresh([id]);
      return { status: 'unchanged', document: await this.infoOf((await this.store.getDocument(id))!) };
    }
    let removedChunks: number[] = [];
    if (put.replaced) {
      removedChunks = this.searcher.remove(put.replaced);
      this.catalog.delete(put.replaced);
    }
    const rows = await this.store.indexRows([id]);
    this.indexRows(rows, false);
    await this.indexDense(put.chunkIds, removedChunks);
    log().info({ id, title, chunks: put.chunkIds.length, scope, replaced: put.replaced }, 'document stored');
    return { status: put.replaced ? 'replaced' : 'added', document: this.info(this.catalog.get(id)!), replaced: put.replaced };
  }

  /**
   * Remove a document. With a scope, only that scope's own documents can be removed (a guild cannot
   * remove shared documents); with `undefined` (operator CLI) any document can.
   * @returns true when a document was removed.
   */
  remove(id: string, scope?: string | null): Promise<boolean> {
    return this.serial(async () => {
      const doc = await this.store.removeDocument(id, scope);
      if (!doc) return false;
      this.catalog.delete(id);
      const chunkIds = this.searcher.remove(id);
      if (this.dense) {
        this.dense.remove(chunkIds);
        this.dense.flush();
      }
      log().info({ id, title: doc.title }, 'document removed');
      return true;
    });
  }

  /** The stored text of a document (citations are slices of it), or undefined. */
  documentText(id: string): string | undefined {
    return this.catalog.text(id);
  }

  /** Documents visible from `scope` (shared + the scope's own), oldest first. */
  list(scope: string | null = null): DocumentInfo[] {
    return this.catalog.list(scope ?? null).map((d) => this.info(d));
  }

  /** Every stored document, all scopes (operator view). */
  listAll(): DocumentInfo[] {
    return this.catalog.all().map((d) => this.info(d));
  }

  /** {@link info} of a row that may not be in the catalogue yet (chunk count from the store). */
  private async infoOf(d: DocumentRow): Promise<DocumentInfo> {
    if (this.catalog.has(d.id)) return this.info(d);
    const n = (await this.store.chunkCounts([d.id])).get(d.id) ?? 0;
    return { ...this.info(d), chunks: n };
  }

  private info(d: DocumentRow): DocumentInfo {
    const chunks = this.catalog.chunks(d.id);
    return { id: d.id, title: d.title, date: d.date, source: d.source, language: d.language, scope: d.scope, chars: d.chars, chunks, addedAt: d.added_at };
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
   * ABSTAIN_THRESHOLD of the question's idf mass.
   * @throws InputError for an empty or too long question.
   */
  async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
    const q = this.cleanQuestion(question);
    const scope = opts.scope ?? null;
    const limit = clampInt(opts.limit, 1, 50, this.config.ANSWER_PASSAGES);
    const query = buildQuery(q, this.dict);
    const groups: QueryGroup[] = [...query.groups];
    if (opts.context) {
      const ctx = buildQuery(sanitizeText(opts.context).slice(0, this.config.MAX_QUESTION_CHARS), this.dict);
      const have = new Set(groups.map((g) => g.label));
      for (const g of ctx.groups) if (!have.has(g.label)) groups.push({ ...g, weight: g.weight * CONTEXT_WEIGHT });
    }
    const ranked = this.searcher.search(groups, scope, Math.max(limit, this.config.LEXICAL_DEPTH));
    const idfs = this.searcher.groupIdfs(groups);
    const top = ranked[0];
    // Abstention stays lexical until a dense threshold is calibrated with the real model.
    const abstain = !top || top.coverage < this.config.ABSTAIN_THRESHOLD;
    const fused = await this.fuseDense(q, scope, ranked);
    const extractive = extractAnswer(q, groups, idfs, this.passages(fused.slice(0, limit)), this.decompounder, abstain);
    log().debug({ question: q, language: query.language, groups: groups.map((g) => g.label), coverage: top?.coverage }, 'asked');
    if (!this.llm.enabled || extractive.abstained) return extractive;
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
    let rows = this.catalog.list(scope);
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
      const paragraphs = segmentDocument(doc.text, doc.bodyStart, { sentencesPerChunk: 1, overlap: 0 }, row.language);
      for (const [pi, p] of paragraphs.entries()) {
        for (const s of p.sentences) {
          const text = doc.text.slice(s.start, s.end);
          sentences.push({
            doc: ref,
            start: s.start,
            end: s.end,
            text,
            paragraph: pi,
            position: positionLabel(doc, s.start),
            terms: indexTerms(text, stemLang(row.language), this.decompounder),
          });
        }
      }
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
    const text = this.catalog.text(row.id);
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
  private async fuseDense(question: string, scope: string | null, ranked: ScoredChunk[]): Promise<ScoredChunk[]> {
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
    const out: ScoredChunk[] = [];
    for (const f of fuseHybrid(ranked.map((r) => r.chunk.id), hits.map((h) => h.id), this.config)) {
      const chunk = byId.get(f.id)?.chunk ?? this.searcher.chunk(f.id);
      if (chunk) out.push({ chunk, score: f.score, coverage: byId.get(f.id)?.coverage ?? paraCoverage.get(chunk.paragraphId) ?? 0 });
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
        const row = this.catalog.get(r.chunk.docId);
        const loaded = row ? this.passageDoc(row) : null;
        if (!loaded) continue;
        docs.set(loaded.id, (doc = loaded));
      }
      out.push({ doc, start: r.chunk.start, end: r.chunk.end, score: r.score });
    }
    return out;
  }

  /**
   * Apply every change other processes committed to the store, now (normally the follower does
   * this about every STORE_POLL_MS). For tests and tools.
   */
  async catchUp(): Promise<void> {
    await this.follower?.poll(true);
  }

  /** Stop following the change log and close the store. Safe to call twice. */
  async close(): Promise<void> {
    await this.follower?.stop();
    this.follower = null;
    await this.queue.catch(() => undefined);
    await this.store.close();
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
