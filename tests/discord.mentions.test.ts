/**
 * Mention mode (MENTIONS=true): a mention is answered in a new thread; a follow-up in that thread
 * is answered with the earlier question as context.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayIntentBits } from 'discord.js';
import { startHarness, textOf, type Harness } from './kit/bot-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('mention mode', () => {
  it('answers a mention in a new thread, then a follow-up in the thread with the earlier question as context', async () => {
    h = await startHarness({ MENTIONS: true });
    const { fake } = h;
    expect(fake.gateway.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent);
    const user = fake.newUser('carla');
    const first = 'Wie viele Drohnen sollen im Monat produziert werden?';
    const question = fake.postMessage({ guild: h.guildA, user, content: first, mentionBot: true });

    // the thread is started from the question's message and the answer is posted inside it
    const threadId = question.id;
    const fromBot = () => (fake.messages.get(threadId) ?? []).filter((m) => m.author.id === fake.botUser.id);
    await fake.waitFor(() => fromBot().some((m) => m.components.length), 10_000, 'answer in thread');
    const thread = fake.channels.get(threadId);
    expect(thread).toMatchObject({ type: 11, parent_id: h.guildA.channelIds[0], name: first });
    expect(textOf(fromBot())).toContain('100 Drohnen im Monat');
    expect(fromBot().at(-1).components[0].components[0].custom_id).toBe(`fb:up:${question.id}`);
    expect(h.asks[0]).toEqual({ question: first, opts: { scope: h.guildA.id, context: undefined } });

    const before = fromBot().length;
    fake.postMessage({ guild: h.guildA, user, channelId: threadId, content: 'Und wer soll sie herstellen?' });
    await fake.waitFor(() => fromBot().length > before && fromBot().at(-1).components.length, 10_000, 'follow-up answer');
    expect(h.asks[1]).toEqual({ question: 'Und wer soll sie herstellen?', opts: { scope: h.guildA.id, context: first } });
    // answered in the same thread (whether the core finds an answer is the core's business)
    expect(fromBot().slice(before)[0].embeds[0].title).toBe('Und wer soll sie herstellen?');

    // only one thread was created, and no message carried pings
    expect(fake.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(1);
    for (const b of fake.messageBodies()) expect(b.allowed_mentions).toEqual({ parse: [] });
    expect(fake.rejected()).toEqual([]);
  });

  it('ignores messages that do not mention the bot, and its own messages', async () => {
    h = await startHarness({ MENTIONS: true });
    const user = h.fake.newUser('dora');
    h.fake.postMessage({ guild: h.guildA, user, content: 'Wie viele Drohnen? (kein Mention)' });
    // a mention of someone else
    h.fake.postMessage({ guild: h.guildA, user, content: `<@${user.id}> Wie viele Drohnen?` });
    // and a real mention afterwards, to know when the bot has processed everything before it
    h.fake.postMessage({ guild: h.guildA, user, content: 'Wie viele Drohnen?', mentionBot: true });
    await h.fake.waitFor(() => h!.asks.length === 1 && h!.fake.requests.some((r) => r.path.endsWith('/messages') && r.body?.components), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.asks).toHaveLength(1);
    expect(h.fake.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(1);
  });

  it('asks for a question when mentioned without one', async () => {
    h = await startHarness({ MENTIONS: true });
    const m = h.fake.postMessage({ guild: h.guildA, user: h.fake.newUser('eve'), content: '', mentionBot: true });
    const reply = await h.fake.waitFor(() => h!.fake.messages.get(h!.guildA.channelIds[0])!.find((x) => x.message_reference?.message_id === m.id), 10_000);
    expect(reply.content).toMatch(/Ask me a question/);
    expect(h.asks).toHaveLength(0);
  });

  it('keeps the words the core read, without mentions or links, in the thread context and the feedback record', async () => {
    h = await startHarness({ MENTIONS: true });
    const { fake } = h;
    const user = fake.newUser('finn');
    const other = fake.newUser('gina');
    const raw = `<@${other.id}> **Wie viele** Drohnen sollen im Monat produziert werden? https://x.example/a`;
    const question = fake.postMessage({ guild: h.guildA, user, content: raw, mentionBot: true });
    const threadId = question.id;
    const fromBot = () => (fake.messages.get(threadId) ?? []).filter((m) => m.author.id === fake.botUser.id);
    await fake.waitFor(() => fromBot().some((m) => m.components.length), 10_000, 'answer in thread');
    const clean = 'Wie viele Drohnen sollen im Monat produziert werden?';
    const b = fake.button({ guild: h.guildA, user, message: fromBot().at(-1), customId: `fb:up:${question.id}` });
    await fake.waitForReply(b);
    const [row] = await h.feedback.list(question.id);
    expect(row.question).toBe(clean);
    const before = fromBot().length;
    fake.postMessage({ guild: h.guildA, user, channelId: threadId, content: 'Und wer soll sie herstellen?' });
    await fake.waitFor(() => fromBot().length > before && fromBot().at(-1).components.length, 10_000, 'follow-up answer');
    expect(h.asks[1].opts).toEqual({ scope: h.guildA.id, context: clean });
  });
});
