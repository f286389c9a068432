/**
 * Public bodies named by a common noun: "the local council", "der Stadtrat", "die Landesregierung",
 * "the planning committee". They answer "who/wer" and "which organisation" questions ("Who approved
 * the substation?" — "The local council has approved …") but are no capitalised name run, so
 * candidates.ts would not offer them. A body candidate is the definite article, up to two
 * modifiers and a body noun (or a German compound ending in one), as one organisation candidate.
 * Linear in the sentence length.
 */
import type { Token } from '../text/tokenize.js';

/** English and German nouns for bodies that act (decide, approve, build, run). */
const BODY =
  /^(council|committee|government|ministry|court|commission|authority|authorities|agency|board|parliament|senate|assembly|administration|municipality|police|army|navy|regulator|tribunal|cabinet|stadtrat|gemeinderat|kreistag|landtag|bundestag|stadtverwaltung|verwaltung|regierung|landesregierung|bundesregierung|ministerium|institut|behörde|polizei|gericht|kommission|ausschuss|stadtwerke|bundeswehr|aufsichtsrat|vorstand|senat|magistrat)$/;
/** German compounds ending in a body noun ("Bauausschuss", "Landesbehörde", "Verkehrsministerium", "Aufsichtsrat"; not "Vorrat", "Demokrat"). */
const BODY_END = /(.{3,}(regierung|ministerium|institut|behörde|gericht|kommission|ausschuss|verwaltung)|(stadt|gemeinde|bei|aufsichts|betriebs|bundes|sicherheits|verwaltungs|stiftungs|rundfunk|eltern|minister|national|europa|kreis|orts|bezirks|personal|senats|fakultäts|hochschul|kirchen|pfarrgemeinde)rat)$/;
const ARTICLE = /^(the|der|die|das|den|dem|des)$/;
/** Words that may stand between the article and the body noun (lower-case adjectives, EN/DE). */
const MODIFIER = /^[a-zäöüß][a-zäöüß-]{1,}$/;
const NOT_MODIFIER = /^(of|and|or|in|on|at|to|for|with|by|und|oder|in|im|an|am|auf|für|mit|von|vom|zu|zum|zur|bei|is|was|has|have|ist|war|hat|nicht|not)$/;

const PREPOSITION = /^(to|of|for|from|with|at|in|on|into|against|about|an|auf|aus|bei|für|gegen|in|mit|nach|über|unter|vor|zu|zwischen|bis|seit|trotz|wegen|laut)$/;

/** German bodies whose name goes on with "für …" ("Bundesministerium für Bildung und Forschung", "Institut für Meereskunde"). */
const NAMED_BY_FOR = /(ministerium|institut|amt|behörde|ausschuss|kommission)$/;

/**
 * Last token of a German body's name: "für" and one or two capitalised nouns joined by "und"
 * after a ministry, institute or office noun at token `k`; `k` itself otherwise.
 */
function namedTail(tokens: Token[], k: number): number {
  if (!NAMED_BY_FOR.test(tokens[k].norm) || tokens[k + 1]?.norm !== 'für' || !tokens[k + 2]?.capitalized) return k;
  if (/^(und|sowie)$/.test(tokens[k + 3]?.norm ?? '') && tokens[k + 4]?.capitalized) return k + 4;
  return k + 2;
}

/** A body noun phrase: token range, first (article) to last (the body noun). */
export interface BodySpan {
  from: number;
  to: number;
}

/** True when the lower-case word names a body ("council", "Stadtrat", "Bauausschuss"). */
export function isBodyNoun(norm: string): boolean {
  return BODY.test(norm) || (norm.length >= 7 && BODY_END.test(norm));
}

/**
 * Body noun phrases of one sentence after a definite article: "The local council" gives "local
 * council", "der Stadtrat" gives "Stadtrat" (the article is left out; modifiers are lower-case
 * words, at most two).
 */
export function findBodies(tokens: Token[]): BodySpan[] {
  const out: BodySpan[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!isBodyNoun(tokens[k].norm)) continue;
    // Walk back over at most two modifiers to a definite article.
    let a = k - 1;
    let steps = 0;
    while (a >= 0 && steps < 2 && !ARTICLE.test(tokens[a].norm) && MODIFIER.test(tokens[a].norm) && !NOT_MODIFIER.test(tokens[a].norm) && !tokens[a].capitalized) {
      a--;
      steps++;
    }
    // "vom Bundesministerium" (von + dem) names the agent of a passive ("Finanziert wird er vom …").
    const agent = a >= 0 && tokens[a].norm === 'vom';
    if (a < 0 || (!ARTICLE.test(tokens[a].norm) && !agent)) continue;
    // Dative and genitive articles, or a preposition before the article, mark a recipient or an
    // owner ("dem Ministerium liefern", "to the council"), not the one who acts; "by/von/durch" do.
    if (/^(dem|den|des)$/.test(tokens[a].norm)) continue;
    if (!agent && a > 0 && PREPOSITION.test(tokens[a - 1].norm)) continue;
    out.push({ from: a + 1, to: namedTail(tokens, k) });
  }
  return out;
}
