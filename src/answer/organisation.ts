/**
 * Organisation signals in running text, without a gazetteer: legal-form suffixes ("Kessler
 * Hochbau GmbH", "Nordwind Turbines plc", "Strabag SE", "Acme Inc."), German organisation
 * compounds ("Stadtwerke", "Verkehrsbetriebe", "Sparkasse") and the noun that names a company
 * before its name ("die Firma X", "the company X"). The legal forms are those of the German
 * commercial code (HGB/GmbHG/AktG: AG, GmbH, KG, OHG, KGaA, eG, SE) and their English, Dutch,
 * Nordic, French and Italian counterparts (Ltd, plc, Inc, LLC, LLP, Corp, N.V., B.V., S.A., AB,
 * A/S, ASA, Oy, S.p.A.); "e.V." marks a registered association.
 *
 * Used by candidates.ts (name runs keep a trailing legal form, even lower-case "plc") and by
 * context-org.ts (a strong organisation candidate of a topic paragraph).
 */
import type { Token } from '../text/tokenize.js';

/** Normalised tokens (lower case; see text/tokenize.ts) that are a legal form on their own. */
const LEGAL_FORM = /^(ag|gmbh|mbh|ggmbh|se|kg|kgaa|ohg|eg|ug|gbr|ltd|plc|inc|llc|llp|lp|corp|co|nv|bv|sa|sas|sarl|spa|srl|ab|asa|oy|oyj|as|aps|ev|pty)$/;
/** Legal forms written with inner dots, as the tokenizer keeps them ("n.v", "s.a", "e.v"). */
const DOTTED_LEGAL_FORM = /^(n\.v|b\.v|s\.a|s\.p\.a|e\.v|s\.r\.l|s\.a\.s)$/;
/** Two-letter legal forms that are also ordinary words ("as", "co", "se", "sa", "ab", "eg"): only in capitals or with a dot. */
const AMBIGUOUS = /^(as|co|se|sa|ab|eg|ev|lp|ug|spa)$/;

/**
 * True when token `k` of `text` is a legal-form suffix. Ambiguous short forms count only when
 * written in capitals ("SE", "AB", "A/S") or as "Co." after "&".
 */
export function isLegalForm(text: string, tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (!t) return false;
  const surface = text.slice(t.start, t.end);
  if (DOTTED_LEGAL_FORM.test(t.norm)) return true;
  if (t.norm === 'a' && /^\/S\b/.test(text.slice(t.end))) return true; // "A/S"
  if (!LEGAL_FORM.test(t.norm)) return false;
  if (!AMBIGUOUS.test(t.norm)) return true;
  if (t.norm === 'co') return /&\s*$/.test(text.slice(Math.max(0, t.start - 3), t.start)) || /^\./.test(text.slice(t.end));
  return /^[\p{Lu}]+$/u.test(surface.replace(/[./]/g, ''));
}

/**
 * Index of the last token of the legal form that starts at token `k` ("GmbH", "GmbH & Co. KG",
 * "Ltd", "plc"), or -1 when none starts there. `joined(i)` says whether token i continues the
 * phrase of token i-1 (no comma or sentence break between them).
 */
export function legalFormEnd(text: string, tokens: Token[], k: number, joined: (i: number) => boolean): number {
  if (!isLegalForm(text, tokens, k)) return -1;
  let end = k;
  // "GmbH & Co. KG": the "& Co." part and the second form.
  if (tokens[end + 1]?.norm === 'co' && /^\s*&\s*$/.test(text.slice(tokens[end].end, tokens[end + 1].start)) && tokens[end + 2] && isLegalForm(text, tokens, end + 2)) end += 2;
  if (tokens[end].norm === 'a' && /^\/S\b/.test(text.slice(tokens[end].end))) end = Math.min(tokens.length - 1, end + 1);
  return joined(k) ? end : -1;
}

/**
 * German organisation compounds: a capitalised word ending in one of these heads names an
 * organisation ("Stadtwerke", "Verkehrsbetriebe", "Wohnungsbaugesellschaft", "Sparkasse").
 */
const ORG_HEAD = /.(betriebe|gesellschaft|genossenschaft|sparkasse|versicherung|verband|stiftung|konzern|holding|verlag)$/;
/** Heads that name an organisation only with a name after them ("Stadtwerke Halle", not "Kunstwerke"). */
const ORG_HEAD_NAMED = /.(werke|bank|akademie|gruppe|partner)$/;

/**
 * True when the lower-case word is a German organisation compound (see {@link ORG_HEAD});
 * `named`: a name follows it in the same run, which admits the weaker heads ("Stadtwerke Halle").
 */
export function isOrganisationCompound(norm: string, named = false): boolean {
  return norm.length >= 8 && (ORG_HEAD.test(norm) || (named && ORG_HEAD_NAMED.test(norm)));
}

/** Nouns that name a company before its name ("die Firma X", "Baukonzern X", "the company X"). */
const ORG_INTRO = /^(firma|unternehmen|konzern|baukonzern|baufirma|bauunternehmen|hersteller|betreiber|dienstleister|zulieferer|tochter|tochterfirma|company|firm|contractor|manufacturer|operator|supplier|developer|subsidiary|group)$/;
/** German compounds ending in a company noun ("Baukonzern", "Energieversorger", "Windkraftunternehmen"). */
const ORG_INTRO_END = /.{3,}(konzern|unternehmen|firma|hersteller|betreiber|versorger|dienstleister|zulieferer)$/;

/** True when the lower-case word introduces a company name ("Firma", "Baukonzern", "contractor"). */
export function introducesOrganisation(norm: string): boolean {
  return ORG_INTRO.test(norm) || ORG_INTRO_END.test(norm);
}

/**
 * A strong organisation: the candidate ends in a legal form, or starts with a German organisation
 * compound, or is introduced by a company noun. `from`/`to` are token indices (inclusive).
 */
export function isStrongOrganisation(text: string, tokens: Token[], from: number, to: number): boolean {
  if (isLegalForm(text, tokens, to) || (to > from && tokens[to - 1] && isLegalForm(text, tokens, to - 1))) return true;
  if (isOrganisationCompound(tokens[from].norm)) return true;
  const before = from > 0 ? tokens[from - 1].norm : '';
  return introducesOrganisation(before);
}
