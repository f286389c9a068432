/** Shapes of answers and summaries, shared by the CLI, the Discord bot and the eval. */

/** Public description of a stored document. */
export interface DocumentRef {
  id: string;
  title: string;
  date: string | null;
}

/** One cited passage; `quote === documentText.slice(start, end)` always holds. */
export interface Citation {
  /** 1-based citation number as shown in the answer ("[1]"). */
  n: number;
  document: DocumentRef;
  quote: string;
  /** Character offsets into the stored document text (UTF-16 code units, as String#slice). */
  start: number;
  end: number;
  /** Retrieval score of the passage (higher is better; scale depends on the scorer). */
  score: number;
  /** Human-readable position, e.g. "¶3" or "p. 2, ¶1". */
  position: string;
}

/** Why an LLM reply was not shown (the extractive text was kept); set only when the LLM is on. */
export interface LlmFallback {
  /** 'llm-error' (the call failed or the deadline passed) or 'verification-failed'. */
  reason: string;
  /** The failed check's kind ("number", "modality", "language", …) or the call's error reason ("deadline"). */
  check?: string;
  /** One line naming the offending number, name or error. */
  detail?: string;
}

/** The result of asking a question. */
export interface Answer {
  question: string;
  /** True when the documents do not answer the question; then `citations` is empty. */
  abstained: boolean;
  /** Short answer text; cites passages as [n]. */
  answer: string;
  citations: Citation[];
  /** How the answer text was made. */
  mode?: 'extractive' | 'llm';
  /** The short answer (verbatim from the cited sentence, e.g. "rund 100 Drohnen im Monat"), when the question has a type and one was found. */
  short?: string;
  /** Expected answer type from question analysis (src/answer/question.ts). */
  answerType?: string;
  /**
   * For yes/no questions: the verdict the cited sentence gives (src/answer/yesno.ts), absent when
   * the sentence does not settle it; the answer line then starts with the bold word Yes, No, Ja or Nein.
   */
  verdict?: 'yes' | 'no';
  /** True when the topic is found but the asked-for fact is not stated; `citations` hold the closest passages. */
  notStated?: boolean;
  /** When the LLM is on but its reply was not used: why. */
  llmFallback?: LlmFallback;
}

/** A cited summary of one document or of the whole (scoped) corpus. */
export interface Summary {
  document: DocumentRef | null;
  text: string;
  citations: Citation[];
  mode?: 'extractive' | 'llm';
  /** When the LLM is on but its reply was not used: why. */
  llmFallback?: LlmFallback;
}
