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
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const optStr = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const schema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  CORPUS_DIR: z.string().min(1).default('./corpus'),
  /** PostgreSQL store of record (`postgres://user@host:port/db`); unset = SQLite in DATA_DIR. */
  DATABASE_URL: optStr.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), { message: 'must start with postgres:// or postgresql://' }),
  /** How often (ms) a process checks the store's change log for other processes' writes. */
  STORE_POLL_MS: int(50, 60_000).default(1000),
  /** Where derived caches live (the parsed dictionary); default `./.cache`, shared by all data dirs. */
  CACHE_DIR: optStr,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Path of the Ding German–English dictionary (Debian package trans-de-en). */
  DICT_PATH: z.string().default('/usr/share/trans/de-en'),
  /** Cross-lingual query translation on/off (needs DICT_PATH). */
  TRANSLATE: bool.default(true),
  CHUNK_SENTENCES: int(1, 20).default(3),
  CHUNK_OVERLAP: int(0, 10).default(1),
  /** How many passages an answer cites at most. */
  ANSWER_PASSAGES: int(1, 10).default(3),
  /**
   * The bot abstains when the top passage's coverage (0..1: the share of the question's words,
   * weighted by their dictionary specificity, found in the passage; src/search/confidence.ts) is
   * below this. 0.31 = the output of `npx tsx scripts/calibrate.ts`: the lowest cost on hold-out
   * pools from one document to 1,268 (seed report, XQuAD, MLQA, XQuAD + 10kGNAD), assuming 20%
   * of questions are unanswerable. There it abstained on 64% of unanswerable questions (99% on
   * the seed report, 36% among 1,028 distractor articles) with precision 0.92, and dropped 4.7%
   * of correctly retrieved answers. Re-run the script after changing retrieval. 0 = never abstain.
   */
  ABSTAIN_THRESHOLD: num(0, 1).default(0.31),
  MAX_FILE_BYTES: int(1, 1 << 30).default(10 * 1024 * 1024),
  MAX_QUESTION_CHARS: int(10, 100_000).default(1000),
  // --- dense retrieval ---
  EMBEDDINGS: z.enum(['auto', 'off']).default('auto'),
  MODEL_ID: z.string().min(1).default('Xenova/multilingual-e5-small'),
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
  // --- optional LLM (OpenAI-compatible) ---
  LLM_BASE_URL: optStr,
  LLM_MODEL: optStr,
  LLM_API_KEY: optStr,
  LLM_TIMEOUT_MS: int(100, 600_000).default(30_000),
  LLM_MAX_RETRIES: int(0, 10).default(3),
  LLM_CONCURRENCY: int(1, 64).default(2),
});

/** Validated configuration; CACHE_DIR is always resolved. */
export type Config = Omit<z.infer<typeof schema>, 'CACHE_DIR'> & { CACHE_DIR: string };

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
  };
}
