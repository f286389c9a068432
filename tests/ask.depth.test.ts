import { describe, expect, it } from 'vitest';
import { useDossier } from './kit/use-dossier.js';

/**
 * The answer sentence is chosen from ANSWER_DEPTH passages whatever the number of citations asked
 * for (ANSWER_PASSAGES / `limit`): a reply citing one passage says the same as one citing ten.
 */
describe('answer depth vs number of citations', () => {
  const dossier = useDossier();

  it.each([
    'When should the drones be delivered to Russia?',
    'Who is the NATO Secretary General?',
    'Which newspaper reported on the Iranian drone factory?',
    'How many drones will the factory in Russia built with Iran produce?',
    'Wie schwer ist der Sprengkopf der ZT-180?',
    'Where did Wang Yi visit?',
  ])('%s: the same answer line with 1 and with 10 citations', async (q) => {
    const one = await dossier().ask(q, { limit: 1 });
    const ten = await dossier().ask(q, { limit: 10 });
    expect(one.abstained).toBe(false);
    expect(one.citations).toHaveLength(1);
    expect(one.answer).toBe(ten.answer);
    expect(one.citations[0].quote).toBe(ten.citations[0].quote);
  });
});
