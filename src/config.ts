/**
 * The one place where configuration is read and validated.
 *
 * Sources, later wins: built-in defaults < `.env` in the working directory (dotenv) < process
 * environment < explicit overrides passed to {@link loadConfig} (tests, scripts).
 * Every variable is documented in `.env.example`.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected true/false, got "${v}"` });
    return z.NEVER;
  });
/**
 * A number from the environment: a string of digits (or a number from overrides), checked to be
 * in [min, max] (and whole for `int`). Every failure gives one sentence with the allowed range
 * (zod's own wording, "Expected number, received nan", told a user nothing; issue 14).
 */
function numberIn(min: number, max: number, whole: boolean) {
  const what = `${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const s = typeof v === 'string' ? v.trim() : v;
    // Decimal notation only: Number() would also read "0x10" as 16, "1e3" as 1000 and "" as 0.
    const n = typeof s === 'number' ? s : /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
    if (!Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be ${what}` });
      return z.NEVER;
    }
    return n;
  });
}
const int = (min: number, max: number) => numberIn(min, max, true);
const num = (min: number, max: number) => numberIn(min, max, false);

/** Pino's level names; LOG_LEVEL must be one of them (src/log.ts checks the raw variable too). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const optStr = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A folder path: any string but a blank one (`DATA_DIR="  "` would create a folder named by blanks). */
const folder = z.string().refine((v) => v.trim() !== '', { message: 'must be a folder path, not empty or blank' });

const schema = z.object({
  DATA_DIR: folder.default('./data'),
  CORPUS_DIR: folder.default('./corpus'),
  /** Where derived caches live (the parsed dictionary); default `./.cache`, shared by all data dirs. */
  CACHE_DIR: optStr,
  LOG_LEVEL: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .refine((v): v is (typeof LOG_LEVELS)[number] => (LOG_LEVELS as readonly string[]).includes(v), {
      message: `must be one of ${LOG_LEVELS.join(', ')}`,
    })
    .default('info'),
  /** Path of the Ding German–English dictionary (Debian package trans-de-en). */
  DICT_PATH: z.string().default('/usr/share/trans/de-en'),
  /** Cross-lingual query translation on/off (needs DICT_PATH). */
  TRANSLATE: bool.default(true),
  CHUNK_SENTENCES: int(1, 20).default(3),
  CHUNK_OVERLAP: int(0, 10).default(1),
  /** How many passages an answer cites at most. */
  ANSWER_PASSAGES: int(1, 10).default(3),
  /**
   * How many retrieved passages the extractive answerer reads to choose the answer sentence (the
   * citations are then cut to ANSWER_PASSAGES, the answer's own first). 10 = the depth the answer
   * evaluation (scripts/answer-eval.ts) always measured; with only the 3 cited passages, the
   * TUNING part gave EN→DE answer@1 0.682 vs 0.684 and false abstention at top 1 0.026 vs 0.014
   * (DE→DE 0.730 vs 0.737, 0.035 vs 0.027).
   */
  ANSWER_DEPTH: int(1, 50).default(10),
  /**
   * The bot abstains when the top passage's coverage (0..1: the share of the question's words,
   * weighted by their dictionary specificity, found in the passage; src/search/confidence.ts) is
   * below this. 0.31 = the output of `SHARED_DATA_DIR=… npx tsx scripts/calibrate.ts`, chosen on
   * the tuning part: the lowest cost on hold-out pools from one document to ~750 (seed report,
   * XQuAD, MLQA, XQuAD + 10kGNAD), assuming 20% of questions are unanswerable. On the reporting
   * part it abstains on 66% of unanswerable questions with precision 0.70 at that 20% prior
   * (0.91 as sampled, about half unanswerable), abstains on 6.9% of answerable ones and drops
   * 5.4% of correctly retrieved answers. tests/calibration.pin.test.ts fails at ±0.1. Re-run the
   * script after changing retrieval. 0 = never abstain.
   */
  ABSTAIN_THRESHOLD: num(0, 1).default(0.31),
  MAX_FILE_BYTES: int(1, 1 << 30).default(10 * 1024 * 1024),
  MAX_QUESTION_CHARS: int(10, 100_000).default(1000),
  // --- limits per document, enforced while parsing (issue 11); extracted text ≤ 4 × MAX_FILE_BYTES ---
  MAX_PARAGRAPHS: int(1, 10_000_000).default(50_000),
  MAX_SENTENCES: int(1, 10_000_000).default(200_000),
  MAX_HTML_ELEMENTS: int(1, 10_000_000).default(100_000),
  MAX_HTML_ATTRIBUTES: int(1, 100_000_000).default(500_000),
  MAX_PDF_PAGES: int(1, 1_000_000).default(2000),
  MAX_PDF_INFLATED_BYTES: int(1, 1 << 30).default(64 * 1024 * 1024),
  /** Wall-clock budget for parsing and preparing one document (milliseconds). */
  INGEST_BUDGET_MS: int(100, 3_600_000).default(60_000),
  /** Inputs of at least this many bytes are prepared on a worker thread (0 = all of them). */
  INGEST_WORKER_MIN_BYTES: int(0, 1 << 30).default(256 * 1024),
  /**
   * Heap cap of the ingestion worker thread (MiB): a document whose preparation needs more is
   * refused instead of exhausting the bot's memory. 2048 leaves room for the largest accepted
   * input (a 10 MB single-paragraph text peaks near 0.6 GB: scripts/bench-hostile.ts).
   */
  INGEST_WORKER_MEMORY_MB: int(64, 65_536).default(2048),
  // --- dense retrieval ---
  EMBEDDINGS: z.enum(['auto', 'off']).default('auto'),
  MODEL_ID: z.string().min(1).default('Xenova/multilingual-e5-small'),
  /** PostgreSQL store of record (src/store/postgres.ts, `postgres://…`); unset = the SQLite file in DATA_DIR. */
  DATABASE_URL: optStr.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), { message: 'must start with postgres:// or postgresql://' }),
  /** How often (ms) the replica's follower polls the store's change log (src/search/replica.ts). */
  STORE_POLL_MS: int(50, 60_000).default(1000),
  MODEL_DIR: optStr,
  MODEL_CACHE_DIR: optStr,
  MODEL_REMOTE_HOST: optStr,
  MODEL_QUANTIZED: bool.default(true),
  /** Prefixes the e5 family expects; empty for models that do not use them. */
  QUERY_PREFIX: z.string().default('query: '),
  PASSAGE_PREFIX: z.string().default('passage: '),
  EMBED_BATCH: int(1, 256).default(16),
  LEXICAL_DEPTH: int(1, 1000).default(50),
  DENSE_DEPTH: int(1, 1000).default(50),
  RRF_K: int(1, 10_000).default(60),
  /**
   * With dense retrieval on, a question the lexical coverage would abstain on is still answered
   * from passages whose cosine similarity to it (query vs passage embedding) is at least this
   * (src/search/dense-abstain.ts). Above 1 = never, and that is the default: no real model's
   * weights were available to calibrate it on, and a value calibrated on another model is wrong
   * for this one (the generated 'meaning' test model's calibrated value is 0.34 — chosen on the
   * tuning part by `npx tsx scripts/gen-model.ts /tmp/m/test/meaning meaning && QUERY_PREFIX=
   * PASSAGE_PREFIX= npx tsx scripts/calibrate.ts --dense-model-dir /tmp/m --dense-model-id
   * test/meaning` —, while real e5 models put most texts at cosine 0.7–1.0 (model card), where
   * 0.34 would answer nearly everything). Dense hits still join the ranking by RRF when this is
   * off. With a real model, run scripts/calibrate.ts with your MODEL_DIR/MODEL_ID and set the
   * value it prints.
   */
  DENSE_THRESHOLD: num(0, 2).default(2),
  // --- URLs ---
  FETCH_TIMEOUT_MS: int(100, 120_000).default(15_000),
  FETCH_MAX_REDIRECTS: int(0, 20).default(5),
  ALLOW_PRIVATE_URLS: bool.default(false),
  // --- Discord ---
  DISCORD_TOKEN: optStr,
  DISCORD_APP_ID: optStr,
  DISCORD_API_BASE: z.string().url().default('https://discord.com/api'),
  REGISTER_COMMANDS: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || v === 'global' || /^guild:\d{15,22}$/.test(v), {
      message: 'must be "global" or "guild:<guild id>"',
    }),
  MODERATOR_ROLE_ID: optStr,
  MENTIONS: bool.default(false),
  RATE_LIMIT_PER_MINUTE: int(0, 10_000).default(6),
  /**
   * Unset (default): the bot runs in this one process. `N` or `auto`: this process becomes a
   * discord.js ShardingManager that runs N shard processes (auto = the count Discord recommends
   * in GET /gateway/bot, about one per 1,000 guilds); each serves the guilds of its shard.
   */
  SHARDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').trim().toLowerCase();
      if (s === '') return undefined;
      if (s === 'auto') return 'auto' as const;
      if (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 1024) return Number(s);
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be "auto" or a shard count 1..1024' });
      return z.NEVER;
    }),
  /** Pause between starting two shards (Discord allows one IDENTIFY per 5 s per bucket; discord.js waits 5.5 s). */
  SHARD_SPAWN_DELAY_MS: int(0, 120_000).default(5500),
  // --- optional LLM (OpenAI-compatible) ---
  LLM_BASE_URL: optStr,
  LLM_MODEL: optStr,
  LLM_API_KEY: optStr,
  LLM_TIMEOUT_MS: int(100, 600_000).default(30_000),
  LLM_MAX_RETRIES: int(0, 10).default(3),
  LLM_CONCURRENCY: int(1, 64).default(2),
  /** One deadline per LLM answer (ms): queue wait, every attempt and backoff; then the extractive answer. */
  LLM_DEADLINE_MS: int(500, 600_000).default(20_000),
  /** `max_tokens` sent with each LLM request (the reply is also capped in characters and bytes). */
  LLM_MAX_TOKENS: int(16, 8_192).default(512),
});

/** The shard(s) this process runs when a ShardingManager started it. */
export interface ShardAssignment {
  ids: number[];
  count: number;
}

/**
 * Validated configuration; CACHE_DIR is always resolved. `SHARD` is set only in a shard process
 * started by the ShardingManager (from the SHARDING_MANAGER, SHARDS and SHARD_COUNT variables
 * discord.js passes to it); there `SHARDS` is undefined, so a shard never starts a manager.
 */
export type Config = Omit<z.infer<typeof schema>, 'CACHE_DIR'> & { CACHE_DIR: string; SHARD: ShardAssignment | null };

/** Error raised for an invalid configuration value; `message` names every bad variable. */
export class ConfigError extends Error {}

/**
 * Read and validate the configuration.
 * @param overrides values that win over the environment (strings or typed values).
 * @param env the environment to read (default `process.env`, after loading `.env`).
 * @throws ConfigError listing each invalid variable and why.
 */
export function loadConfig(
  overrides: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  if (env === process.env) dotenv.config({ quiet: true } as dotenv.DotenvConfigOptions);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    if (env[key] !== undefined) raw[key] = env[key];
  }
  // In a shard process discord.js's ShardingManager sets SHARDS to the shard id (not a count).
  const shard = shardAssignment(env);
  if (shard) delete raw.SHARDS;
  Object.assign(raw, overrides);
  const parsed = schema
    .superRefine((c, ctx) => {
      if (c.CHUNK_OVERLAP >= c.CHUNK_SENTENCES) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['CHUNK_OVERLAP'],
          message: `must be smaller than CHUNK_SENTENCES (${c.CHUNK_SENTENCES})`,
        });
      }
    })
    .safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const got = key in raw ? ` (got ${JSON.stringify(raw[key])})` : '';
      return `  ${i.path.join('.')}: ${i.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    ...c,
    DATA_DIR: dataDir,
    CORPUS_DIR: path.resolve(c.CORPUS_DIR),
    CACHE_DIR: path.resolve(c.CACHE_DIR ?? '.cache'),
    SHARD: shard,
  };
}

/**
 * The shard ids and count discord.js's ShardingManager hands a shard process (environment:
 * SHARDING_MANAGER, SHARDS = id or JSON list of ids, SHARD_COUNT), or null outside one.
 * @throws ConfigError when they are set but malformed.
 */
function shardAssignment(env: NodeJS.ProcessEnv): ShardAssignment | null {
  if (!env.SHARDING_MANAGER) return null;
  let ids: unknown;
  try {
    ids = JSON.parse(String(env.SHARDS));
  } catch {
    ids = undefined;
  }
  const list = Array.isArray(ids) ? ids : [ids];
  const count = Number(env.SHARD_COUNT);
  if (!Number.isInteger(count) || count < 1 || list.length === 0 || !list.every((i) => Number.isInteger(i) && i >= 0 && i < count)) {
    throw new ConfigError(`Invalid configuration:\n  SHARDS/SHARD_COUNT from the sharding manager: got ${JSON.stringify(env.SHARDS)} of ${JSON.stringify(env.SHARD_COUNT)}`);
  }
  return { ids: list as number[], count };
}
