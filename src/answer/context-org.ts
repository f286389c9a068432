/**
 * Organisation answers whose sentence shares no word with the question. "Welche Firma baut die
 * Bibliothek?" is answered by "Den Zuschlag für den Neubau erhielt die Kessler Hochbau GmbH" —
 * the question's verb ("bauen") and the document's ("Zuschlag erhielt") differ, and the topic
 * noun ("Bibliothek") stands in the sentence before. When the question asks for an organisation
 * (or "wer/who" and the best sentence offers no person), a strong organisation candidate
 * (organisation.ts: a legal form, an organisation compound, a company noun before it) in the same
 * passage (a passage never crosses a paragraph, see text/chunk.ts) as a sentence that matches
 * the question is taken instead, when that passage covers at least {@link CONTEXT_SHARE} of what
 * the chosen sentence covers. This is the "answer in the neighbouring sentence" window of
 * passage-based factoid QA (Tellex et al., SIGIR 2003, windows of n sentences), limited to the
 * one kind of candidate that is rarely ambiguous.
 */
import type { Token } from '../text/tokenize.js';
import { findCandidates, type Candidate, type IsCommonWord } from './candidates.js';
import { isStrongOrganisation } from './organisation.js';
import type { QuestionAnalysis } from './question.js';

/** The passage must cover at least this share of the chosen sentence's coverage (set by hand on the fixture documents; tuning part unchanged). */
export const CONTEXT_SHARE = 0.6;
/** Candidate score given to an organisation found this way (one step removed from the matched words). */
export const CONTEXT_SCORE = 0.5;

/** What {@link contextOrganisation} needs of the chosen sentence's best candidate. */
export interface ChosenCandidate {
  flavour: Candidate['flavour'];
  kind: Candidate['kind'];
}

/**
 * Where to look for an organisation: `any` passage when the question asks for an organisation
 * (or "who") and the chosen candidate is missing, a place, or (for an organisation question) a
 * person; the chosen sentence's own passage (`same`) when it is a name of unknown kind; nowhere
 * (false) otherwise, and never for media questions ("which magazine") or a quoted title.
 */
export function wantsContextOrganisation(qa: QuestionAnalysis, chosen: ChosenCandidate | null): 'any' | 'same' | false {
  // A newspaper or magazine is a quoted title, never a legal form ("Spiegel").
  if (qa.media || chosen?.kind === 'quoted') return false;
  if (qa.type !== 'organisation' && qa.type !== 'person') return false;
  // "Who is the director of …" asks for a person: the topic's organisation is no answer.
  if (qa.personNoun) return false;
  if (!chosen || chosen.flavour === 'place' || (qa.type === 'organisation' && chosen.flavour === 'person')) return 'any';
  // A name of unknown kind ("BSkyB") may well be the organisation: only its own passage is searched.
  return qa.type === 'organisation' && chosen.flavour === null ? 'same' : false;
}

/**
 * The strongest organisation candidate of one sentence (the first in text order), or null.
 * Candidates made only of the question's own words are skipped.
 * @param text the sentence text; `tokens` = tokenize(text).
 */
export function strongOrganisation(text: string, tokens: Token[], questionTerms: Set<string>, isCommon: IsCommonWord | null): Candidate | null {
  for (const c of findCandidates(text, tokens, isCommon)) {
    if (c.kind !== 'name' || c.flavour !== 'organisation') continue;
    if (!isStrongOrganisation(text, tokens, c.from, c.to)) continue;
    let own = false;
    for (let k = c.from; k <= c.to; k++) if (!questionTerms.has(tokens[k].norm)) own = true;
    if (own) return c;
  }
  return null;
}
