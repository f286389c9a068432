/**
 * The answer line's **bold** highlighting against Discord escaping, through the real discord.js
 * client and the fake Discord (tests/kit/fake-discord.ts): a document holding a user mention, a
 * timestamp tag, "@everyone", a masked link and a bare link, asked a question whose words and
 * numbers occur inside them. No reply may hold a working mention, tag or masked link, bold markers
 * never split one, "@everyone" keeps its zero-width space. Also: /add's "1 passage" wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { startHarness, textOf, type Harness } from './kit/bot-harness.js';
import { defuseChatMarkup } from '../src/text/markdown.js';

const EPHEMERAL = 64;
const DOC =
  'Die Werft in Emden meldet 12 neue Schiffe an <@123456789012345678> und <@&223456789012345678> ' +
  'am <t:1700000000:R>, an @everyone und @here über [klick hier](https://evil.example/klick) und https://evil.example/werft.';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A Discord construct that would render (mention chip, timestamp, emoji, masked link, @everyone). */
function liveConstructs(md: string): string[] {
  const unescaped = (re: RegExp) => [...md.matchAll(re)].map((m) => m[0]);
  return [
    ...unescaped(/(?<!\\)(?:\\\\)*<(?:@[!&]?|#|t:|a?:|\/|id:)[^>\s]*>/g),
    ...unescaped(/(?<!\\)\[[^\]\n]*(?<!\\)\]\(/g),
    ...unescaped(/@(?:[*_~|`])*(?:everyone|here)/gi),
  ];
}

async function slash(name: string, options: Record<string, unknown>, admin = false): Promise<any[]> {
  const user = h.fake.newUser('u');
  const roles = admin ? [h.fake.addRole(h.guildA, 'Admins', PermissionFlagsBits.ManageGuild)] : [];
  const i = h.fake.slash({ guild: h.guildA, user, roles, name, options });
  return h.fake.waitForReply(i, (m) => m.some((x: any) => x.components?.length || x.flags & EPHEMERAL || x.embeds?.length));
}

describe('answer highlighting and escaping', () => {
  it('/add of a one-passage text says "1 passage"', async () => {
    const [added] = await slash('add', { text: DOC, title: 'Werftbericht' }, true);
    expect(added.content).toMatch(/: [\d,]+ characters, 1 passage\. Only this server/);
  });

  it.each([
    'Was meldet die Werft in Emden an everyone und here über klick hier und evil example?',
    'Wie viele neue Schiffe meldet die Werft in Emden an 123456789012345678 am 1700000000 über evil example?',
  ])('%s: bold never inside a mention, tag or link; nothing live', async (question) => {
    const msgs = await slash('ask', { question });
    const answer: string = msgs[0].embeds[0].description;
    // the answer quotes the sentence holding the constructs, and highlights the words around them
    expect(answer).toContain('**Werft**');
    expect(answer).toContain('\\<@123456789012345678\\>');
    expect(answer).toContain('\\<@&223456789012345678\\>');
    expect(answer).toContain('\\<t:1700000000:R\\>');
    expect(answer).toContain('@\u200beveryone');
    expect(answer).toContain('@\u200bhere');
    // A masked link's text is plain words (bold allowed); its brackets and target stay escaped.
    expect(answer).toMatch(/\\\[(\*\*)?klick(\*\*)? hier\\\]\\\(https:\/\/evil\.example\/klick\\\)/);
    expect(answer).toContain('https://evil.example/werft');
    for (const m of msgs) for (const line of textOf([m]).split('\n')) expect(liveConstructs(line)).toEqual([]);
    expect(h.fake.rejected()).toEqual([]);
  });

  it.each(['Was liegt am Hafen von Leer?', 'Wen beschäftigt die Werft in Leer?', 'Wie viele beschäftigt die Werft in Leer?'])(
    '%s: the short answer is never (part of) a mention, tag or link',
    async (question) => {
      await slash('add', { text: 'Die Werft in Leer liegt am Hafen und beschäftigt <@&987654321> Mitarbeiter seit <t:1700000000:R> laut https://evil.example/leer.', title: 'Leer' }, true);
      const msgs = await slash('ask', { question });
      const answer: string = msgs[0].embeds[0].description;
      const short = answer.startsWith('**') ? answer.split(' — ')[0] : '';
      expect(short).not.toMatch(/987654321|1700000000|evil|\\[<>]/);
      expect(textOf(msgs)).toContain('\\<@&987654321\\>');
      for (const m of msgs) for (const line of textOf([m]).split('\n')) expect(liveConstructs(line)).toEqual([]);
    },
  );
});

describe('defuseChatMarkup', () => {
  it('escapes every unescaped "<", a "(" after an unescaped "]" and @everyone behind markers; keeps escapes, bold and [n]', () => {
    expect(defuseChatMarkup('a <@123> b <t:1:R> c </x:1> [t](https://e.x) [1] **@everyone** @**here** @\u200beveryone')).toBe(
      'a \\<@123> b \\<t:1:R> c \\</x:1> [t]\\(https://e.x) [1] **@\u200beveryone** @\u200b**here** @\u200beveryone',
    );
    const safe = '**12** — \\<@**1**\\> \\[x\\]\\(y\\) [2]';
    expect(defuseChatMarkup(safe)).toBe(safe);
    expect(defuseChatMarkup(defuseChatMarkup('<@1> [a](b)'))).toBe(defuseChatMarkup('<@1> [a](b)'));
  });
});
