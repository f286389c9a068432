/**
 * Sentences that lean on the one before: they open with a pronoun, a demonstrative or a
 * connective adverb whose referent is in the previous sentence ("Sie …", "In dieser …",
 * "Demnach …", "They …", "This …"). Quoted alone, such a sentence loses its subject, so answers
 * quote it with its predecessor and summaries take the two as one unit.
 *
 * The list is the closed class of German and English sentence-initial anaphors and discourse
 * connectives that refer back (personal pronouns, demonstratives, pronominal adverbs "da(r)+P"),
 * as described in German grammars (Duden-Grammatik, §§ on "Pronominaladverb" and text cohesion)
 * and Halliday & Hasan, "Cohesion in English" (1976), ch. 2 (reference) and ch. 5 (conjunction).
 */
const DEPENDENT_START =
  /^(sie|er|es|dies|diese[rsmn]?|dieses|in dieser|in diesem|demnach|danach|dort|damit|daher|deshalb|dabei|darin|dazu|davon|hier|they|he|she|it|this|these|that|those|there|in this|thus|therefore|its|their|his|her)\b/i;

/**
 * True when `sentence` (leading whitespace and opening quotes ignored) starts with a word that
 * refers back to the previous sentence. Cost O(1): only the first words are examined.
 */
export function startsDependent(sentence: string): boolean {
  return DEPENDENT_START.test(sentence.slice(0, 40).replace(/^[\s"„“»«'‚‘]+/, ''));
}
