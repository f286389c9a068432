/**
 * The fake Discord itself (tests/kit/fake-discord.ts), driven by a bare discord.js Client: if these
 * pass, the bot tests exercise real discord.js behaviour against Discord's documented rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, EmbedBuilder, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { FakeDiscord } from './kit/fake-discord.js';

let fake: FakeDiscord;
let client: Client;

beforeEach(async () => {
  fake = await FakeDiscord.start({ heartbeatInterval: 300 });
  fake.addGuild('A');
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.token);
  await ready;
});

afterEach(async () => {
  await client.destroy();
  await fake.close();
});

/** Run `handler` for the next interaction and wait until it has finished. */
function onNextInteraction(handler: (i: any) => Promise<unknown>): Promise<unknown> {
  return new Promise((resolve) => {
    client.once(Events.InteractionCreate, (i) => {
      handler(i).then(resolve, resolve);
    });
  });
}

describe('fake discord', () => {
  it('speaks the gateway: READY with guilds, heartbeats are acknowledged', async () => {
    expect(client.guilds.cache.size).toBe(1);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.appId);
    await fake.waitFor(() => fake.gateway.heartbeats >= 2, 5000, 'heartbeats');
    expect(fake.gateway.connections[0]).toMatch(/^\/gateway\?v=10&encoding=json/);
  });

  it('refuses a late callback (10062), a second callback (40060), over-limit (50035) and empty (50006) messages', async () => {
    const [guild] = fake.guilds.values();
    const user = fake.newUser('u');

    const late = onNextInteraction(async (i) => {
      await new Promise((r) => setTimeout(r, 250));
      return i.deferReply();
    });
    fake.callbackDeadlineMs = 100;
    fake.slash({ guild, user, name: 'x' });
    const lateError = await late;
    expect(lateError).toBeInstanceOf(DiscordAPIError);
    expect((lateError as DiscordAPIError).code).toBe(10062);
    fake.callbackDeadlineMs = 3000;

    const twice = onNextInteraction(async (i) => {
      await i.deferReply();
      return client.rest.post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 5 }, auth: false }).catch((e) => e);
    });
    fake.slash({ guild, user, name: 'x' });
    expect(((await twice) as DiscordAPIError).code).toBe(40060);

    const tooLong = onNextInteraction(async (i) => {
      await i.deferReply();
      const big = new EmbedBuilder().setDescription('x'.repeat(4000));
      const e1 = await i.editReply({ content: 'y'.repeat(2001) }).catch((e: unknown) => e);
      const e2 = await i.editReply({ embeds: [big, big] }).catch((e: unknown) => e);
      const e3 = await i.followUp({ content: '' }).catch((e: unknown) => e);
      const ok = await i.editReply({ embeds: [big] });
      return [e1, e2, e3, ok];
    });
    const rec = fake.slash({ guild, user, name: 'x' });
    const [e1, e2, e3, ok] = (await tooLong) as any[];
    expect(e1.code).toBe(50035);
    expect(e2.code).toBe(50035);
    expect(e2.message).toMatch(/6000/);
    expect(e3.code).toBe(50006);
    expect(ok.embeds[0].description).toHaveLength(4000);
    expect(fake.replyMessages(rec)[0].embeds).toHaveLength(1);
  });

  it('resumes after a dropped connection and delivers events missed meanwhile', async () => {
    const [guild] = fake.guilds.values();
    fake.dropConnection();
    const answered = onNextInteraction((i) => i.reply({ content: 'still here', flags: MessageFlags.Ephemeral }));
    fake.slash({ guild, user: fake.newUser('u'), name: 'x' }); // queued while disconnected
    await answered;
    expect(fake.gateway.resumes).toBe(1);
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.connections[1]).toMatch(/^\/resume\?/);
  });

  it('computes pings from allowed_mentions', async () => {
    const [guild] = fake.guilds.values();
    const done = onNextInteraction(async (i) => {
      await i.reply({ content: '@everyone hi' });
      await i.followUp({ content: '@everyone hi', allowedMentions: { parse: [] } });
    });
    const rec = fake.slash({ guild, user: fake.newUser('u'), name: 'x' });
    await done;
    const [first, second] = fake.replyMessages(rec);
    expect(first.mention_everyone).toBe(true);
    expect(second.mention_everyone).toBe(false);
  });
});
