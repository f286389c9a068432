/**
 * The document a question is about (src/answer/topic-document.ts): over the seed report and two
 * documents of a fresh-user trial (tests/fixtures/topic: a German swimming-pool report, an English
 * wind-farm report, a German chess-club report in Markdown), a cost question must not be answered
 * with another document's cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { strongerTopicDocument, topicCoverage } from '../src/answer/topic-document.js';
import { ROOT } from './helpers.js';
import { useDossier } from './kit/use-dossier.js';

describe('topic coverage per document', () => {
  it('is the weighted share of groups some sentence of the document matches', () => {
    const covers = topicCoverage(
      [
        { docId: 'pool', matchedGroups: [false, true] },
        { docId: 'wind', matchedGroups: [true, false] },
        { docId: 'wind', matchedGroups: [true, false] },
      ],
      [3, 1],
    );
    expect(covers.get('wind')).toBe(0.75);
    expect(covers.get('pool')).toBe(0.25);
    expect(strongerTopicDocument(covers, 'pool', 0.5)).toBe('wind');
    expect(strongerTopicDocument(covers, 'pool', 0.6)).toBeNull();
    expect(strongerTopicDocument(covers, 'wind', 0)).toBeNull();
  });
});

describe('questions about one of several documents', () => {
  const dossier = useDossier();
  beforeAll(async () => {
    for (const f of ['freibad.txt', 'windfarm.txt', 'verein.md']) await dossier().ingest({ text: fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'topic', f), 'utf8'), source: f });
  }, 60_000);

  it.each(['How much did the wind farm cost?', 'Wie viel kostete der Windpark?', 'Was kostet eine ZT-180?', 'How much does a ZT-180 drone cost?'])('%s is not answered with the swimming pool’s cost', async (q) => {
    const a = await dossier().ask(q);
    expect(a.answer).not.toContain('14,5');
    expect(a.notStated).toBe(true);
  });

  it.each([
    ['How many turbines does the wind farm have?', '48'],
    ['Wie viel hat der Bau des Freibads gekostet?', '14,5 Millionen Euro'],
    ['Wer ist der Architekt des Freibads?', 'Tobias Brandt'],
    // "swimming pool" reaches "Freibad" through Ding's "public open-air swimming pool".
    ['Who was the architect of the swimming pool?', 'Tobias Brandt'],
    ['How much did the swimming pool cost?', '14,5 Millionen Euro'],
    ['How many drones per month?', '100'],
    // "delivered" no longer translates to the bare particle "ab" (the chess club's "schloss … ab").
    ['By when should the drones be delivered?', 'bis April'],
  ])('%s is still answered (%s)', async (q, short) => {
    const a = await dossier().ask(q);
    expect(a.notStated).toBe(false);
    expect(a.short).toContain(short);
  });
});
