/**
 * An {@link IngestInput} → a {@link PrepareJob}: URLs are fetched here (on the calling thread:
 * network I/O does not block the event loop), everything CPU-heavy is left to the job.
 */
import type { Config } from '../config.js';
import { fetchUrl } from '../corpus/fetch-url.js';
import { InputError } from '../corpus/types.js';
import type { PrepareJob } from './job.js';
import { ingestLimits } from './prepare.js';

/** What to ingest (exported by the core as IngestInput): text, bytes of a file, or a URL, with metadata overrides. */
export interface IngestSource {
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

/**
 * Build the preparation job for `input` ('' scope = shared), fetching a URL first (guarded against
 * private addresses unless ALLOW_PRIVATE_URLS).
 * @throws InputError for a failed fetch or when nothing is given.
 */
export async function ingestJob(input: IngestSource, config: Config): Promise<PrepareJob> {
  const { deadline: _ignored, ...limits } = ingestLimits(config);
  const base = {
    title: input.title,
    date: input.date,
    source: input.source,
    scope: input.scope || null,
    maxBytes: config.MAX_FILE_BYTES,
    limits,
    budgetMs: config.INGEST_BUDGET_MS,
    chunking: { sentencesPerChunk: config.CHUNK_SENTENCES, overlap: config.CHUNK_OVERLAP },
  };
  if (input.text !== undefined) return { ...base, text: input.text, parseSource: input.source };
  if (input.url) {
    const fetched = await fetchUrl(input.url, {
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.MAX_FILE_BYTES,
      maxRedirects: config.FETCH_MAX_REDIRECTS,
      allowPrivate: config.ALLOW_PRIVATE_URLS,
    });
    return {
      ...base,
      bytes: fetched.bytes,
      filename: new URL(fetched.finalUrl).pathname.split('/').pop() || undefined,
      contentType: fetched.contentType,
      parseSource: fetched.finalUrl,
      source: input.source ?? input.url,
    };
  }
  if (input.bytes) return { ...base, bytes: input.bytes, filename: input.filename, contentType: input.contentType, parseSource: input.source };
  throw new InputError('Nothing to add: give a text, a file or a URL.', 'empty');
}
