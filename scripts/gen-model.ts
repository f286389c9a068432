/**
 * Generate real ONNX sentence-embedding models offline, laid out like a Hugging Face hub folder,
 * so tests and the benchmark can run transformers.js without downloading anything.
 *
 *   <dir>/config.json            model_type "bert" and the shape
 *   <dir>/tokenizer.json         WordPiece vocabulary, BERT normaliser/pre-tokeniser, [CLS] … [SEP]
 *   <dir>/tokenizer_config.json  BertTokenizer, model_max_length 512
 *   <dir>/onnx/model.onnx            fp32 graph
 *   <dir>/onnx/model_quantized.onnx  the same weights with dynamic int8 quantisation of every
 *                                    MatMul (DynamicQuantizeLinear + MatMulInteger) and a uint8
 *                                    embedding table (Gather + DequantizeLinear), the pattern of
 *                                    ONNX Runtime's quantize_dynamic that Xenova's models use.
 *
 * Kinds:
 * - 'tiny'    — BERT encoder, 2 layers, hidden 32, 4 heads, FFN 64, random weights: fast tests.
 * - 'real'    — the shape of multilingual-e5-small: 12 layers, hidden 384, 12 heads, FFN 1536,
 *               512 positions, vocabulary of 250,002 entries (random weights): for the benchmark.
 * - 'meaning' — no attention layers: each vocabulary entry is looked up in a table where all words
 *               of one concept (in English and German, e.g. "drone"/"UAV"/"Drohne"/"##drohnen")
 *               share one axis, so a mean-pooled text vector is its bag of concepts and cosine
 *               similarity finds passages across languages with no word in common.
 *
 * The graph is the standard BERT encoder (Devlin et al. 2019): word + position + token-type
 * embeddings, LayerNorm, then per layer multi-head self-attention with the additive −10000 mask,
 * residual + LayerNorm, GELU feed-forward, residual + LayerNorm. Inputs `input_ids`,
 * `attention_mask` (int64 [batch, sequence]); output `last_hidden_state` (float [batch, sequence, hidden]).
 *
 * CLI: `tsx scripts/gen-model.ts <dir> <tiny|real|meaning> [--vocab-from FILE …] [--fp32-only|--quantized-only]`
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import onnxProto from 'onnx-proto';
import { mulberry32 } from './lib/metrics.js';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;

export type ModelKind = 'tiny' | 'real' | 'meaning';
export type ModelVariant = 'quantized' | 'fp32';

export interface GenerateOptions {
  /** Texts whose frequent words (and word endings) go into the vocabulary ('tiny' and 'real'). */
  vocabFrom?: string[];
  /** Which ONNX files to write (default both). */
  variants?: ModelVariant[];
  /** PRNG seed for the random weights (default 42). */
  seed?: number;
}

export interface GeneratedModel {
  dir: string;
  kind: ModelKind;
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocabSize: number;
  files: string[];
}

interface Shape {
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocabSize: number;
  maxPositions: number;
}

const SHAPES: Record<Exclude<ModelKind, 'meaning'>, Shape> = {
  tiny: { hidden: 32, layers: 2, heads: 4, ffn: 64, vocabSize: 0, maxPositions: 512 },
  real: { hidden: 384, layers: 12, heads: 12, ffn: 1536, vocabSize: 250_002, maxPositions: 512 },
};

/**
 * Concepts of the 'meaning' model: every surface form (lower case; "##" marks a word-internal
 * piece, so compounds like "Kamikazedrohnen" reach the concept through "##drohnen") maps to the
 * concept's own axis. Chosen around the seed report (drone deliveries from China to Russia).
 */
export const MEANING_CONCEPTS: Record<string, string[]> = {
  drone: ['drone', 'drones', 'uav', 'uavs', 'drohne', 'drohnen', '##drohne', '##drohnen'],
  month: ['month', 'months', 'monthly', 'monat', 'monate', 'monats', 'monatlich', '##monat'],
  factory: ['factory', 'factories', 'plant', 'fabrik', 'fabriken', '##fabrik'],
  production: ['production', 'produce', 'produced', 'manufacturing', 'produktion', '##produktion', 'herstellen', 'hergestellt'],
  manufacturer: ['manufacturer', 'maker', 'hersteller', '##hersteller'],
  weapon: ['weapon', 'weapons', 'arms', 'waffe', 'waffen', '##waffen'],
  export: ['export', 'exports', 'waffenexport', '##export'],
  delivery: ['delivery', 'deliveries', 'deliver', 'supply', 'lieferung', 'lieferungen', 'liefern', '##lieferung', '##lieferungen'],
  russia: ['russia', 'russian', 'moscow', 'russland', 'russische', 'russischen', 'moskau'],
  china: ['china', 'chinese', 'beijing', 'chinesische', 'chinesischen', 'peking'],
  iran: ['iran', 'iranian', 'tehran', 'iranische', 'teheran'],
  capacity: ['capacity', 'kapazität'],
  warhead: ['warhead', 'warheads', 'sprengkopf'],
  kilogram: ['kilogram', 'kilograms', 'kilogramm'],
  negotiate: ['negotiate', 'negotiating', 'negotiations', 'verhandeln', 'verhandlungen'],
  war: ['war', 'krieg', '##krieg'],
  ukraine: ['ukraine', 'ukrainian', 'ukrainische'],
  plan: ['plan', 'plans', 'planned', 'pläne', 'planen', 'geplant', 'geplanten', 'geplante'],
  cooperation: ['cooperation', 'collaboration', 'kooperation', 'zusammenarbeit'],
  military: ['military', 'army', 'armed', 'streitkräfte', 'militär', 'militärexperten'],
};

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const CLS_ID = 2;
const SEP_ID = 3;

/** Characters every vocabulary covers, so unknown words split into pieces instead of becoming [UNK]. */
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789äöüßéèàáâçñóôíøå',
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~„“”‚‘’«»–—…€£§°²³½',
];

/** Fallback word list for 'tiny' when no texts are given. */
const COMMON_WORDS = (
  'der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an er hat aus bei nach wird ' +
  'the of and to in is for on that with as was at by it from be this are or have an not which'
).split(' ');

// ---------------------------------------------------------------------------------------------
// Deterministic random numbers: mulberry32 (scripts/lib/metrics.ts).


/** Uniform weights with standard deviation 0.02 (BERT's initialiser range): U(−0.02·√3, 0.02·√3). */
function randomWeights(n: number, next: () => number): Float32Array {
  const a = 0.02 * Math.sqrt(3);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * a;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary and tokenizer files.

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function topByCount(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([w]) => w);
}

/**
 * Specials, characters (as word starts and "##" pieces), then `words`, then frequent word endings
 * of `texts` as "##" pieces, padded with "[unusedN]" up to `size` (if given).
 */
function buildVocab(words: string[], texts: string[], size: number | undefined): string[] {
  const vocab: string[] = [...SPECIALS];
  const seen = new Set<string>(vocab);
  const push = (t: string) => {
    if (!seen.has(t) && (size === undefined || vocab.length < size)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  for (const c of CHARS) push(c);
  for (const c of CHARS) push(`##${c}`);
  for (const w of words) push(w);
  if (texts.length > 0) {
    const wordCounts = new Map<string, number>();
    for (const t of texts) for (const w of wordsOf(t)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    // About a fifth of a large vocabulary for whole words, the same again for word endings: German
    // compounds then split into a few pieces, roughly as a real subword vocabulary splits them.
    const room = size === undefined ? 2000 : Math.floor(size / 5);
    for (const w of topByCount(wordCounts, room)) push(w);
    const pieceCounts = new Map<string, number>();
    for (const [w, n] of wordCounts) {
      if (seen.has(w)) continue;
      for (let len = 2; len <= 8 && len < w.length; len++) {
        const p = w.slice(w.length - len);
        pieceCounts.set(p, (pieceCounts.get(p) ?? 0) + n);
      }
    }
    for (const p of topByCount(pieceCounts, room)) push(`##${p}`);
  }
  if (size !== undefined) for (let i = 0; vocab.length < size; i++) push(`[unused${i}]`);
  return vocab;
}

function tokenizerJson(vocab: string[]): unknown {
  const added = SPECIALS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [CLS_ID], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [SEP_ID], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: 512,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
  clean_up_tokenization_spaces: true,
};

// ---------------------------------------------------------------------------------------------
// ONNX graph construction.

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const INT8 = onnx.TensorProto.DataType.INT8;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

type Attr = number | number[] | { f: number };

/** Accumulates nodes and initialisers; names are generated unless given. */
class GraphBuilder {
  readonly nodes: INode[] = [];
  readonly inits: ITensor[] = [];
  private n = 0;

  constructor(private readonly quantized: boolean) {}

  private fresh(hint: string): string {
    return `${hint}_${this.n++}`;
  }

  tensor(name: string, dims: number[], dataType: number, bytes: Uint8Array): string {
    this.inits.push({ name, dims, dataType, rawData: bytes });
    return name;
  }

  f32(name: string, dims: number[], data: Float32Array): string {
    return this.tensor(name, dims, FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  i64(values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.tensor(this.fresh('const'), [values.length], INT64, new Uint8Array(data.buffer));
  }

  scalar(value: number): string {
    return this.tensor(this.fresh('scalar'), [], FLOAT, new Uint8Array(Float32Array.of(value).buffer));
  }

  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1): string[] {
    const out = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: A.INTS, ints: v }
        : typeof v === 'number'
          ? { name, type: A.INT, i: v }
          : { name, type: A.FLOAT, f: v.f },
    );
    this.nodes.push({ opType, input: inputs, output: out, attribute, name: this.fresh(`n_${opType}`) });
    return out;
  }

  one(opType: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    return this.op(opType, inputs, attrs, 1)[0];
  }

  /** x · W + b with W [in, out]; int8 dynamic quantisation when the builder is quantised. */
  linear(x: string, name: string, w: Float32Array, inDim: number, outDim: number, b: Float32Array): string {
    let y: string;
    if (this.quantized) {
      const q = quantizeSymmetric(w);
      const wq = this.tensor(`${name}.weight_quantized`, [inDim, outDim], INT8, new Uint8Array(q.data.buffer));
      const wScale = this.scalar(q.scale);
      const wZero = this.tensor(this.fresh('zp'), [], INT8, new Uint8Array(1));
      const [xq, xScale, xZero] = this.op('DynamicQuantizeLinear', [x], {}, 3);
      const yi = this.one('MatMulInteger', [xq, wq, xZero, wZero]);
      const yf = this.one('Cast', [yi], { to: FLOAT });
      y = this.one('Mul', [yf, this.one('Mul', [xScale, wScale])]);
    } else {
      y = this.one('MatMul', [x, this.f32(`${name}.weight`, [inDim, outDim], w)]);
    }
    return this.one('Add', [y, this.f32(`${name}.bias`, [outDim], b)]);
  }

  /** Gather rows of an embedding table; a uint8 table plus DequantizeLinear when quantised. */
  embedding(ids: string, name: string, table: Float32Array, rows: number, cols: number): string {
    if (!this.quantized) return this.one('Gather', [this.f32(name, [rows, cols], table), ids]);
    const q = quantizeAsymmetric(table);
    const tq = this.tensor(`${name}_quantized`, [rows, cols], UINT8, q.data);
    const zp = this.tensor(this.fresh('zp'), [], UINT8, Uint8Array.of(q.zeroPoint));
    return this.one('DequantizeLinear', [this.one('Gather', [tq, ids]), this.scalar(q.scale), zp]);
  }

  layerNorm(x: string, name: string, hidden: number): string {
    const gamma = this.f32(`${name}.weight`, [hidden], new Float32Array(hidden).fill(1));
    const beta = this.f32(`${name}.bias`, [hidden], new Float32Array(hidden));
    return this.one('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { f: 1e-12 } });
  }
}

/** Per-tensor symmetric int8: q = round(w / s), s = max|w| / 127, zero point 0. */
function quantizeSymmetric(w: Float32Array): { data: Int8Array; scale: number } {
  let m = 0;
  for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i]));
  const scale = m > 0 ? m / 127 : 1;
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) data[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { data, scale };
}

/** Per-tensor asymmetric uint8 over [min(0, w), max(0, w)]: q = round(w / s) + z. */
function quantizeAsymmetric(w: Float32Array): { data: Uint8Array; scale: number; zeroPoint: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] < lo) lo = w[i];
    if (w[i] > hi) hi = w[i];
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  const data = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(w[i] / scale) + zeroPoint));
  return { data, scale, zeroPoint };
}

interface Weights {
  word: Float32Array;
  position?: Float32Array;
  tokenType?: Float32Array;
  layers: { q: Float32Array; k: Float32Array; v: Float32Array; o: Float32Array; f1: Float32Array; f2: Float32Array }[];
}

function randomBertWeights(shape: Shape, vocabSize: number, seed: number): Weights {
  const next = mulberry32(seed);
  const { hidden: h, ffn } = shape;
  return {
    word: randomWeights(vocabSize * h, next),
    position: randomWeights(shape.maxPositions * h, next),
    tokenType: randomWeights(h, next),
    layers: Array.from({ length: shape.layers }, () => ({
      q: randomWeights(h * h, next),
      k: randomWeights(h * h, next),
      v: randomWeights(h * h, next),
      o: randomWeights(h * h, next),
      f1: randomWeights(h * ffn, next),
      f2: randomWeights(ffn * h, next),
    })),
  };
}

function buildGraph(shape: Shape, vocabSize: number, weights: Weights, quantized: boolean): Uint8Array {
  const g = new GraphBuilder(quantized);
  const { hidden: h, heads, ffn } = shape;
  const headDim = h / heads;
  const ids = 'input_ids';
  const mask = 'attention_mask';
  const maskF = g.one('Cast', [mask], { to: FLOAT }); // [b, s]
  let x = g.embedding(ids, 'embeddings.word_embeddings', weights.word, vocabSize, h); // [b, s, h]

  if (shape.layers === 0) {
    // Bag of embeddings: zero the padded positions (pooling masks them too).
    x = g.one('Mul', [x, g.one('Unsqueeze', [maskF, g.i64([2])])]);
  } else {
    const seqLen = g.one('Slice', [g.one('Shape', [ids]), g.i64([1]), g.i64([2])]);
    const pos = g.one('Slice', [g.f32('embeddings.position_embeddings', [shape.maxPositions, h], weights.position!), g.i64([0]), seqLen, g.i64([0])]);
    x = g.one('Add', [x, pos]);
    x = g.one('Add', [x, g.f32('embeddings.token_type_embeddings.row0', [h], weights.tokenType!)]);
    x = g.layerNorm(x, 'embeddings.LayerNorm', h);
    // Additive mask: 0 where attended, −10000 at padding; [b, 1, 1, s].
    const negMask = g.one('Mul', [g.one('Sub', [g.scalar(1), maskF]), g.scalar(-10000)]);
    const ext = g.one('Unsqueeze', [negMask, g.i64([1, 2])]);
    const headsShape = g.i64([0, 0, heads, headDim]);
    const mergedShape = g.i64([0, 0, h]);
    const zeros = (n: number) => new Float32Array(n);
    weights.layers.forEach((w, i) => {
      const p = `encoder.layer.${i}`;
      const split = (t: string, perm: number[]) => g.one('Transpose', [g.one('Reshape', [t, headsShape])], { perm });
      const q = split(g.linear(x, `${p}.attention.self.query`, w.q, h, h, zeros(h)), [0, 2, 1, 3]);
      const k = split(g.linear(x, `${p}.attention.self.key`, w.k, h, h, zeros(h)), [0, 2, 3, 1]);
      const v = split(g.linear(x, `${p}.attention.self.value`, w.v, h, h, zeros(h)), [0, 2, 1, 3]);
      const scores = g.one('Add', [g.one('Mul', [g.one('MatMul', [q, k]), g.scalar(1 / Math.sqrt(headDim))]), ext]);
      const probs = g.one('Softmax', [scores], { axis: -1 });
      const ctx = g.one('Reshape', [g.one('Transpose', [g.one('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), mergedShape]);
      const attn = g.linear(ctx, `${p}.attention.output.dense`, w.o, h, h, zeros(h));
      x = g.layerNorm(g.one('Add', [attn, x]), `${p}.attention.output.LayerNorm`, h);
      // GELU(u) = 0.5 · u · (1 + erf(u / √2))
      const u = g.linear(x, `${p}.intermediate.dense`, w.f1, h, ffn, zeros(ffn));
      const gelu = g.one('Mul', [g.one('Mul', [u, g.scalar(0.5)]), g.one('Add', [g.one('Erf', [g.one('Mul', [u, g.scalar(Math.SQRT1_2)])]), g.scalar(1)])]);
      const f = g.linear(gelu, `${p}.output.dense`, w.f2, ffn, h, zeros(h));
      x = g.layerNorm(g.one('Add', [f, x]), `${p}.output.LayerNorm`, h);
    });
  }
  g.nodes.push({ opType: 'Identity', input: [x], output: ['last_hidden_state'], name: 'output' });

  const tokens = (elemType: number, last?: number) => ({
    tensorType: {
      elemType,
      shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, ...(last ? [{ dimValue: last }] : [])] },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'dossier scripts/gen-model.ts',
    graph: {
      name: 'bert',
      node: g.nodes,
      initializer: g.inits,
      input: [
        { name: ids, type: tokens(INT64) },
        { name: mask, type: tokens(INT64) },
      ],
      output: [{ name: 'last_hidden_state', type: tokens(FLOAT, h) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The 'meaning' table: one axis per concept plus a background axis that only [CLS] uses. */
function meaningWeights(vocab: string[], conceptOf: Map<string, number>, dims: number): Weights {
  const word = new Float32Array(vocab.length * dims);
  vocab.forEach((t, i) => {
    const c = conceptOf.get(t);
    if (c !== undefined) word[i * dims + c] = 1;
  });
  // [CLS] gets a small background component so that a text with no known concept still has a direction.
  word[CLS_ID * dims + dims - 1] = 0.5;
  return { word, layers: [] };
}

// ---------------------------------------------------------------------------------------------

/**
 * Write a complete model folder at `dir` (created if needed; existing files are overwritten).
 * Deterministic for a given kind, seed and `vocabFrom`.
 * @returns the shape and the files written (paths relative to `dir`).
 */
export async function generateModel(dir: string, kind: ModelKind, options: GenerateOptions = {}): Promise<GeneratedModel> {
  if (!['tiny', 'real', 'meaning'].includes(kind)) throw new Error(`unknown model kind "${kind}" (tiny, real or meaning)`);
  const variants = options.variants ?? ['quantized', 'fp32'];
  const seed = options.seed ?? 42;
  let shape: Shape;
  let vocab: string[];
  let weights: Weights;
  if (kind === 'meaning') {
    const names = Object.keys(MEANING_CONCEPTS);
    const conceptOf = new Map<string, number>();
    names.forEach((name, c) => MEANING_CONCEPTS[name].forEach((form) => conceptOf.set(form, c)));
    vocab = buildVocab([...conceptOf.keys()], [], undefined);
    const dims = names.length + 1;
    shape = { hidden: dims, layers: 0, heads: 1, ffn: 0, vocabSize: vocab.length, maxPositions: 512 };
    weights = meaningWeights(vocab, conceptOf, dims);
  } else {
    const base = SHAPES[kind];
    const texts = options.vocabFrom ?? [];
    vocab = buildVocab(texts.length > 0 ? [] : COMMON_WORDS, texts, base.vocabSize || undefined);
    shape = { ...base, vocabSize: vocab.length };
    weights = randomBertWeights(shape, vocab.length, seed);
  }

  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const files: string[] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    fs.writeFileSync(path.join(dir, rel), data);
    files.push(rel);
  };
  write(
    'config.json',
    JSON.stringify(
      {
        model_type: 'bert',
        architectures: ['BertModel'],
        hidden_size: shape.hidden,
        num_hidden_layers: shape.layers,
        num_attention_heads: shape.heads,
        intermediate_size: shape.ffn,
        max_position_embeddings: shape.maxPositions,
        vocab_size: shape.vocabSize,
        type_vocab_size: 2,
        hidden_act: 'gelu',
        layer_norm_eps: 1e-12,
        _generated_by: `scripts/gen-model.ts kind=${kind} seed=${seed}`,
      },
      null,
      2,
    ),
  );
  write('tokenizer.json', JSON.stringify(tokenizerJson(vocab)));
  write('tokenizer_config.json', JSON.stringify(TOKENIZER_CONFIG, null, 2));
  for (const variant of variants) {
    const bytes = buildGraph(shape, vocab.length, weights, variant === 'quantized');
    write(variant === 'quantized' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx', bytes);
    await new Promise((r) => setImmediate(r));
  }
  return { dir, kind, hidden: shape.hidden, layers: shape.layers, heads: shape.heads, ffn: shape.ffn, vocabSize: shape.vocabSize, files };
}

async function main(argv: string[]): Promise<void> {
  const positional: string[] = [];
  const vocabFrom: string[] = [];
  let variants: ModelVariant[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vocab-from') vocabFrom.push(fs.readFileSync(String(argv[++i]), 'utf8'));
    else if (a === '--fp32-only') variants = ['fp32'];
    else if (a === '--quantized-only') variants = ['quantized'];
    else positional.push(a);
  }
  const [dir, kind] = positional;
  if (!dir || !kind) {
    process.stderr.write('usage: tsx scripts/gen-model.ts <dir> <tiny|real|meaning> [--vocab-from FILE …] [--fp32-only|--quantized-only]\n');
    process.exitCode = 2;
    return;
  }
  const t0 = Date.now();
  const m = await generateModel(path.resolve(dir), kind as ModelKind, { vocabFrom, variants });
  process.stdout.write(`${JSON.stringify({ ...m, ms: Date.now() - t0 })}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`gen-model: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
