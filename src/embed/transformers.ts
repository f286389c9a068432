/**
 * Sentence embeddings with transformers.js (@xenova/transformers v2, ONNX Runtime on the CPU).
 *
 * Where the model comes from (config keys, see .env.example):
 * - `MODEL_DIR` set: an offline copy, nothing is downloaded (`env.allowRemoteModels = false`).
 *   Either a hub-like tree `MODEL_DIR/<MODEL_ID>/…` or a single model folder `MODEL_DIR/config.json …`.
 * - otherwise `MODEL_CACHE_DIR` (default `./.cache/models`) is tried first, then the hub at
 *   `MODEL_REMOTE_HOST` (default https://huggingface.co/, layout `{model}/resolve/{revision}/{file}`);
 *   downloads land in the cache, so a second start needs no network.
 * Files read: `config.json`, `tokenizer.json`, `tokenizer_config.json`, and
 * `onnx/model_quantized.onnx` (`MODEL_QUANTIZED=true`, default) or `onnx/model.onnx`.
 *
 * Vectors: pipeline 'feature-extraction' with mean pooling over the attention mask and L2
 * normalisation, as the e5 model card prescribes (Wang et al. 2022, "Text Embeddings by Weakly-
 * Supervised Contrastive Pre-training"), with the "query: " / "passage: " prefixes from config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../fs-dirs.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@xenova/transformers';
import type { Config } from '../config.js';
import { log } from '../log.js';
import { normalizeInPlace, type EmbedKind, type Embedder } from './embedder.js';

/** The configuration keys this module reads. */
export type EmbedderConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'EMBEDDINGS'
  | 'MODEL_ID'
  | 'MODEL_DIR'
  | 'MODEL_CACHE_DIR'
  | 'MODEL_REMOTE_HOST'
  | 'MODEL_QUANTIZED'
  | 'QUERY_PREFIX'
  | 'PASSAGE_PREFIX'
  | 'EMBED_BATCH'
>;

/** Progress events of transformers.js while it fetches model files ('initiate' | 'download' | 'progress' | 'done' | 'ready'). */
export interface ModelProgress {
  status: string;
  /** Model id or path. */
  name?: string;
  /** File inside the model folder, e.g. "onnx/model_quantized.onnx". */
  file?: string;
  /** Percent 0..100 (status 'progress'). */
  progress?: number;
  /** Bytes read so far / total bytes (status 'progress'; total 0 when the server sent no length). */
  loaded?: number;
  total?: number;
}

export interface LoadOptions {
  /** Called for each file event while the model is fetched or read. */
  onProgress?: (p: ModelProgress) => void;
  /**
   * False: never contact the hub; without MODEL_DIR the model must already be in the download
   * cache (`npm run model:fetch`). Default true (the bot, model:fetch).
   */
  download?: boolean;
}

/** The hub transformers.js talks to when MODEL_REMOTE_HOST is unset (captured before anyone changes `env`). */
const DEFAULT_REMOTE_HOST = env.remoteHost;

/** Default download cache, relative to the working directory like DATA_DIR's default. */
export const DEFAULT_MODEL_CACHE_DIR = '.cache/models';

/** Where and how a model will be looked for; derived from config only. */
export interface ModelSource {
  mode: 'local' | 'remote';
  /** The id transformers.js is asked for (a path segment under `localModelPath` in local mode). */
  request: string;
  /** Local mode: the folder holding `<request>/config.json`. */
  localModelPath?: string;
  /** Remote mode: download cache folder (absolute). */
  cacheDir: string;
  /** Remote mode: hub base URL, ending in "/". */
  remoteHost: string;
  /** The ONNX file that will be read, relative to the model folder. */
  onnxFile: string;
}

/** Work out where the configured model is to be read from. Pure: touches only the file system's `existsSync`. */
export function modelSource(config: EmbedderConfig): ModelSource {
  const onnxFile = config.MODEL_QUANTIZED ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
  const cacheDir = path.resolve(config.MODEL_CACHE_DIR ?? DEFAULT_MODEL_CACHE_DIR);
  let remoteHost = config.MODEL_REMOTE_HOST ?? DEFAULT_REMOTE_HOST;
  if (!remoteHost.endsWith('/')) remoteHost += '/';
  if (config.MODEL_DIR) {
    const dir = path.resolve(config.MODEL_DIR);
    // A single model folder (config.json at its top) or a hub-like tree of <owner>/<name> folders.
    if (fs.existsSync(path.join(dir, 'config.json'))) {
      return { mode: 'local', request: path.basename(dir), localModelPath: path.dirname(dir), cacheDir, remoteHost, onnxFile };
    }
    return { mode: 'local', request: config.MODEL_ID, localModelPath: dir, cacheDir, remoteHost, onnxFile };
  }
  return { mode: 'remote', request: config.MODEL_ID, cacheDir, remoteHost, onnxFile };
}

/** transformers.js keeps its settings in one global `env`; loads are serialised so two never mix settings. */
let loadQueue: Promise<unknown> = Promise.resolve();

/** Embeddings from a transformers.js feature-extraction pipeline. Create with {@link createTransformersEmbedder}. */
export class TransformersEmbedder implements Embedder {
  readonly fingerprint: string;

  constructor(
    /** The loaded pipeline (exposed for the benchmark, which times the bare ONNX session). */
    readonly pipe: FeatureExtractionPipeline,
    readonly modelId: string,
    readonly dim: number,
    private readonly opts: { quantized: boolean; queryPrefix: string; passagePrefix: string; batch: number },
  ) {
    this.fingerprint = `${modelId}|${opts.quantized ? 'quantized' : 'fp32'}|passage-prefix=${JSON.stringify(opts.passagePrefix)}`;
  }

  /**
   * Embed `texts` (prefixed per `kind`) in batches of EMBED_BATCH. Texts are grouped by length so
   * a batch pads little; the result keeps the input order. Yields to the event loop between batches.
   *
   * Runs the pipeline's own tokenizer and model, then mean-pools over the attention mask and
   * L2-normalises exactly like the pipeline's `{pooling: 'mean', normalize: true}` (a test checks
   * they agree), but in one contiguous pass: the pipeline's pooling reads the int64 mask as BigInt
   * once per hidden unit and cost ~10% of the model's CPU time on e5-small-sized batches.
   * @returns unit-length vectors of length {@link dim}.
   * @throws Error when ONNX Runtime fails or the model returns a zero or non-finite vector.
   */
  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const prefix = kind === 'query' ? this.opts.queryPrefix : this.opts.passagePrefix;
    const out = new Array<Float32Array>(texts.length);
    const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
    for (let s = 0; s < order.length; s += this.opts.batch) {
      if (s > 0) await yieldToEventLoop();
      const idx = order.slice(s, s + this.opts.batch);
      const vectors = await this.forward(idx.map((i) => prefix + texts[i]));
      idx.forEach((i, j) => (out[i] = vectors[j]));
    }
    return out;
  }

  /** Tokenise, run the model, mean-pool and normalise one batch. */
  private async forward(batch: string[]): Promise<Float32Array[]> {
    const inputs = this.pipe.tokenizer(batch, { padding: true, truncation: true });
    const outputs = await this.pipe.model(inputs);
    // The same output the pipeline pools.
    const hidden = (outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings) as Tensor | undefined;
    if (!hidden || hidden.dims.length !== 3) throw new Error('model output has no [batch, sequence, hidden] tensor (last_hidden_state)');
    const [n, seq, d] = hidden.dims as [number, number, number];
    if (d !== this.dim) throw new Error(`model returned ${d}-dimensional vectors, expected ${this.dim}`);
    return meanPoolNormalize(hidden.data as Float32Array, (inputs.attention_mask as Tensor).data as BigInt64Array, n, seq, d);
  }
  /** Release the ONNX session. */
  async dispose(): Promise<void> {
    await this.pipe.dispose();
  }
}

/**
 * Load the configured model (see module doc for where from). Never downloads in local mode.
 * @throws Error with transformers.js's reason (file not found locally, fetch failed, HTTP 404, bad ONNX…).
 */
export async function createTransformersEmbedder(config: EmbedderConfig, options: LoadOptions = {}): Promise<TransformersEmbedder> {
  const run = loadQueue.then(() => load(config, options));
  loadQueue = run.catch(() => undefined);
  return run;
}

async function load(config: EmbedderConfig, options: LoadOptions): Promise<TransformersEmbedder> {
  const src = modelSource(config);
  env.allowLocalModels = src.mode === 'local';
  env.allowRemoteModels = src.mode === 'remote';
  if (src.localModelPath) env.localModelPath = src.localModelPath;
  env.remoteHost = src.remoteHost;
  env.cacheDir = src.cacheDir;
  env.useFSCache = true;
  const pipe = (await pipeline('feature-extraction', src.request, {
    quantized: config.MODEL_QUANTIZED,
    cache_dir: src.cacheDir,
    local_files_only: src.mode === 'local',
    progress_callback: options.onProgress,
  })) as FeatureExtractionPipeline;
  try {
    // One probe tells the vector length and proves the graph runs.
    const probe = await pipe('dimension probe', { pooling: 'mean', normalize: true });
    const dim = probe.dims[probe.dims.length - 1];
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`model output has no usable last dimension (dims ${JSON.stringify(probe.dims)})`);
    const embedder = new TransformersEmbedder(pipe, config.MODEL_ID, dim, {
      quantized: config.MODEL_QUANTIZED,
      queryPrefix: config.QUERY_PREFIX,
      passagePrefix: config.PASSAGE_PREFIX,
      batch: config.EMBED_BATCH,
    });
    await embedder.embed(['dimension probe'], 'passage');
    return embedder;
  } catch (err) {
    await pipe.dispose().catch(() => undefined);
    throw err;
  }
}

/**
 * Mean of each sequence's hidden states over its attended positions (mask ≠ 0), scaled to unit
 * length — the pooling of Sentence-Transformers / the e5 model card.
 * @param hidden [n, seq, d] row-major; @param mask [n, seq].
 * @throws Error for a sequence with no attended position or a zero/non-finite mean.
 */
export function meanPoolNormalize(hidden: Float32Array, mask: ArrayLike<number | bigint>, n: number, seq: number, d: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const acc = new Float64Array(d);
    let count = 0;
    for (let j = 0; j < seq; j++) {
      if (Number(mask[i * seq + j]) === 0) continue;
      count++;
      const off = (i * seq + j) * d;
      for (let k = 0; k < d; k++) acc[k] += hidden[off + k];
    }
    if (count === 0) throw new Error('a sequence has no attended token');
    const v = new Float32Array(d);
    for (let k = 0; k < d; k++) v[k] = acc[k] / count;
    out.push(normalizeInPlace(v));
  }
  return out;
}

/** A short, single-line description of why loading failed (message plus the network cause, if any). */
export function describeLoadError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  const msg = err.message.split('\n')[0];
  return detail && !msg.includes(detail) ? `${msg} (${detail})` : msg;
}

/** File in DATA_DIR recording that the "dense retrieval is off" line was shown (model id and path). */
export const DENSE_OFF_NOTE = '.dense-off-noted';

/**
 * True when `key` is not yet recorded in DATA_DIR/{@link DENSE_OFF_NOTE}; then records it
 * (temp file + rename). A data folder that cannot be written gives true every time (the line is
 * shown rather than lost).
 */
function noteOnce(dataDir: string, key: string): boolean {
  const file = path.join(dataDir, DENSE_OFF_NOTE);
  try {
    if (fs.readFileSync(file, 'utf8') === key) return false;
  } catch {
    // not said yet
  }
  try {
    makeDirs(dataDir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, key);
    fs.renameSync(tmp, file);
  } catch {
    // read-only folder: say it each time
  }
  return true;
}

/** Remove the note once the model loads, so that losing the model later is said again. */
function forgetNote(dataDir: string): void {
  try {
    fs.rmSync(path.join(dataDir, DENSE_OFF_NOTE), { force: true });
  } catch {
    // nothing to forget
  }
}

/**
 * Load the embedder for dense retrieval, or decide to run without it.
 *
 * @returns the embedder; `null` when EMBEDDINGS=off (logged at info) or when the model cannot be
 *   loaded (no network, no files, broken files). In the latter case exactly one warning is logged
 *   via `log()`, saying that dense retrieval is off, lexical search runs alone, why, and how to fix it.
 *   With `download: false` and no model on disk (the CLI) nothing is fetched and that warning is
 *   given once per data folder (recorded in DATA_DIR/{@link DENSE_OFF_NOTE}); later calls log it
 *   at info level. Never throws.
 */
export async function loadEmbedder(config: EmbedderConfig, options: LoadOptions = {}): Promise<Embedder | null> {
  if (config.EMBEDDINGS === 'off') {
    log().info('Dense retrieval disabled (EMBEDDINGS=off); lexical search runs alone.');
    return null;
  }
  const src = modelSource(config);
  const onnx = path.join(src.cacheDir, src.request, src.onnxFile);
  if (src.mode === 'remote' && options.download === false && !fs.existsSync(onnx)) {
    // No network attempt: the CLI does not download per call (issue 14); said once per data folder.
    const message =
      `dense retrieval is off: the model ${config.MODEL_ID} is not downloaded, so questions are matched by their words only ` +
      `(run \`npm run model:fetch\` once to turn it on; EMBEDDINGS=off turns it off). This is said once for ${path.resolve(config.DATA_DIR)}.`;
    if (noteOnce(config.DATA_DIR, `${config.MODEL_ID}\n${onnx}`)) log().warn(message);
    else log().info(message);
    return null;
  }
  const started = Date.now();
  try {
    const embedder = await createTransformersEmbedder(config, options);
    forgetNote(config.DATA_DIR);
    log().info({ model: config.MODEL_ID, dim: embedder.dim, ms: Date.now() - started, source: src.mode }, 'embedding model loaded');
    return embedder;
  } catch (err) {
    const where =
      src.mode === 'local'
        ? `from MODEL_DIR=${config.MODEL_DIR} (expected config.json, tokenizer.json, tokenizer_config.json and ${src.onnxFile} in ${path.join(src.localModelPath ?? '', src.request)})`
        : `from the cache ${src.cacheDir} or from ${src.remoteHost}`;
    const fix =
      src.mode === 'local'
        ? 'Point MODEL_DIR at a complete copy of the model, or unset it to download.'
        : 'Run `npm run model:fetch` once with internet access, or set MODEL_DIR to an offline copy.';
    log().warn(
      { model: config.MODEL_ID, reason: describeLoadError(err) },
      `Dense retrieval is OFF: the embedding model ${config.MODEL_ID} could not be loaded ${where}: ${describeLoadError(err)}. ` +
        `Lexical search runs alone. ${fix} (EMBEDDINGS=off skips this attempt.)`,
    );
    return null;
  }
}
