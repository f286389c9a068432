import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../src/answer/question.js';
import { findAntecedent, namesAskedKind, ANTECEDENT_WINDOW } from '../src/answer/antecedent.js';
import { tokenize } from '../src/text/tokenize.js';

const text =
  'Die Firma Nordwind Energie GmbH plant einen Windpark vor Rügen. Der Bau soll 2027 beginnen.\n\n' +
  'Wie das Unternehmen mitteilte, entstehen dort 40 Turbinen.';

describe('definite descriptions and their antecedents', () => {
  it('"das Unternehmen" in the answer sentence of a "which company" question names an earlier company', () => {
    const qa = analyzeQuestion('Which company announced the 40 turbines?');
    const sentence = 'Wie das Unternehmen mitteilte, entstehen dort 40 Turbinen.';
    const tokens = tokenize(sentence);
    const matched = tokens.map((t) => t.norm === 'unternehmen' || t.norm === 'turbinen');
    expect(namesAskedKind(qa, tokens, matched)).toBe(true);
    const found = findAntecedent(qa, text, 0, text.indexOf('Wie das'), 'de', null);
    expect(found).not.toBeNull();
    expect(text.slice(found!.span.start, found!.span.end).slice(found!.candidate.start, found!.candidate.end)).toContain('Nordwind Energie GmbH');
  });

  it('is not triggered by "who" questions, modified descriptions or unmatched nouns', () => {
    const sentence = 'Wie das Unternehmen mitteilte, entstehen dort 40 Turbinen.';
    const tokens = tokenize(sentence);
    const matched = tokens.map((t) => t.norm === 'unternehmen');
    expect(namesAskedKind(analyzeQuestion('Who announced the turbines?'), tokens, matched)).toBe(false);
    expect(namesAskedKind(analyzeQuestion('Which company announced the turbines?'), tokens, tokens.map(() => false))).toBe(false);
    const modified = tokenize('Wie das größte Unternehmen mitteilte, entstehen 40 Turbinen.');
    expect(namesAskedKind(analyzeQuestion('Which company announced the turbines?'), modified, modified.map((t) => t.norm === 'unternehmen'))).toBe(false);
  });

  it('looks back at most ANTECEDENT_WINDOW characters and never before the body', () => {
    const qa = analyzeQuestion('Which company announced the turbines?');
    const far = 'Die Firma Nordwind Energie GmbH plant einen Windpark. ' + 'Es regnet viel. '.repeat(Math.ceil(ANTECEDENT_WINDOW / 16) + 5);
    const t = far + 'Wie das Unternehmen mitteilte, entstehen 40 Turbinen.';
    expect(findAntecedent(qa, t, 0, t.indexOf('Wie das'), 'de', null)).toBeNull();
    expect(findAntecedent(qa, text, text.indexOf('Wie das'), text.indexOf('Wie das'), 'de', null)).toBeNull();
  });
});
