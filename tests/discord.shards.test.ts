/**
 * Sharding: the fake Discord routes guilds by Discord's formula `(guild_id >> 22) % num_shards`
 * (Discord docs "Gateway › Sharding"), a discord.js client with two shards gets each guild on the
 * right session, and `SHARDS=auto` runs the real bot (src/main.ts) under discord.js's
 * ShardingManager: two shard processes, each answering the guilds of its shard from the shared
 * documents plus only its own guilds' documents.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { guildFilter, shardOf } from '../src/discord/shards.js';
import { FakeDiscord, shardOf as fakeShardOf, snowflakeOnShard } from './kit/fake-discord.js';
import { textOf } from './kit/bot-harness.js';
import { ROOT, tempDir } from './helpers.js';


describe('shard formula', () => {
  it('is (guild_id >> 22) % num_shards, in the bot and in the fake', () => {
    // Discord's docs example: guild 197038439483310086 on 1 shard → 0; the timestamp part decides.
    expect(shardOf('197038439483310086', 1)).toBe(0);
    expect(shardOf(((1000n << 22n) | 0x3fffffn).toString(), 7)).toBe(1000 % 7);
    for (let s = 0; s < 5; s++) {
      const id = snowflakeOnShard(s, 5);
      expect(shardOf(id, 5)).toBe(s);
      expect(fakeShardOf(id, 5)).toBe(s);
    }
    const serves = guildFilter({ ids: [1], count: 3 })!;
    expect(serves(snowflakeOnShard(1, 3))).toBe(true);
    expect(serves(snowflakeOnShard(2, 3))).toBe(false);
    expect(serves('not-a-snowflake')).toBe(false);
    expect(guildFilter(null)).toBeUndefined();
  });
});

/** Poll `check` every 20 ms (client-side state changes emit no event on the fake). */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SHARDS configuration', () => {
  it('takes auto or a count; a shard process reads its assignment from the manager, never SHARDS', () => {
    expect(loadConfig({}, {}).SHARDS).toBeUndefined();
    expect(loadConfig({}, { SHARDS: 'auto' }).SHARDS).toBe('auto');
    expect(loadConfig({}, { SHARDS: ' 3 ' }).SHARDS).toBe(3);
    for (const bad of ['0', 'two', '-1', '2.5', '5000']) expect(() => loadConfig({}, { SHARDS: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({}, {}).SHARD).toBeNull();
    // What discord.js's ShardingManager puts in a shard's environment.
    const child = loadConfig({}, { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' });
    expect(child.SHARDS).toBeUndefined();
    expect(child.SHARD).toEqual({ ids: [1], count: 2 });
    expect(loadConfig({}, { SHARDING_MANAGER: 'true', SHARDS: '[0,2]', SHARD_COUNT: '3' }).SHARD).toEqual({ ids: [0, 2], count: 3 });
    expect(() => loadConfig({}, { SHARDING_MANAGER: 'true', SHARDS: '2', SHARD_COUNT: '2' })).toThrow(/SHARD_COUNT/);
  });
});

describe('fake discord with two shards', () => {
  let fake: FakeDiscord | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.destroy();
    await fake?.close();
    client = fake = undefined;
  });

  it('recommends 2 shards, opens one session per shard and routes guilds and interactions by the formula', async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    const g0 = fake.addGuild('zero', snowflakeOnShard(0, 2));
    const g1 = fake.addGuild('one', snowflakeOnShard(1, 2));
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase }, shards: 'auto' });
    const ready = new Promise((resolve) => client!.once(Events.ClientReady, resolve));
    await client.login(fake.token);
    await ready;
    await fake.waitForReady();
    expect(fake.gateway.identifies.map((d) => d.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(client.guilds.cache.get(g0.id)?.shardId).toBe(0);
    expect(client.guilds.cache.get(g1.id)?.shardId).toBe(1);
    // A guild added later arrives on its own shard only.
    const late = new Promise<{ id: string; shardId: number }>((resolve) => client!.once(Events.GuildCreate, (g) => resolve({ id: g.id, shardId: g.shardId })));
    const g1b = fake.addGuild('one-b', snowflakeOnShard(1, 2));
    expect(await late).toEqual({ id: g1b.id, shardId: 1 });
    // Interactions go to the session of the guild's shard; DMs to shard 0.
    const seen: { guild: string | null; shard: number }[] = [];
    client.on(Events.InteractionCreate, (i) => void seen.push({ guild: i.guildId, shard: i.guild?.shardId ?? 0 }));
    const user = fake.newUser('u');
    const r0 = fake.slash({ guild: g0, user, name: 'x' });
    const r1 = fake.slash({ guild: g1, user, name: 'x' });
    const dm = fake.slash({ guild: null, user, name: 'x' });
    await until(() => seen.length === 3, 5000, 'three interactions');
    expect([r0.shard, r1.shard, dm.shard]).toEqual([0, 1, 0]);
    // Two sockets: arrival order across shards is not defined.
    expect(seen).toHaveLength(3);
    expect(seen).toEqual(expect.arrayContaining([{ guild: g0.id, shard: 0 }, { guild: g1.id, shard: 1 }, { guild: null, shard: 0 }]));
    // Dropping shard 1 resumes shard 1 alone; its missed interaction is replayed there.
    fake.dropConnection(4000, 1);
    const missed = fake.slash({ guild: g1, user, name: 'x' });
    await until(() => fake!.gateway.resumes === 1 && seen.length === 4, 15_000, 'resume of shard 1');
    expect(missed.shard).toBe(1);
    expect(fake.gateway.identifies).toHaveLength(2);
  });
});

describe('SHARDS=auto: the bot under the ShardingManager', () => {
  let fake: FakeDiscord | undefined;
  let bot: ChildProcess | undefined;
  afterEach(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((r) => bot!.once('exit', r));
      bot.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    bot = fake = undefined;
  });

  it('runs one process per shard; each answers its own guilds from shared + its guilds\' documents', async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    const gA = fake.addGuild('A', snowflakeOnShard(0, 2));
    const gB = fake.addGuild('B', snowflakeOnShard(1, 2));
    const root = tempDir('dossier-shards-');
    const dataDir = path.join(root, 'data');
    const corpus = path.join(root, 'corpus');
    fs.mkdirSync(corpus);
    const base = { DATA_DIR: dataDir, CORPUS_DIR: corpus, TRANSLATE: 'false', EMBEDDINGS: 'off', LOG_LEVEL: 'silent' };
    const d = await Dossier.open(loadConfig(base, {}));
    const fact = (name: string, n: number, what: string) =>
      `${name} annual report.\n\nThe ${name} works build ${n} ${what} every year in their northern plant. The plant opened in 1990. ${name} employs 300 people.\n`;
    await d.ingest({ text: fact('Alphawerk', 40, 'boats'), scope: gA.id, title: 'Alphawerk' });
    await d.ingest({ text: fact('Betawerk', 70, 'aircraft'), scope: gB.id, title: 'Betawerk' });
    await d.ingest({ text: fact('Gammawerk', 90, 'trains'), scope: null, title: 'Gammawerk' });
    await d.close();

    bot = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...base,
        LOG_LEVEL: 'info',
        CACHE_DIR: path.join(root, 'cache'),
        DISCORD_TOKEN: fake.token,
        DISCORD_API_BASE: fake.apiBase,
        REGISTER_COMMANDS: `guild:${gA.id}`,
        SHARDS: 'auto',
        SHARD_SPAWN_DELAY_MS: '0',
      },
    });
    let logs = '';
    bot.stdout!.on('data', (b) => (logs += b));
    bot.stderr!.on('data', (b) => (logs += b));
    const exited = new Promise<number | null>((r) => bot!.once('exit', (code) => r(code)));
    await Promise.race([
      fake.waitFor(() => /all shards ready/.test(logs), 90_000, 'all shards ready'),
      exited.then((code) => Promise.reject(new Error(`bot exited with ${code}:\n${logs}`))),
    ]);
    expect(fake.gateway.identifies.map((x) => x.shard).sort()).toEqual([[0, 2], [1, 2]]);
    // Only the shard holding shard 0 registered the commands.
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'))).toHaveLength(1);
    // Each shard loaded the shared document and its own guild's only.
    const opened = logs.split('\n').filter((l) => l.includes('shard store open')).map((l) => JSON.parse(l) as { shard: number[]; documents: number });
    expect(opened.map((o) => [o.shard, o.documents]).sort()).toEqual([[[0], 2], [[1], 2]]);
    const ready = logs.split('\n').find((l) => l.includes('all shards ready'))!;
    expect(JSON.parse(ready).guilds).toEqual([1, 1]);

    const user = fake.newUser('u');
    const askIn = async (guild: typeof gA, question: string) => {
      const r = fake!.slash({ guild, user, name: 'ask', options: { question } });
      return { shard: r.shard, text: textOf(await fake!.waitForReply(r, (m) => m.length > 0 && !!m[0].embeds?.length, 30_000)) };
    };
    const a = await askIn(gA, 'How many boats does Alphawerk build every year?');
    expect(a.shard).toBe(0);
    expect(a.text).toContain('40 boats');
    const b = await askIn(gB, 'How many aircraft does Betawerk build every year?');
    expect(b.shard).toBe(1);
    expect(b.text).toContain('70 aircraft');
    const shared = await askIn(gB, 'How many trains does Gammawerk build every year?');
    expect(shared.text).toContain('90 trains');
    expect(fake.rejected()).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);
});
