/**
 * The document a question is about. Over several documents, a typed question's best sentence can
 * come from a document that shares only the asked attribute with the question: "How much did the
 * wind farm cost?" matched the swimming-pool report's "Der Bau kostete 14,5 Millionen Euro" (the
 * fresh-user trial of session 4), while the wind-farm report — which names the wind farm in many
 * sentences and states "2.1 billion pounds" in one that matches no question word — was passed
 * over. What the chosen sentence leaves unmatched is looked up document by document: a document's
 * coverage of it is the idf share of those groups matched anywhere in its retrieved passages (the
 * passage-level evidence of Callan, "Passage-level evidence in document retrieval", SIGIR 1994,
 * taken one level up). When another document covers clearly more of it than the chosen sentence's
 * own document, the question is about that document and the answer is sought there (or, without
 * a candidate of the asked type there, not stated).
 *
 * Linear in the number of scored sentences × query groups.
 */

/** What the topic coverage needs of a scored sentence. */
export interface TopicSentence {
  /** Document id of the sentence's passage. */
  docId: string;
  /** Per query group: true when the sentence matches it. */
  matchedGroups: boolean[];
}

/**
 * Coverage of each document: the share (0–1) of the weight of the query groups that some sentence
 * of the document matches.
 * @param idfs weight per group (question frames, and groups that should not count, 0).
 */
export function topicCoverage(sentences: TopicSentence[], idfs: number[]): Map<string, number> {
  const mass = idfs.reduce((a, b) => a + (b ?? 1), 0) || 1;
  const matched = new Map<string, boolean[]>();
  for (const s of sentences) {
    let m = matched.get(s.docId);
    if (!m) matched.set(s.docId, (m = idfs.map(() => false)));
    s.matchedGroups.forEach((x, g) => {
      if (x) m![g] = true;
    });
  }
  const out = new Map<string, number>();
  for (const [doc, m] of matched) out.set(doc, m.reduce((a, x, g) => a + (x ? idfs[g] ?? 1 : 0), 0) / mass);
  return out;
}

/**
 * Margin by which another document's coverage of what the chosen sentence leaves out must exceed
 * that of the chosen sentence's own document. The three constants here were set on the tuning
 * part of the XQuAD dev split (every paragraph is a document there, so questions whose words are
 * spread over one article's paragraphs must be left alone: looser settings cost 0.010 answer@1)
 * and checked on the fresh-trial documents (tests/answer.topic-document.test.ts).
 */
export const TOPIC_MARGIN = 0.5;

/** The chosen sentence must leave at least this idf share of the question unmatched for another document to be looked at. */
export const TOPIC_MISSING_SHARE = 0.3;

/**
 * The document that covers the question's topic clearly better than `chosenDoc`, or null.
 * @param covers from {@link topicCoverage}.
 */
export function strongerTopicDocument(covers: Map<string, number>, chosenDoc: string, margin = TOPIC_MARGIN): string | null {
  const own = covers.get(chosenDoc) ?? 0;
  let best: string | null = null;
  let bestCover = own + margin;
  for (const [doc, c] of covers) if (doc !== chosenDoc && c >= bestCover) [best, bestCover] = [doc, c];
  return best;
}

/** How much more of the whole question (specificity-weighted share) the other document must cover than the chosen sentence's document (ties are left alone: set on the tuning part). */
export const TOPIC_WHOLE_MARGIN = 0.1;
