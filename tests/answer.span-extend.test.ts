import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/text/tokenize.js';
import { extraSpans } from '../src/answer/span-extend.js';
import { chooseShort, spanCandidates } from '../src/answer/span.js';
import { analyzeQuestion } from '../src/answer/question.js';

/** Extra spans of `text` (as strings, by how they were built) over the given base ranges, tokens in `q` matched. */
function extras(text: string, q: string[], base: [number, number][], why = false, german = true): Record<string, string[]> {
  const tokens = tokenize(text);
  const matched = tokens.map((t) => q.includes(t.norm));
  const out: Record<string, string[]> = {};
  for (const x of extraSpans({ text, tokens, matched, questionTerms: new Set(q), why, german }, base.map(([from, to]) => ({ from, to })))) {
    (out[x.how] ??= []).push(text.slice(tokens[x.from].start, tokens[x.to].end));
  }
  return out;
}

describe('extra short-answer spans (span-extend.ts)', () => {
  it('joins two candidates linked by und/and into one coordination', () => {
    // tokens: Er forderte zu privater(3) Beichte(4) und(5) Absolution(6) auf
    expect(extras('Er forderte zu privater Beichte und Absolution auf.', ['forderte'], [[3, 4], [6, 6]]).coordination).toEqual(['privater Beichte und Absolution']);
  });
  it('attaches a prepositional phrase, with its article, to the noun before it', () => {
    // Sie basiert auf der Kolonialverfassung(4) aus(5) dem(6) Jahre(7) 1855(8)
    expect(extras('Sie basiert auf der Kolonialverfassung aus dem Jahre 1855.', ['basiert'], [[4, 4], [7, 8]]).attachment).toEqual(['Kolonialverfassung aus dem Jahre 1855']);
    // Museum(3) für(4) Design(5) und(6) Kunsthandwerk(7): the attached phrase may be a coordination.
    expect(extras('Es hieß zuerst Museum für Design und Kunsthandwerk.', ['hieß'], [[3, 3], [5, 5], [7, 7]]).attachment).toEqual(['Museum für Design', 'Museum für Design und Kunsthandwerk']);
  });
  it('offers the purpose clause only for why questions, up to the clause end', () => {
    const text = 'Das Amt wurde geschaffen, um die Reaktion auf das Embargo zu koordinieren.';
    expect(extras(text, ['amt', 'geschaffen'], [], true).clause).toEqual(['um die Reaktion auf das Embargo zu koordinieren']);
    expect(extras(text, ['amt', 'geschaffen'], [], false).clause).toBeUndefined();
  });
  it('cuts question words from the edges of a candidate, keeping a content word at both ends', () => {
    // derzeit(0) Denvers(1) Executive(2) Vice(3) President(4)
    expect(extras('derzeit Denvers Executive Vice President ist er.', ['derzeit'], [[0, 4]]).trimmed).toEqual(['Denvers Executive Vice President']);
    // etwa(2) 505(3) Millionen(4) Jahren(5): "etwa" alone is no answer.
    expect(extras('Sie stammen aus etwa 505 Millionen Jahren.', ['505', 'millionen', 'jahren'], [[3, 5]]).trimmed).toBeUndefined();
  });
  it('are offered to an untyped question and never repeat only question words', () => {
    const text = 'Er forderte zu privater Beichte und Absolution auf.';
    const tokens = tokenize(text);
    const qa = analyzeQuestion('Wozu forderte Luther auf?');
    const matched = tokens.map((t) => t.norm === 'forderte');
    const texts = spanCandidates({ qa, text, tokens, matched, ownFrom: 0, german: true, isCommon: null }).map((c) => text.slice(c.start, c.end));
    expect(texts).toContain('privater Beichte und Absolution');
    expect(texts).not.toContain('forderte');
    const pick = chooseShort('Wozu forderte Luther auf?', { qa, text, tokens, matched, ownFrom: 0, german: true, isCommon: null });
    expect(pick).not.toBeNull();
  });
});
