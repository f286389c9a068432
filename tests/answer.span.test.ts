import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/text/tokenize.js';
import { modifierSpans, recordInput, restoreInput, scoredCandidates, spanCandidates } from '../src/answer/span.js';
import { analyzeQuestion } from '../src/answer/question.js';

/** Modifier runs of `text` with the tokens whose norm is in `q` marked as matched. */
function modifiers(text: string, q: string[], german = true): string[] {
  const tokens = tokenize(text);
  const matched = tokens.map((t) => q.includes(t.norm));
  return modifierSpans(text, tokens, matched, german).map((m) => text.slice(tokens[m.from].start, tokens[m.to].end));
}

describe('modifier spans (attributive adjectives before a matched noun)', () => {
  it('finds the adjectives right before the question noun', () => {
    expect(modifiers('Oft wird ein elektrisches Heizelement verwendet.', ['heizelement'])).toEqual(['elektrisches']);
    expect(modifiers('Die Werke stammen von zeitgenössischen britischen Künstlern.', ['künstlern'])).toEqual(['zeitgenössischen britischen']);
  });
  it('skips articles, quantifiers, numbers, punctuation and unmatched nouns', () => {
    expect(modifiers('Es gibt viele Künstler.', ['künstler'])).toEqual([]);
    expect(modifiers('Es gab 233 Gemälde.', ['gemälde'])).toEqual([]);
    expect(modifiers('Die Körper sind weich, gallertartig Körper.', ['körper'])).toEqual([]);
    expect(modifiers('Oft wird ein elektrisches Heizelement verwendet.', ['verwendet'])).toEqual([]);
  });
  it('are offered as short-answer candidates of an untyped question', () => {
    const text = 'In Spielzeugdampfmaschinen wird oft ein elektrisches Heizelement verwendet.';
    const tokens = tokenize(text);
    const qa = analyzeQuestion('Welche Art von Heizelement wird in Spielzeugdampfmaschinen verwendet?');
    const matched = tokens.map((t) => ['spielzeugdampfmaschinen', 'heizelement', 'verwendet'].includes(t.norm));
    const cands = spanCandidates({ qa, text, tokens, matched, ownFrom: 0, german: true, isCommon: null });
    expect(cands.filter((c) => c.modifier).map((c) => text.slice(c.start, c.end))).toEqual(['elektrisches']);
  });
});

describe('candidates never repeat only the question', () => {
  it('drops a figure whose only own word is a hedge ("etwa 505 Millionen" for "vor 505 Millionen Jahren")', () => {
    const text = 'Sie stammen aus der mittelkambrischen Periode vor etwa 505 Millionen Jahren.';
    const tokens = tokenize(text);
    const qa = analyzeQuestion('Wie hieß die Periode vor 505 Millionen Jahren?');
    const matched = tokens.map((t) => ['periode', '505', 'millionen', 'jahren'].includes(t.norm));
    const texts = spanCandidates({ qa, text, tokens, matched, ownFrom: 0, german: true, isCommon: null }).map((c) => text.slice(c.start, c.end));
    expect(texts.some((t) => /505/.test(t))).toBe(false);
    expect(texts).toContain('mittelkambrischen');
  });
});

describe('recorded span inputs (training traces)', () => {
  it('rebuild the same candidates and features after a JSON round trip', () => {
    const text = 'Nach der Gründung wurde Australien in eine östliche Hälfte mit dem Namen New South Wales aufgeteilt.';
    const tokens = tokenize(text);
    const qa = analyzeQuestion('Wie hieß die östliche Hälfte der Kolonie?');
    const matched = tokens.map((t) => ['östliche', 'hälfte'].includes(t.norm));
    const common = new Set(['gründung', 'hälfte', 'namen']);
    const input = { qa, text, tokens, matched, ownFrom: 0, german: true, isCommon: (w: string) => common.has(w) };
    const before = scoredCandidates(input);
    const record = JSON.parse(JSON.stringify(recordInput(input)));
    expect(record.common.sort()).toEqual(['gründung', 'hälfte', 'namen']);
    const after = scoredCandidates(restoreInput(record));
    expect(after.cands.map((c) => text.slice(c.start, c.end))).toEqual(before.cands.map((c) => text.slice(c.start, c.end)));
    expect(after.feats).toEqual(before.feats);
    expect(after.cands.map((c) => text.slice(c.start, c.end))).toContain('New South Wales');
  });
});
