/**
 * `npm start` (src/main.ts) as a user runs it: guidance and console mode without a token; with a
 * token it connects to a Discord-compatible server (the fake), registers commands and shuts down
 * cleanly on SIGTERM; a rejected token gives one readable line, never a stack trace.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from './kit/fake-discord.js';
import { CORPUS_DIR } from './kit/bot-harness.js';

const ROOT = path.resolve(CORPUS_DIR, '..');
const dirs: string[] = [];
let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  pid: number;
}

function start(command: string[], env: Record<string, string>, stdin?: string): Run {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-start-'));
  dirs.push(dataDir);
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, CORPUS_DIR, TRANSLATE: 'false', LOG_LEVEL: 'warn', DISCORD_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  if (stdin !== undefined) child.stdin.end(stdin);
  return {
    code: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    pid: child.pid!,
  };
}

const STACK = /\n\s+at .+:\d+:\d+/;

describe('npm start', () => {
  it('without a token prints setup guidance, then answers questions from stdin (console mode)', async () => {
    const run = start(['npm', 'start', '--silent'], {}, 'Wie viele Drohnen sollen im Monat produziert werden?\n');
    expect(await run.code).toBe(0);
    const err = run.stderr();
    expect(err).toContain('DISCORD_TOKEN is not set');
    expect(err).toContain('https://discord.com/developers/applications');
    expect(err).toContain('scope=bot+applications.commands');
    expect(err).toContain('REGISTER_COMMANDS=guild:');
    expect(err).toContain('Console mode');
    expect(run.stdout()).toContain('100 Drohnen im Monat');
    expect(err + run.stdout()).not.toMatch(STACK);
  }, 60_000);

  it('with a token connects to DISCORD_API_BASE, registers commands, and exits 0 on SIGTERM', async () => {
    fake = await FakeDiscord.start();
    const guild = fake.addGuild('G');
    const run = start([path.join(ROOT, 'node_modules/.bin/tsx'), 'src/main.ts'], {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      REGISTER_COMMANDS: `guild:${guild.id}`,
    });
    await fake.waitFor(() => fake!.commands.get(guild.id), 30_000, 'command registration');
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.commands.get(guild.id)!.map((c) => c.name).sort()).toEqual(['add', 'ask', 'remove', 'sources', 'summary']);
    process.kill(run.pid, 'SIGTERM');
    expect(await run.code).toBe(0);
    expect(run.stderr()).not.toMatch(STACK);
  }, 60_000);

  it('src/discord/register.ts registers the commands from the command line', async () => {
    fake = await FakeDiscord.start();
    const guild = fake.addGuild('G');
    const run = start([path.join(ROOT, 'node_modules/.bin/tsx'), 'src/discord/register.ts', `guild:${guild.id}`], {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
    });
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('Registered /ask /summary /sources /add /remove');
    expect(run.stdout()).toContain(`client_id=${fake.appId}`);
    expect(fake.commands.get(guild.id)).toHaveLength(5);
  }, 60_000);

  it('with a rejected token prints one readable error and exits 1', async () => {
    fake = await FakeDiscord.start();
    const run = start([path.join(ROOT, 'node_modules/.bin/tsx'), 'src/main.ts'], { DISCORD_TOKEN: 'not-the-token', DISCORD_API_BASE: fake.apiBase });
    expect(await run.code).toBe(1);
    expect(run.stderr()).toMatch(/dossier: could not connect to Discord at http:\/\/127\.0\.0\.1:\d+\/api: .*\(check DISCORD_TOKEN\)/);
    expect(run.stderr()).not.toMatch(STACK);
  }, 60_000);

  it('with an invalid setting names the variable, without a stack trace', async () => {
    const run = start(['npm', 'start', '--silent'], { REGISTER_COMMANDS: 'everywhere' }, '');
    expect(await run.code).toBe(2);
    expect(run.stderr()).toMatch(/REGISTER_COMMANDS: must be "global" or "guild:<guild id>"/);
    expect(run.stderr()).not.toMatch(STACK);
  }, 60_000);
});
