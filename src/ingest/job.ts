/**
 * One ingestion preparation job, as run on the worker thread (src/ingest/prepare-worker.ts) or
 * in-process for small inputs: bytes or text → parsed document (with the caller's metadata
 * overrides) → identified and prepared document (src/ingest/prepare.ts). Structured-clone safe in
 * both directions.
 */
import { InputError } from '../corpus/types.js';
import { cleanDate, parseBytes, parseText, sanitizeTitle } from '../corpus/parse.js';
import { safeSource } from '../corpus/source.js';
import type { Decompounder } from '../text/decompound.js';
import { identifyDocument, prepareDocument, type ChunkSettings, type IngestLimits, type PreparedDocument } from './prepare.js';

/** What to prepare (bytes already fetched for URLs). */
export interface PrepareJob {
  text?: string;
  bytes?: Uint8Array;
  filename?: string;
  contentType?: string;
  /** Source passed to the parser (a URL's final address, a file path). */
  parseSource?: string;
  /** Metadata that wins over what the parser found. */
  title?: string;
  date?: string;
  source?: string;
  scope: string | null;
  maxBytes: number;
  /** Limits without the deadline; the runner sets it from `budgetMs`. */
  limits: Omit<IngestLimits, 'deadline'>;
  budgetMs: number;
  chunking: ChunkSettings;
}

/**
 * Run a job: parse, apply overrides, identify, segment and index.
 * @throws InputError as the parsers and {@link prepareDocument} do.
 */
export async function runPrepareJob(job: PrepareJob, decompounder: Decompounder | null): Promise<PreparedDocument> {
  const { parsed, ident, limits } = await parseJob(job);
  return prepareDocument(parsed, ident, job.chunking, limits, decompounder);
}

/**
 * A job's document id without segmenting or indexing it (parse, overrides, canonical text, hash):
 * the id {@link runPrepareJob} gives the same job.
 * @throws InputError as the parsers and identifyDocument do.
 */
export async function identifyJob(job: PrepareJob): Promise<string> {
  return (await parseJob(job)).ident.id;
}

async function parseJob(job: PrepareJob): Promise<{ parsed: Parameters<typeof prepareDocument>[0]; ident: ReturnType<typeof identifyDocument>; limits: IngestLimits }> {
  const limits: IngestLimits = { ...job.limits, deadline: performance.now() + job.budgetMs };
  let parsed;
  if (job.text !== undefined) {
    if (Buffer.byteLength(job.text, 'utf8') > job.maxBytes) throw new InputError(`The text is larger than the limit of ${job.maxBytes} bytes.`, 'too-large');
    parsed = parseText(job.text, { source: job.parseSource });
  } else if (job.bytes) {
    parsed = await parseBytes(job.bytes, { filename: job.filename, contentType: job.contentType, maxBytes: job.maxBytes, source: job.parseSource, limits });
  } else {
    throw new InputError('Nothing to add: give a text, a file or a URL.', 'empty');
  }
  const title = job.title !== undefined ? sanitizeTitle(job.title) : undefined;
  // Overrides are checked like the parser's own metadata: an invalid date is dropped (header
  // dates are, src/corpus/parse.ts cleanDate), a source must be an http(s) URL or file-like.
  const date = job.date !== undefined ? cleanDate(job.date) : undefined;
  const source = safeSource(job.source) ?? safeSource(parsed.source);
  parsed = { ...parsed, title: title ?? parsed.title, date: date ?? parsed.date, source };
  const ident = identifyDocument(parsed, job.scope, limits.maxChars);
  return { parsed, ident, limits };
}
