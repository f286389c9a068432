/**
 * Test harness: the real bot (DossierBot + Dossier core) logged in to a {@link FakeDiscord}, with
 * its own temporary DATA_DIR, the bundled corpus, two guilds (A, B) and commands registered in A
 * and B. `asks` records every call the bot made to the core's ask().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.js';
import { Dossier } from '../../src/core.js';
import { DossierBot } from '../../src/discord/bot.js';
import type { DossierApi } from '../../src/discord/context.js';
import { registerCommands } from '../../src/discord/register.js';
import { setLogLevel } from '../../src/log.js';
import type { FeedbackStore } from '../../src/store/feedback.js';
import { FakeDiscord, snowflakeOnShard, type Guild, type FakeDiscordOptions } from './fake-discord.js';

/**
 * Shards of the bot under test: TEST_SHARDS (default 1). With more, the in-process bot connects
 * with discord.js's internal sharding (`shards: 'auto'`, one gateway session per shard, the count
 * taken from the fake's GET /gateway/bot), guild A lands on shard 0 and guild B on the last one,
 * so every harness test also checks the fake's shard routing. (Not named SHARDS: discord.js reads
 * SHARDS from the environment of every Client.)
 */
export const TEST_SHARDS = Math.max(1, Math.floor(Number(process.env.TEST_SHARDS ?? 1)) || 1);

export const CORPUS_DIR = fileURLToPath(new URL('../../corpus', import.meta.url));

export interface Harness {
  fake: FakeDiscord;
  bot: DossierBot;
  dossier: Dossier;
  feedback: FeedbackStore;
  config: Config;
  guildA: Guild;
  guildB: Guild;
  dataDir: string;
  /** Gateway sessions the bot opened (TEST_SHARDS). */
  shards: number;
  asks: { question: string; opts?: { scope?: string | null; context?: string } }[];
  close(): Promise<void>;
}

/**
 * Start fake Discord, core and bot. `overrides` are config values (e.g. MENTIONS, RATE_LIMIT_PER_MINUTE);
 * `opts.wrap` may replace core methods (e.g. a stub ask() that returns a huge answer).
 * Translation and embeddings are off so that opening the core takes milliseconds.
 */
export async function startHarness(
  overrides: Record<string, unknown> = {},
  opts: { fake?: FakeDiscordOptions; wrap?: (core: DossierApi) => Partial<DossierApi> } = {},
): Promise<Harness> {
  setLogLevel(process.env.LOG_LEVEL ?? 'warn');
  const fake = await FakeDiscord.start({ shards: TEST_SHARDS, ...opts.fake });
  const guildA = fake.addGuild('Guild A', snowflakeOnShard(0, TEST_SHARDS));
  const guildB = fake.addGuild('Guild B', snowflakeOnShard(TEST_SHARDS - 1, TEST_SHARDS));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-discord-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      CORPUS_DIR,
      TRANSLATE: false,
      EMBEDDINGS: 'off',
      LOG_LEVEL: 'warn',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      REGISTER_COMMANDS: `guild:${guildA.id}`,
      ...overrides,
    },
    {},
  );
  const dossier = await Dossier.open(config);
  const asks: Harness['asks'] = [];
  const core = dossier as unknown as DossierApi;
  const real: DossierApi = {
    ask: (question, o) => core.ask(question, o),
    summarize: (o) => core.summarize(o),
    ingest: (input) => core.ingest(input),
    remove: (id, scope) => core.remove(id, scope),
    list: (scope) => core.list(scope),
  };
  const api: DossierApi = { ...real, ...opts.wrap?.(real) };
  const spy: DossierApi = {
    ...api,
    ask: (question, o) => {
      asks.push({ question, opts: o });
      return api.ask(question, o);
    },
  };
  const feedback = dossier.feedback;
  const bot = new DossierBot({ dossier: spy, config, feedback, clientOptions: TEST_SHARDS > 1 ? { shards: 'auto' } : {} });
  await bot.start();
  await fake.waitForReady();
  // Guild B gets the commands too, so that the fake knows their option types there.
  await registerCommands(bot.client.rest, fake.appId, `guild:${guildB.id}`);
  return {
    fake,
    bot,
    dossier,
    feedback,
    config,
    guildA,
    guildB,
    dataDir,
    shards: TEST_SHARDS,
    asks,
    async close() {
      await bot.stop();
      await dossier.close();
      await fake.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Text of all embeds (titles, descriptions, footers) and content of the given messages. */
export function textOf(messages: any[]): string {
  return messages
    .flatMap((m) => [m.content ?? '', ...(m.embeds ?? []).flatMap((e: any) => [e.title ?? '', e.description ?? '', e.footer?.text ?? ''])])
    .join('\n');
}
