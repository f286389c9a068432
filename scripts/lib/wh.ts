/**
 * The answer type of a question by its wh-word, English or German, computed inside the eval and
 * independent of the product's own question analysis (so the per-type figures do not move when
 * the product's classifier changes).
 *
 * Classes: quantity (how many/much, wie viel(e), wie hoch/lang/groß/alt…), date (when, what year,
 * wann, in welchem Jahr, seit wann), person (who/whom/whose, wer/wem/wen/wessen), place (where,
 * wo/wohin/woher), reason (why, warum/weshalb/wieso), manner (other "how"/"wie"), entity
 * (what/which, was/welche…), other (no wh-word found: yes/no questions, imperatives).
 * The first matching rule in the order below wins.
 */
export type AnswerType = 'quantity' | 'date' | 'person' | 'place' | 'reason' | 'manner' | 'entity' | 'other';

export const ANSWER_TYPES: AnswerType[] = ['quantity', 'date', 'person', 'place', 'reason', 'manner', 'entity', 'other'];

const RULES: [AnswerType, RegExp][] = [
  ['quantity', /\bhow\s+(many|much|long|large|big|old|far|high|tall|often|wide|deep|heavy|fast)\b|\bwhat\s+(percentage|percent|proportion|number|amount|fraction)\b|\bwie\s*(viele?|vielen|hoch|lange?|gro[ßs]|alt|weit|oft|schwer|schnell|breit|tief)\b|\bwelche[rnms]?\s+(anzahl|menge|prozentsatz|anteil)\b/i],
  ['date', /\bwhen\b|\bwhat\s+(year|date|day|month|century|decade|time)\b|\bwhich\s+(year|date|day|month|century|decade)\b|\bwann\b|\b(in|an|seit|bis)\s+welche[mnrs]?\s+(jahr|datum|tag|monat|jahrhundert|jahrzehnt|zeitpunkt)\b|\bwelche[mnrs]?\s+(jahr|datum|jahrhundert|jahrzehnt)\b/i],
  ['person', /\b(who|whom|whose)\b|\b(wer|wem|wen|wessen)\b/i],
  ['place', /\bwhere\b|\b(wo|wohin|woher)\b|\bin\s+welche[mnrs]?\s+(land|stadt|region|staat|ort)\b/i],
  ['reason', /\bwhy\b|\b(warum|weshalb|wieso|weswegen)\b/i],
  ['manner', /\bhow\b|\bwie\b/i],
  ['entity', /\b(what|which)\b|\b(was|welche[mnrs]?|wof[üu]r|womit|wovon|wor[üu]ber|woraus|wodurch|wozu|worauf|worin)\b/i],
];

/** The answer type of `question` (English or German) by its wh-word; see the module doc. */
export function answerType(question: string): AnswerType {
  for (const [type, re] of RULES) if (re.test(question)) return type;
  return 'other';
}
