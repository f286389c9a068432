/**
 * Near-miss cases (SQuAD 2.0 style, Rajpurkar et al. 2018): cut the sentence that holds the gold
 * answer from its paragraph, so the right reply to the question is "not stated" instead of an
 * answer taken from a neighbouring sentence.
 *
 * Sentence bounds are found by the eval's own rule (independent of src/text/sentences.ts): a
 * boundary is `.`, `!` or `?` (optionally followed by a closing quote or bracket) followed by
 * whitespace and an upper-case letter, digit or opening quote. Single-letter
 * abbreviations ("J. Smith", "z. B.") and a few common ones ("z. B.", "Dr.", "St.") do not end a sentence.
 * Linear in the paragraph length.
 */

const BOUNDARY = /[.!?]["'»«“”’)\]]*\s+(?=[\p{Lu}\d"„«»“'(])/gu;
const NOT_AN_END = /(?:(?:^|[\s(])\p{L}|\b(?:Dr|St|Mr|Mrs|Ms|Nr|bzw|ca|vgl|z\. ?B|u\. ?a|d\. ?h|etc|Jr|Sr|No|Prof|Abs|Art))\.$/u;

/** Start offsets of the sentences of `text` (the first is 0). */
export function sentenceStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(BOUNDARY)) {
    const endOfPunct = m.index + m[0].replace(/\s+$/u, '').length;
    if (NOT_AN_END.test(text.slice(Math.max(0, m.index - 6), m.index + 1))) continue;
    starts.push(endOfPunct + (m[0].length - m[0].replace(/\s+$/u, '').length));
  }
  return starts;
}

/**
 * The paragraph without the sentence(s) spanning the answer at `[answerStart, answerStart +
 * answerLength)`; null when the answer cannot be located or the cut would leave nothing.
 * When `answerStart` does not point at the answer text, its first occurrence is used.
 */
export function cutAnswerSentence(context: string, answer: string, answerStart: number): string | null {
  if (!answer) return null;
  const start = context.slice(answerStart, answerStart + answer.length) === answer ? answerStart : context.indexOf(answer);
  if (start < 0) return null;
  const end = start + answer.length;
  const starts = sentenceStarts(context);
  let from = 0;
  for (const s of starts) if (s <= start) from = s;
  let to = context.length;
  for (const s of starts)
    if (s >= end) {
      to = s;
      break;
    }
  const rest = `${context.slice(0, from)}${context.slice(to)}`.trim();
  return rest.length > 0 ? rest : null;
}

/** One tuning question of {@link ingestTuningPool}: its article, paragraph key ("ai/pi"), gold answer text, wording and language. */
export interface PoolQuestion {
  article: string;
  key: string;
  gold: string;
  question: string;
  lang: 'de' | 'en';
}

/**
 * Ingest the 240 German XQuAD paragraphs into `d` (titled "<article> ¶n (ai/pi)", source
 * "eval:ai/pi") and list the TUNING part's questions, German and English (scripts/lib/split.ts).
 * With `nearMiss`, only the first question of each tuning paragraph is listed and that paragraph
 * is ingested with its answer sentence cut ({@link cutAnswerSentence}); paragraphs whose cut
 * leaves nothing keep their text and list no question. Used by the training scripts.
 * @returns the questions in paragraph order and the stored document id → paragraph key.
 */
export async function ingestTuningPool(
  d: { ingest(input: { text: string; title: string; source: string }): Promise<{ document: { id: string } }> },
  xquad: { de: { data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string; answer_start?: number }[] }[] }[] }[] }; parts: Map<string, string>; enQuestion: Map<string, string> },
  nearMiss: boolean,
): Promise<{ asked: PoolQuestion[]; keyOf: Map<string, string> }> {
  const asked: PoolQuestion[] = [];
  const keyOf = new Map<string, string>();
  for (const [ai, art] of xquad.de.data.entries())
    for (const [pi, p] of art.paragraphs.entries()) {
      const key = `${ai}/${pi}`;
      let text = p.context;
      const tuning = xquad.parts.get(art.title) === 'tuning';
      for (const [qi, q] of p.qas.entries()) {
        const gold = q.answers[0];
        if (!gold || !tuning || (nearMiss && qi > 0)) continue;
        if (nearMiss) {
          const cut = cutAnswerSentence(p.context, gold.text, gold.answer_start ?? -1);
          if (cut === null) continue;
          text = cut;
        }
        for (const [lang, question] of [['de', q.question], ['en', xquad.enQuestion.get(q.id)]] as const) if (question) asked.push({ article: art.title, key, gold: gold.text, question, lang });
      }
      keyOf.set((await d.ingest({ text, title: `${art.title} ¶${pi + 1} (${ai}/${pi})`, source: `eval:${key}` })).document.id, key);
    }
  return { asked, keyOf };
}
