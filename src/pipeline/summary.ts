/**
 * The summary pipeline: the documents visible from a scope (or one of them) → candidate sentences
 * (src/answer/summary-input.ts) → the most central, non-redundant ones (LexRank + MMR,
 * src/answer/summary.ts), in document order, each cited verbatim → optional LLM rewording checked
 * against them. Cached per document version and options. Reads only the replica's catalogue.
 */
import { InputError } from '../corpus/types.js';
import type { Decompounder } from '../text/decompound.js';
import type { Dictionary } from '../search/dictionary.js';
import {
  MAX_SUMMARY_SENTENCES,
  renderSummary,
  summarizeSentences,
  summaryCacheKey,
  SummaryCache,
  type SummarySentence,
} from '../answer/summary.js';
import type { Summary } from '../answer/types.js';
import { summaryCandidates } from '../answer/summary-input.js';
import type { LlmClient } from '../answer/llm.js';
import { llmSummary } from '../answer/llm-answer.js';
import { verifyHooks } from '../answer/verify-hooks.js';
import type { IndexReplica } from './replica.js';
import { clampInt, type SummaryOptions } from './types.js';

/** Said when the documents hold no sentence outside headings and labels. */
export const NOTHING_TO_SUMMARISE = 'There is nothing to summarise: the text holds no sentences outside headings and labels.';

/** Extractive (optionally LLM-worded) summaries over a replica (see module doc). */
export class SummaryPipeline {
  private readonly cache = new SummaryCache();

  constructor(
    private readonly replica: IndexReplica,
    private readonly dict: Dictionary | null,
    private readonly decompounder: Decompounder | null,
    private readonly llm: LlmClient,
  ) {}

  /**
   * Summary of one document or of every document visible from `scope`.
   * @throws InputError 'not-found' when the document does not exist or is not visible.
   */
  async summarize(opts: SummaryOptions = {}): Promise<Summary> {
    const scope = opts.scope ?? null;
    const count = clampInt(opts.sentences, 1, 20, 3);
    const maxChars = opts.maxChars ?? 3500;
    let rows = this.replica.catalog.list(scope);
    if (opts.documentId) {
      rows = rows.filter((r) => r.id === opts.documentId);
      if (rows.length === 0) throw new InputError(`No document with id ${opts.documentId} here.`, 'not-found');
    }
    if (rows.length === 0) return { document: null, text: 'There are no documents to summarise yet.', citations: [], mode: 'extractive' };
    const key = summaryCacheKey({
      scope: opts.documentId ? opts.documentId : scope,
      documents: rows.map((r) => ({ id: r.id, version: r.id })),
      count,
      maxChars,
      llm: this.llm.enabled ? this.llm.model : null,
    });
    const cached = this.cache.get(key);
    if (cached) return cached;
    const perDocument: SummarySentence[][] = [];
    for (const row of rows) {
      const sentences: SummarySentence[] = [];
      perDocument.push(sentences);
      const doc = this.replica.passageDoc(row.id);
      if (!doc) continue;
      const ref = { id: row.id, title: row.title, date: row.date };
      // Stops at the cap: a huge document is read only as far as the summariser can use.
      sentences.push(...summaryCandidates({ ref, text: doc.text, bodyStart: doc.bodyStart, language: row.language, pages: doc.pages }, MAX_SUMMARY_SENTENCES, this.decompounder));
    }
    // A corpus summary over many documents first keeps each document's best few sentences, so the
    // final LexRank graph stays small (it is quadratic in sentences; see MAX_SUMMARY_SENTENCES).
    let sentences = perDocument.flat();
    if (sentences.length > MAX_SUMMARY_SENTENCES || perDocument.some((d) => d.length > MAX_SUMMARY_SENTENCES)) {
      sentences = perDocument.flatMap((d) =>
        summarizeSentences(d.slice(0, MAX_SUMMARY_SENTENCES), { count: Math.max(count, 3) }).picked,
      );
      if (sentences.length > MAX_SUMMARY_SENTENCES) sentences = sentences.slice(0, MAX_SUMMARY_SENTENCES);
    }
    const { picked } = summarizeSentences(sentences, { count, maxChars });
    const single = opts.documentId ? { id: rows[0].id, title: rows[0].title, date: rows[0].date } : null;
    let summary = renderSummary(picked, single);
    if (picked.length === 0) summary = { ...summary, text: NOTHING_TO_SUMMARISE };
    if (this.llm.enabled && summary.citations.length > 0) summary = await llmSummary(this.llm, summary, { verify: verifyHooks(this.dict) });
    this.cache.set(key, summary);
    return summary;
  }
}
