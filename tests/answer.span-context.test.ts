import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/text/tokenize.js';
import { CONTEXT_FEATURES, contextFeatures, echoStems } from '../src/answer/span-context.js';

/** The context features of the token range [from, to] of `text`, by name; tokens in `q` are matched. */
function features(text: string, q: string[], from: number, to: number, german = true): Record<string, number> {
  const tokens = tokenize(text);
  const input = { text, tokens, matched: tokens.map((t) => q.includes(t.norm)), questionTerms: new Set(q), german };
  const x = contextFeatures(input, from, to, echoStems(input));
  return Object.fromEntries(CONTEXT_FEATURES.map((f, i) => [f, x[i]]));
}

describe('span context features (span-context.ts)', () => {
  it('sees a candidate on the other side of a copula from the matched words', () => {
    // Van(0) Nuys(1) Airport(2) ist(3) der(4) verkehrsreichste(5) Flughafen(6)
    expect(features('Van Nuys Airport ist der verkehrsreichste Flughafen.', ['verkehrsreichste', 'flughafen'], 0, 2).copulaOpposite).toBe(1);
    // A comma between them ends the clause.
    expect(features('Van Nuys Airport, so heißt es, ist der verkehrsreichste Flughafen.', ['verkehrsreichste', 'flughafen'], 0, 2).copulaOpposite).toBe(0);
  });
  it('sees the object of a naming verb and a bracketed gloss', () => {
    // Die(0) Verwaltungseinheit(1) wird(2) Gemeinde(3) (Gmina)(4) genannt(5)
    const g = features('Die Verwaltungseinheit wird Gemeinde (Gmina) genannt.', ['verwaltungseinheit'], 3, 3);
    expect(g.naming).toBe(1);
    expect(g.inParens).toBe(0);
    expect(features('Die Verwaltungseinheit wird Gemeinde (Gmina) genannt.', ['verwaltungseinheit'], 4, 4).inParens).toBe(1);
  });
  it('sees an apposition separated by a comma only', () => {
    // das(0) Momus(1), Warschaus(2) erstes(3) Kabarett(4)
    expect(features('das Momus, Warschaus erstes Kabarett', ['warschaus', 'erstes', 'kabarett'], 1, 1).apposition).toBe(1);
    expect(features('das Momus und Warschaus erstes Kabarett', ['warschaus', 'erstes', 'kabarett'], 1, 1).apposition).toBe(0);
  });
  it('marks words repeating a question word in another form', () => {
    // das(0) Problem(1) lösen(2): "problemen" was asked, "Problem" echoes it.
    const f = features('das Problem lösen', ['problemen', 'lösen'], 1, 1);
    expect(f.echo).toBe(1);
    expect(features('die Zeit messen', ['problemen'], 1, 1).echo).toBe(0);
    // The matched German verb right after the candidate.
    expect(f.proxVerb).toBe(1);
    expect(f.afterVerb).toBe(0);
  });
});
