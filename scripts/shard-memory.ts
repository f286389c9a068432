/**
 * Memory per shard and per 1,000 chunks, measured on the real bot (src/main.ts under SHARDS=N)
 * against the fake Discord (tests/kit/fake-discord.ts) on 127.0.0.1.
 *
 *   nice -n 10 npx tsx scripts/shard-memory.ts [--shards 2] [--articles 1000] [--guilds 20]
 *   nice -n 10 node --expose-gc --import tsx scripts/shard-memory.ts --vectors 16384
 *
 * Two runs on fresh data directories: (1) the bundled corpus only, (2) the bundled corpus plus
 * `--articles` 10kGNAD articles (../shared/data/10kgnad/test.csv, as in `npm run bench`) spread
 * over `--guilds` guilds whose ids are placed round-robin on the shards. In each run the manager
 * starts the shards, each shard loads the shared documents plus its guilds' (Dossier.open
 * `serves`), and one /ask per guild builds the lazily built structures (concept vectors, caches);
 * then VmRSS of every process is read from /proc. The slope between the runs gives MiB per 1,000
 * chunks a shard holds. Real settings otherwise (TRANSLATE=true with the Ding dictionary);
 * EMBEDDINGS=off, since no real model can be loaded here.
 *
 * `--vectors N` instead measures what dense retrieval adds per shard beyond the model: the RSS
 * growth of one VectorIndex (src/store/vectors.ts defaults, M 32) holding N random 384-dimensional
 * vectors (multilingual-e5-small's size), in MiB per 1,000 vectors.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { shardOf } from '../src/discord/shards.js';
import { setLogLevel } from '../src/log.js';
import { FakeDiscord, snowflakeOnShard } from '../tests/kit/fake-discord.js';
import { VectorIndex } from '../src/store/vectors.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data');

const opts = new Command()
  .option('--shards <n>', 'shard count', '2')
  .option('--articles <n>', '10kGNAD articles in the loaded run', '1000')
  .option('--guilds <n>', 'guilds the articles are spread over', '20')
  .option('--vectors <n>', 'measure the vector index alone with this many 384-d vectors')
  .parse()
  .opts<{ shards: string; articles: string; guilds: string; vectors?: string }>();
const SHARDS = Number(opts.shards);
const ARTICLES = Number(opts.articles);
const GUILDS = Number(opts.guilds);

function articles(n: number): string[] {
  const rows = parseCsv(fs.readFileSync(path.join(SHARED, '10kgnad', 'test.csv'), 'utf8'), {
    delimiter: ';',
    quote: "'",
    relax_quotes: true,
    relax_column_count: true,
  }) as string[][];
  return rows.map((r) => r[1]).filter((t): t is string => typeof t === 'string' && t.trim().length > 0).slice(0, n);
}

/** VmRSS in MiB of `pid`, from /proc. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface RunResult {
  articles: number;
  chunksStored: number;
  perShard: { shard: number; chunks: number; rssMiB: number }[];
  managerRssMiB: number;
  startMs: number;
}

async function run(articleCount: number): Promise<RunResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-shardmem-'));
  const dataDir = path.join(work, 'data');
  const base = { DATA_DIR: dataDir, CORPUS_DIR: path.join(ROOT, 'corpus'), EMBEDDINGS: 'off', TRANSLATE: 'true', LOG_LEVEL: 'warn' };
  const guildIds = Array.from({ length: GUILDS }, (_, g) => snowflakeOnShard(g % SHARDS, SHARDS));
  const d = await Dossier.open(loadConfig(base, {}));
  const texts = articleCount > 0 ? articles(articleCount) : [];
  for (const [i, text] of texts.entries()) await d.ingest({ text, source: `10kgnad/test.csv#${i + 1}`, scope: guildIds[i % GUILDS] });
  await d.close();
  const db = new Database(path.join(dataDir, 'dossier.sqlite'), { readonly: true });
  const rows = db.prepare('SELECT d.scope AS scope, COUNT(c.id) AS n FROM documents d JOIN chunks c ON c.doc_id = d.id GROUP BY d.scope').all() as { scope: string | null; n: number }[];
  db.close();
  const shared = rows.find((r) => r.scope === null)?.n ?? 0;
  const chunksOf = (s: number) => shared + rows.filter((r) => r.scope !== null && shardOf(r.scope, SHARDS) === s).reduce((a, r) => a + r.n, 0);

  const fake = await FakeDiscord.start({ shards: SHARDS });
  const guilds = guildIds.map((id, g) => fake.addGuild(`g${g}`, id));
  const t0 = Date.now();
  const bot = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...base,
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      SHARDS: String(SHARDS),
      SHARD_SPAWN_DELAY_MS: '0',
    },
  });
  let logs = '';
  bot.stdout.on('data', (b) => (logs += b));
  bot.stderr.on('data', (b) => (logs += b));
  try {
    await fake.waitFor(() => /all shards ready/.test(logs), 600_000, 'all shards ready');
    const startMs = Date.now() - t0;
    const user = fake.newUser('u');
    for (const g of guilds.slice(0, SHARDS)) {
      const r = fake.slash({ guild: g, user, name: 'ask', options: { question: 'Wie viele Drohnen pro Monat?' } });
      await fake.waitForReply(r, (m) => m.length > 0 && !!m[0].embeds?.length, 120_000);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const pids = childrenOf(bot.pid!);
    const opened = logs.split('\n').filter((l) => l.includes('shard store open')).map((l) => JSON.parse(l) as { pid: number; shard: number[] });
    const perShard = opened.map((o) => ({ shard: o.shard[0], chunks: chunksOf(o.shard[0]), rssMiB: pids.includes(o.pid) ? rssMiB(o.pid) : NaN })).sort((a, b) => a.shard - b.shard);
    return { articles: texts.length, chunksStored: rows.reduce((a, r) => a + r.n, 0), perShard, managerRssMiB: rssMiB(bot.pid!), startMs };
  } finally {
    const exited = new Promise((r) => bot.once('exit', r));
    bot.kill('SIGTERM');
    await exited;
    await fake.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** RSS growth of a VectorIndex holding `n` random 384-d vectors, MiB per 1,000. */
function vectorMemory(n: number): { vectors: number; capacity: number; mibPer1kVectors: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-vecmem-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const index = VectorIndex.open(dir, { modelId: 'memory-probe', dim: 384 });
    gc?.();
    const before = process.memoryUsage().rss;
    const v = new Float32Array(384);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < v.length; j++) v[j] = Math.random() - 0.5;
      index.add(i + 1, v);
    }
    gc?.();
    const grown = process.memoryUsage().rss - before;
    return { vectors: n, capacity: index.capacity, mibPer1kVectors: Math.round((grown / 2 ** 20 / (n / 1000)) * 100) / 100 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

setLogLevel('warn');
if (opts.vectors) {
  console.log(JSON.stringify(vectorMemory(Number(opts.vectors))));
  process.exit(0);
}
const empty = await run(0);
const loaded = await run(ARTICLES);
const slopes = loaded.perShard.map((s, i) => {
  const b = empty.perShard[i];
  return Math.round(((s.rssMiB - b.rssMiB) / ((s.chunks - b.chunks) / 1000)) * 10) / 10;
});
console.log(JSON.stringify({ shards: SHARDS, guilds: GUILDS, runs: [empty, loaded], mibPer1kChunks: slopes }, null, 2));
