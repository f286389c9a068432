import { afterEach, describe, expect, it } from 'vitest';
import { NEAR_MISS_FEATURES, NEAR_MISS_WEIGHTS, isNearMiss, nearMissFeatures, nearMissModel, type NearMissModel, type PickEvidence } from '../src/answer/near-miss.js';
import { useDossier } from './kit/use-dossier.js';

const feature = (f: number[], name: (typeof NEAR_MISS_FEATURES)[number]) => f[NEAR_MISS_FEATURES.indexOf(name)];

/** Four query groups: a frame word (idf 0), a topic word, the rare specific word, a word no document holds. */
const evidence = (pick: boolean[], others: PickEvidence['others']): PickEvidence => {
  const idfs = [0, 1, 3, 2];
  const mass = 6;
  return {
    idfs,
    specificity: [1, 1, 1, 1],
    unseen: [false, false, false, true],
    pickGroups: pick,
    coverage: idfs.reduce((a, x, i) => a + (pick[i] ? x : 0), 0) / mass,
    others,
  };
};

describe('near-miss features (src/answer/near-miss.ts)', () => {
  it('the sentence naming the rare word alone: full seen coverage, its own unique mass, nothing uncovered but the unseen word', () => {
    const f = nearMissFeatures(evidence([false, true, true, false], [{ samePassage: true, groups: [false, true, false, false], coverage: 1 / 6 }]));
    expect(f).toHaveLength(NEAR_MISS_FEATURES.length);
    expect(feature(f, 'bias')).toBe(1);
    expect(feature(f, 'coverage')).toBeCloseTo(4 / 6);
    expect(feature(f, 'uniqueCover')).toBeCloseTo(3 / 6);
    expect(feature(f, 'uniqueInPassage')).toBeCloseTo(3 / 6);
    expect(feature(f, 'rarestMissing')).toBe(0);
    expect(feature(f, 'rareUncovered')).toBeCloseTo(2 / 3);
    // Of the three weighted groups only the unseen one is uncovered.
    expect(feature(f, 'uncoveredShare')).toBeCloseTo(1 / 3);
    expect(feature(f, 'unseenShare')).toBeCloseTo(2 / 6);
    expect(feature(f, 'seenCoverage')).toBe(1);
    expect(feature(f, 'secondRel')).toBeCloseTo((1 / 6 / (4 / 6)) / 2);
    expect(feature(f, 'passageGap')).toBe(0);
    expect(feature(f, 'anyGap')).toBe(0);
  });

  it('a topic-only sentence: the rare word is missing and named by a sentence of another passage', () => {
    const f = nearMissFeatures(evidence([true, true, false, false], [{ samePassage: false, groups: [false, true, true, false], coverage: 4 / 6 }]));
    expect(feature(f, 'coverage')).toBeCloseTo(1 / 6);
    expect(feature(f, 'rarestMissing')).toBe(1);
    expect(feature(f, 'rareUncovered')).toBe(1);
    expect(feature(f, 'heavyUncovered')).toBeCloseTo(5 / 6);
    expect(feature(f, 'anyGap')).toBeCloseTo(3 / 6);
    expect(feature(f, 'passageGap')).toBe(0);
    expect(feature(f, 'uniqueCover')).toBe(0);
    // The topic word is matched in another passage only: unique within its own passage.
    expect(feature(f, 'uniqueInPassage')).toBeCloseTo(1 / 6);
    expect(feature(f, 'seenCoverage')).toBeCloseTo(1 / 4);
    expect(feature(f, 'secondRel')).toBe(1);
  });

  it('a sentence with no coverage and no other sentence has the extreme values, not NaN', () => {
    const f = nearMissFeatures({ idfs: [0, 0], specificity: [], unseen: [false, false], pickGroups: [false, false], coverage: 0, others: [] });
    expect(f.every((x) => Number.isFinite(x))).toBe(true);
    expect(feature(f, 'secondRel')).toBe(1);
    expect(feature(f, 'rarestMissing')).toBe(0);
  });
});

describe('the committed near-miss model', () => {
  it('was trained with the current feature list (retrain with scripts/train-not-stated.ts after changing it)', () => {
    const m = nearMissModel();
    expect(m).not.toBeNull();
    expect(m!.weights).toHaveLength(NEAR_MISS_FEATURES.length);
    expect(m!.threshold).toBeGreaterThan(0);
    expect(m!.threshold).toBeLessThan(1);
  });

  it('refuses the topic-only sentence and keeps the one naming the rare word', () => {
    expect(isNearMiss(nearMissFeatures(evidence([false, true, true, false], [{ samePassage: true, groups: [false, true, false, false], coverage: 1 / 6 }])))).toBe(false);
    const topicOnly = evidence([true, true, false, false], [
      { samePassage: false, groups: [false, true, true, false], coverage: 4 / 6 },
      { samePassage: true, groups: [false, true, false, false], coverage: 1 / 6 },
    ]);
    expect(isNearMiss(nearMissFeatures(topicOnly))).toBe(true);
  });

  it('without a model nothing is a near miss', () => {
    expect(isNearMiss(new Array(NEAR_MISS_FEATURES.length).fill(0), null)).toBe(false);
  });
});

describe('the near-miss hook in the extractor (seed report)', () => {
  const dossier = useDossier();
  const saved = NEAR_MISS_WEIGHTS.model;
  afterEach(() => {
    NEAR_MISS_WEIGHTS.model = saved;
  });
  const always: NearMissModel = { features: NEAR_MISS_FEATURES, weights: NEAR_MISS_FEATURES.map((f) => (f === 'bias' ? -10 : 0)), threshold: 0.5 };

  it('a model that judges the chosen sentence a near miss turns the answer into "not stated" with the closest passages cited', async () => {
    const q = 'How heavy is the warhead of the ZT-180?';
    const answered = await dossier().ask(q);
    expect(answered.notStated).toBe(false);
    expect(answered.short).toContain('35 bis 50 Kilogramm');
    NEAR_MISS_WEIGHTS.model = always;
    const refused = await dossier().ask(q);
    expect(refused.abstained).toBe(false);
    expect(refused.notStated).toBe(true);
    expect(refused.short).toBeUndefined();
    expect(refused.answer).toMatch(/^The documents do not say the weight/);
    expect(refused.citations[0].quote).toBe(answered.citations[0].quote);
  });

  it('the committed model keeps answering the seed questions the sentence answers', async () => {
    for (const [q, short] of [
      ['When should the drones be delivered?', 'bis April'],
      ['Wann sollen die Drohnen geliefert werden?', 'bis April'],
      ['Who makes the ZT-180?', "Xi'an Bingo"],
    ]) {
      const a = await dossier().ask(q);
      expect(a.notStated, q).toBe(false);
      expect(a.short, q).toContain(short);
    }
  });
});
