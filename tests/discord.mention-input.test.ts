/**
 * Questions that are empty once mentions, links and markup are dropped, questions the core
 * refuses (InputError), and thread names, through the real discord.js client against the fake
 * Discord (tests/kit/fake-discord.ts). Found by a breaker trial (2 Dec 2026): "<@bot> <@123>"
 * opened a thread named "<@123>", logged an InputError stack and replied "something went wrong".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './kit/bot-harness.js';
import { captureLogs, type LogCapture } from './kit/log-capture.js';
import { InputError } from '../src/corpus/types.js';
import { ASK_ME_TEXT, THREAD_NAME_CHARS, threadName } from '../src/discord/mentions.js';

const EPHEMERAL = 64;
/** Questions the core would refuse: after that, whatever is asked is answered normally. */
const REFUSE = 'Refuse this one please';
let h: Harness;
let logs: LogCapture;
beforeAll(async () => {
  logs = captureLogs();
  h = await startHarness(
    { MENTIONS: true },
    {
      wrap: (core) => ({
        ask: (q, o) => (q.includes(REFUSE) ? Promise.reject(new InputError('The question is too long (9999 characters; the limit is 1000).', 'too-long')) : core.ask(q, o)),
      }),
    },
  );
}, 60_000);
afterAll(async () => {
  await h?.close();
  logs?.restore();
});

/** Bot messages answering message `q`: replies to it in the channel, or anything in its thread. */
function answersTo(q: { id: string }): any[] {
  return [...h.fake.messages.values()]
    .flat()
    .filter((m: any) => m.author.id === h.fake.botUser.id && (m.message_reference?.message_id === q.id || m.channel_id === q.id));
}

async function mention(content: string): Promise<{ q: any; replies: any[] }> {
  const q = h.fake.postMessage({ guild: h.guildA, user: h.fake.newUser('carla'), content, mentionBot: true });
  await h.fake.waitFor(() => answersTo(q).length > 0, 10_000, 'reply');
  return { q, replies: answersTo(q) };
}

const errorLines = () => logs.lines.filter((l) => l.level >= 40);

describe('mention mode: empty and refused questions', () => {
  it.each(['', '<@123>', '<@123> <#456> <@&7>', 'https://evil.example/x', '[](https://evil.example)', '** **', '**__~~||', '<t:1700000000:R>'])(
    'mention %j: the "ask me a question" reply, no thread, no ask, no error log',
    async (content) => {
      const asksBefore = h.asks.length;
      const threadsBefore = h.fake.requests.filter((r) => r.path.endsWith('/threads')).length;
      const { q, replies } = await mention(content);
      expect(replies).toHaveLength(1);
      expect(replies[0].content).toBe(ASK_ME_TEXT);
      expect(replies[0].message_reference.message_id).toBe(q.id);
      expect(h.fake.channels.has(q.id)).toBe(false);
      expect(h.fake.requests.filter((r) => r.path.endsWith('/threads')).length).toBe(threadsBefore);
      expect(h.asks.length).toBe(asksBefore);
      expect(errorLines()).toEqual([]);
    },
  );

  it("an InputError from the core is the user's clear message, logged without error level", async () => {
    const q = h.fake.postMessage({ guild: h.guildA, user: h.fake.newUser('dora'), content: `${REFUSE} [x](https://evil.example)?`, mentionBot: true });
    await h.fake.waitFor(() => answersTo(q).some((m: any) => m.content?.startsWith('⚠️')), 10_000, 'refusal');
    const text = textOf(answersTo(q));
    expect(text).toBe('⚠️ The question is too long \\(9999 characters; the limit is 1000\\).');
    expect(text).not.toMatch(/something went wrong/i);
    expect(errorLines()).toEqual([]);
  });

  it('thread names are the cleaned question: no mention, link or live @everyone, at most 100 characters', async () => {
    const content = '@everyone [klick](https://evil.example) Wie viele Drohnen sollen im Monat produziert werden? <@&1> <#2> https://evil.example/y';
    const q = h.fake.postMessage({ guild: h.guildA, user: h.fake.newUser('emil'), content, mentionBot: true });
    await h.fake.waitFor(() => answersTo(q).some((m: any) => m.components?.length), 15_000, 'answer in thread');
    const name: string = h.fake.channels.get(q.id)!.name;
    expect(name).toBe('@\u200beveryone klick Wie viele Drohnen sollen im Monat produziert werden?');
    // the thread name is the words the answer's title shows (without the title's backslash escapes)
    const title: string = answersTo(q)[0].embeds[0].title;
    expect(title.replace(/\\/g, '')).toBe(name);
    expect(textOf(answersTo(q))).toContain('100 Drohnen im Monat');

    const long = `Wie viele Drohnen ${'<@123> sollen wirklich und tatsächlich '.repeat(8)}im Monat produziert werden?`;
    const q2 = h.fake.postMessage({ guild: h.guildA, user: h.fake.newUser('fritz'), content: long, mentionBot: true });
    await h.fake.waitFor(() => answersTo(q2).some((m: any) => m.components?.length), 15_000, 'answer in thread');
    const name2: string = h.fake.channels.get(q2.id)!.name;
    expect(name2.length).toBeLessThanOrEqual(THREAD_NAME_CHARS);
    expect(name2).toMatch(/^Wie viele Drohnen sollen wirklich und tatsächlich sollen .* …$/);
    expect(name2).not.toMatch(/<|https?:/);
    expect(errorLines()).toEqual([]);
    expect(h.fake.rejected()).toEqual([]);
  }, 30_000);

  it('threadName breaks @here, keeps short names whole and cuts long ones between words', () => {
    expect(threadName('@here Wer baut?')).toBe('@\u200bhere Wer baut?');
    const name = threadName('wort '.repeat(40).trim());
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_CHARS);
    expect(name).toMatch(/^(wort )+…$/);
  });
});

describe('/ask: empty and refused questions', () => {
  async function ask(question: string): Promise<any[]> {
    const i = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('u'), name: 'ask', options: { question } });
    return h.fake.waitForReply(i, (m) => m.some((x: any) => x.content || x.embeds?.length));
  }

  it.each(['<@123>', '<@123> <#456>', '**__~~||', 'https://evil.example/x', '\u200b\u200b\u200b'])('/ask %j: "please type a question", privately', async (question) => {
    const asksBefore = h.asks.length;
    const msgs = await ask(question);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].content).toMatch(/^⚠️ Please type a question/);
    expect(msgs[0].flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(h.asks.length).toBe(asksBefore);
    expect(errorLines()).toEqual([]);
  });

  it("/ask: the core's InputError is its message, not a generic error", async () => {
    const msgs = await ask(`${REFUSE}?`);
    expect(textOf(msgs)).toBe('⚠️ The question is too long \\(9999 characters; the limit is 1000\\).');
    expect(errorLines()).toEqual([]);
    expect(h.fake.rejected()).toEqual([]);
  });
});
