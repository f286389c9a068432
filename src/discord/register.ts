/**
 * Registering the slash commands with Discord (bulk overwrite, so removed commands disappear).
 * REGISTER_COMMANDS=guild:<id> updates one guild instantly (good while developing);
 * REGISTER_COMMANDS=global makes them available everywhere (Discord may take a while to show them).
 *
 * Also runnable: `npx tsx src/discord/register.ts [global|guild:<id>]` (uses DISCORD_TOKEN, and
 * DISCORD_APP_ID or the application of the token).
 */
import { pathToFileURL } from 'node:url';
import {
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplication,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { commands } from './commands/index.js';

/**
 * Permissions the bot's own user needs. Slash-command replies go through the interaction webhook
 * and need none; these are for mention mode (reply in a new thread) and embeds.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** The OAuth2 URL that adds the bot to a server (scopes bot + applications.commands). */
export function inviteUrl(appId: string): string {
  const q = new URLSearchParams({ client_id: appId, scope: 'bot applications.commands', permissions: BOT_PERMISSIONS.toString() });
  return `https://discord.com/oauth2/authorize?${q}`;
}

/** The JSON definitions of every command, as sent to Discord. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => c.data.toJSON());
}

/**
 * PUT the command list for `target` ("global" or "guild:<id>").
 * @returns the route used and the registered command names.
 * @throws Error for a malformed target; DiscordAPIError when Discord refuses.
 */
export async function registerCommands(rest: REST, appId: string, target: string): Promise<{ target: string; commands: string[] }> {
  const body = commandDefinitions();
  const guild = /^guild:(\d{15,22})$/.exec(target)?.[1];
  if (target !== 'global' && !guild) throw new Error(`REGISTER_COMMANDS must be "global" or "guild:<guild id>", got "${target}"`);
  const route = guild ? Routes.applicationGuildCommands(appId, guild) : Routes.applicationCommands(appId);
  const result = (await rest.put(route, { body })) as { name: string }[];
  return { target, commands: result.map((c) => c.name) };
}

async function cli(): Promise<void> {
  const { loadConfig } = await import('../config.js');
  const config = loadConfig();
  const target = process.argv[2] ?? config.REGISTER_COMMANDS;
  if (!config.DISCORD_TOKEN || !target) {
    console.error('Usage: DISCORD_TOKEN=... npx tsx src/discord/register.ts global|guild:<guild id>');
    process.exitCode = 2;
    return;
  }
  const rest = new REST({ api: config.DISCORD_API_BASE }).setToken(config.DISCORD_TOKEN);
  const appId = config.DISCORD_APP_ID ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const result = await registerCommands(rest, appId, target);
  console.log(`Registered ${result.commands.map((c) => `/${c}`).join(' ')} (${result.target}).`);
  console.log(`Invite URL: ${inviteUrl(appId)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli().catch((e: Error) => {
    console.error(`Registering commands failed: ${e.message}`);
    process.exitCode = 1;
  });
}
