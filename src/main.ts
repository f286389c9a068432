/**
 * `npm start`: with DISCORD_TOKEN, run the Discord bot; without it, explain how to set one up and
 * offer console mode (questions from stdin, answers on stdout, same core). Configuration errors
 * and connection failures are reported in one readable message, never as a stack trace.
 * SIGINT/SIGTERM disconnect from Discord and close the store; a second signal exits at once.
 * With SHARDS=auto|N this process only manages shard processes (src/discord/shards.ts), each of
 * which runs this file again as a bot for its own guilds.
 */
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { log, setLogLevel, useHumanLogs } from './log.js';
import type { Dossier } from './core.js';
import { inviteUrl } from './discord/register.js';
import { guildFilter, runShardManager, stopShards } from './discord/shards.js';
// The core, the bot and their dependencies are imported where they are used, so that a sharding
// manager process (which only starts and watches shards) does not load them.

const GUIDANCE = `dossier: DISCORD_TOKEN is not set, so the Discord bot is not started.

To run the bot:
  1. Create an application at https://discord.com/developers/applications
     ("New Application"), open "Bot", press "Reset Token" and copy the token.
  2. Put it in .env (see .env.example) or the environment:
       DISCORD_TOKEN=<the token>
       DISCORD_APP_ID=<Application ID from "General Information">   (optional)
       REGISTER_COMMANDS=guild:<your server id>   (instant; or "global")
       MODERATOR_ROLE_ID=<role id>                (optional: who may /add and /remove
                                                   besides "Manage Server")
       MENTIONS=true   (optional: answer @mentions in threads; enable the
                        "Message Content Intent" on the Bot page first)
  3. Invite the bot with scopes bot + applications.commands:
       ${inviteUrl('APP_ID').replace('APP_ID', '<DISCORD_APP_ID>')}
  4. npm start
`;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`dossier: ${e.message}\nFix these in .env or the environment (see .env.example).`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  setLogLevel(config.LOG_LEVEL);
  if (!config.DISCORD_TOKEN) {
    // Console mode is a terminal session: the same `dossier: warning: …` lines as the CLI.
    useHumanLogs();
    process.stderr.write(GUIDANCE);
    await consoleMode(config);
    return;
  }
  if (config.SHARDS !== undefined) await runManager(config);
  else await runBot(config);
}

/** SHARDS set: start the shard processes and stop them on SIGINT/SIGTERM. */
async function runManager(config: Config): Promise<void> {
  let manager: Awaited<ReturnType<typeof runShardManager>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    log().info({ signal }, 'stopping the shards');
    if (manager) await stopShards(manager);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await runShardManager(config, fileURLToPath(import.meta.url), (m) => (manager = m));
  } catch (e) {
    throw new Error(`could not start the shards: ${(e as Error).message ?? String(e)}`);
  }
}

async function runBot(config: Config): Promise<void> {
  const [{ Dossier }, { DossierBot }] = await Promise.all([import('./core.js'), import('./discord/bot.js')]);
  const dossier = await Dossier.open(config, { serves: guildFilter(config.SHARD) });
  if (config.SHARD) log().info({ shard: config.SHARD.ids, of: config.SHARD.count, documents: dossier.startup.documentsLoaded }, 'shard store open (shared documents + this shard\'s guilds)');
  // Other processes' (CLI, other machines) adds and removals reach this bot through the change log.
  log().info({ store: dossier.startup.store, pollMs: config.STORE_POLL_MS }, 'following the store change log');
  const bot = new DossierBot({ dossier, config, feedback: dossier.feedback });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    log().info({ signal }, 'shutting down');
    await bot.stop().catch((e: unknown) => log().warn({ err: e }, 'discord disconnect failed'));
    await dossier.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (e) => log().error({ err: e }, 'unhandled rejection'));
  try {
    await bot.start();
  } catch (e) {
    await bot.stop().catch(() => undefined);
    await dossier.close();
    throw new Error(`could not connect to Discord at ${config.DISCORD_API_BASE}: ${(e as Error).message}` +
      ((e as { code?: unknown }).code === 'TokenInvalid' || (e as { status?: unknown }).status === 401
        ? ' (check DISCORD_TOKEN)'
        : ''));
  }
  const appId = bot.client.application?.id;
  if (appId) log().info({ invite: inviteUrl(appId) }, 'ready; invite the bot with this URL');
  if (!config.REGISTER_COMMANDS) log().info('REGISTER_COMMANDS is not set: slash commands were not (re)registered');
}

/** Read questions line by line from stdin and print answers; the store is opened on first use. */
async function consoleMode(config: Config): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  process.stderr.write(
    interactive
      ? '\nConsole mode: type a question and press Enter (Ctrl-D to quit).\n'
      : '\nConsole mode: answering the questions on standard input, one per line.\n',
  );
  const rl = readline.createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  if (interactive) {
    rl.setPrompt('? ');
    rl.prompt();
  }
  let dossier: Dossier | undefined;
  let formatAnswer: typeof import('./answer/format.js').formatAnswer | undefined;
  try {
    for await (const line of rl) {
      const question = line.trim();
      if (question) {
        if (!dossier) {
          const [{ Dossier }, format] = await Promise.all([import('./core.js'), import('./answer/format.js')]);
          formatAnswer = format.formatAnswer;
          dossier = await Dossier.open(config);
        }
        try {
          process.stdout.write(`${formatAnswer!(await dossier.ask(question))}\n\n`);
        } catch (e) {
          if ((e as Error).name !== 'InputError') throw e;
          process.stdout.write(`${(e as Error).message}\n\n`);
        }
      }
      if (interactive) rl.prompt();
    }
  } finally {
    await dossier?.close();
  }
}

main().catch((e: unknown) => {
  log().debug({ err: e }, 'fatal');
  console.error(`dossier: ${(e as Error)?.message ?? String(e)}`);
  process.exitCode = 1;
});
