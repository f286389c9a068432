/**
 * Gateway robustness and load: resuming after a dropped connection, and 50 concurrent /ask
 * interactions all acknowledged within Discord's 3-second window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './kit/bot-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const QUESTION = 'Wie viele Drohnen sollen im Monat produziert werden?';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('gateway', () => {
  it('resumes after the connection drops and answers the next interaction', async () => {
    h = await startHarness();
    h.fake.dropConnection(4000, 0); // guild A's shard
    await h.fake.waitFor(() => h!.fake.gateway.resumes === 1, 10_000, 'RESUME');
    expect(h.fake.gateway.connections.at(-1)).toMatch(/^\/resume\?v=10/); // resume_gateway_url was used
    expect(h.fake.gateway.identifies).toHaveLength(h.shards); // no new session

    const i = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('u'), name: 'ask', options: { question: QUESTION } });
    const messages = await h.fake.waitForReply(i, (m) => m.some((x) => x.components?.length));
    expect(textOf(messages)).toContain('100 Drohnen im Monat');
  });

  it('delivers an interaction dispatched while disconnected once the bot has resumed', async () => {
    h = await startHarness();
    h.fake.dropConnection(4000, 0); // guild A's shard
    const i = h.fake.slash({ guild: h.guildA, user: h.fake.newUser('u'), name: 'ask', options: { question: QUESTION } });
    const messages = await h.fake.waitForReply(i, (m) => m.some((x) => x.components?.length));
    expect(textOf(messages)).toContain('100 Drohnen im Monat');
    expect(h.fake.gateway.resumes).toBe(1);
  });

  it('acknowledges 50 concurrent /ask within 3 s each and answers them all', async () => {
    h = await startHarness();
    const guilds = [h.guildA, h.guildB];
    const records = Array.from({ length: 50 }, (_, k) =>
      h!.fake.slash({ guild: guilds[k % 2], user: h!.fake.newUser(`user${k}`), name: 'ask', options: { question: QUESTION } }),
    );
    const answers = await Promise.all(records.map((r) => h!.fake.waitForReply(r, (m) => m.some((x) => x.components?.length), 60_000)));
    for (const r of records) {
      const rec = h.fake.interactions.get(r.id)!;
      expect(rec.callbackAttempts.map((a) => a.status)).toEqual([204]); // the fake refuses callbacks after 3 s (10062)
    }
    for (const messages of answers) expect(textOf(messages)).toContain('100 Drohnen im Monat');
    expect(h.fake.rejected()).toEqual([]);
    const acks = h.fake.ackLatencies().sort((a, b) => a - b);
    if (process.env.TEST_VERBOSE) console.log(
      `ack latency over ${acks.length} concurrent /ask: p50 ${percentile(acks, 50).toFixed(0)} ms, ` +
        `p95 ${percentile(acks, 95).toFixed(0)} ms, max ${acks.at(-1)!.toFixed(0)} ms`,
    );
  });
});
