/**
 * Sharding (SHARDS=auto|N): this process becomes a discord.js ShardingManager that starts one
 * child process per shard, each running src/main.ts as a normal bot that connects with
 * `shard: [id, N]` (discord.js reads the SHARDS / SHARD_COUNT variables the manager sets) and
 * serves only its guilds. The manager itself holds no store, index or model.
 *
 * Which guild a shard serves is Discord's formula `shard_id = (guild_id >> 22) % num_shards`
 * (Discord docs, "Gateway › Sharding"); Discord requires sharding from 2,500 guilds and
 * recommends a count in GET /gateway/bot (about one shard per 1,000 guilds).
 */
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Config, ShardAssignment } from '../config.js';
import { log } from '../log.js';

/** The shard that receives guild `guildId`'s events among `count` shards (Discord's formula). @throws SyntaxError for a non-numeric id. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * For a shard process, a predicate "does this process serve guild X?" (for Dossier.open's
 * `serves`); undefined outside a shard (every guild is served).
 */
export function guildFilter(shard: ShardAssignment | null): ((guildId: string) => boolean) | undefined {
  if (!shard) return undefined;
  const mine = new Set(shard.ids);
  return (guildId) => {
    try {
      return mine.has(shardOf(guildId, shard.count));
    } catch {
      return false; // not a snowflake: no guild of ours
    }
  };
}

/**
 * The shard count Discord recommends for this bot (GET /gateway/bot `shards`), asked at
 * DISCORD_API_BASE (discord.js's own helper always asks discord.com).
 * @throws Error when the request fails or the answer has no positive `shards`.
 */
export async function recommendedShards(config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_BASE'>): Promise<number> {
  const rest = new REST({ api: config.DISCORD_API_BASE }).setToken(config.DISCORD_TOKEN ?? '');
  const body = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  const n = Number(body.shards);
  if (!Number.isInteger(n) || n < 1) throw new Error(`GET /gateway/bot returned no usable shard count (${JSON.stringify(body.shards)})`);
  return n;
}

/** How long one shard may take to open the store, load the model and connect before the manager gives up (ms). */
const SHARD_READY_TIMEOUT_MS = 10 * 60_000;

/**
 * Start the ShardingManager for `config.SHARDS` shards running `file` (the entry script,
 * normally src/main.ts) with this process's Node flags (tsx's loader). Shards start one after the
 * other, SHARD_SPAWN_DELAY_MS apart, each after the previous one is ready (so the first one
 * ingests the bundled corpus alone); a shard that dies later is restarted by discord.js.
 * @param onManager called with the manager before any shard starts (so a signal handler can stop
 *   shards that are already running while the rest are still starting).
 * @returns the manager once every shard is ready.
 * @throws Error when DISCORD_TOKEN or SHARDS is missing, the recommended count cannot be read,
 *   or a shard dies or times out before it is ready.
 */
export async function runShardManager(config: Config, file: string, onManager?: (m: ShardingManager) => void): Promise<ShardingManager> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  if (config.SHARDS === undefined) throw new Error('SHARDS is not set');
  const total = config.SHARDS === 'auto' ? await recommendedShards(config) : config.SHARDS;
  const manager = new ShardingManager(file, {
    totalShards: total,
    token: config.DISCORD_TOKEN,
    mode: 'process',
    respawn: true,
    execArgv: process.execArgv,
  });
  onManager?.(manager);
  manager.on('shardCreate', (shard: Shard) => {
    log().info({ shard: shard.id, of: total }, 'starting shard');
    shard.on('death', (p) => log().warn({ shard: shard.id, exitCode: (p as { exitCode?: number | null }).exitCode ?? null }, 'shard process exited'));
  });
  log().info({ shards: total, auto: config.SHARDS === 'auto' }, 'sharding: one process per shard');
  try {
    await manager.spawn({ amount: total, delay: config.SHARD_SPAWN_DELAY_MS, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (e) {
    await stopShards(manager); // no half-started set of shards left behind, respawning
    throw e;
  }
  const rss = (await manager.broadcastEval(() => process.memoryUsage().rss)) as number[];
  const guilds = (await manager.broadcastEval((c) => c.guilds.cache.size)) as number[];
  log().info({ shards: total, guilds, rssMiB: rss.map((b) => Math.round(b / 2 ** 20)) }, 'all shards ready');
  return manager;
}

/** Stop every shard process (no respawn) and wait until they have exited. */
export async function stopShards(manager: ShardingManager): Promise<void> {
  await Promise.all(
    [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          shard.kill(); // SIGTERM, without discord.js's respawn-on-exit
        }),
    ),
  );
}
