/**
 * Chat markup in a question (Discord mentions, masked or bare links, emphasis) is not part of the
 * question: it neither changes the answer type nor lowers coverage into an abstention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dossier } from '../src/core.js';
import { chatPlainText } from '../src/text/markdown.js';
import { testConfig } from './helpers.js';

describe('chatPlainText', () => {
  it('drops mentions, emoji, timestamps, links and emphasis; keeps a masked link text', () => {
    expect(chatPlainText('<@123> <@!45> <@&6> <#7> <:ok:89> <t:1700000000:R> **Wie** __viele__ ~~x~~ ||y|| `z` Drohnen?')).toBe('Wie viele x y z Drohnen?');
    expect(chatPlainText('[Kiel](https://evil.example/login) Hafen <https://a.example/b> https://c.example')).toBe('Kiel Hafen');
    expect(chatPlainText('<@123>')).toBe('');
  });

  it('is linear on long runs of brackets and markers', () => {
    const s = '[a]('.repeat(50_000) + '**'.repeat(50_000);
    expect(chatPlainText(s).length).toBeLessThanOrEqual(s.length);
  });
});

describe('Dossier.ask with chat markup', () => {
  let d: Dossier;
  beforeAll(async () => {
    d = await Dossier.open(testConfig());
  });
  afterAll(async () => {
    await d.close();
  });

  it('answers the same with a masked link or a mention in front', async () => {
    const plain = await d.ask('How many drones per month?');
    for (const q of ['[x](https://evil.example) How many drones per month?', '<@123> **How many** drones per month?']) {
      const a = await d.ask(q);
      expect(a.abstained, q).toBe(false);
      expect(a.short, q).toBe(plain.short);
      expect(a.citations[0].quote).toBe(plain.citations[0].quote);
      expect(a.question).not.toMatch(/https?:|<@/);
    }
  });

  it('a question of markup only is empty', async () => {
    await expect(d.ask('<@123> https://evil.example')).rejects.toThrow(/empty/);
  });
});
