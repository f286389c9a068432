/**
 * The ask pipeline: question → query groups (src/search/query.ts, dictionary translation) →
 * lexical ranking (BM25 over chunks + paragraphs, src/search/passages.ts), fused with dense
 * retrieval when on (RRF, src/search/fusion.ts) → abstention (coverage below ABSTAIN_THRESHOLD,
 * unless a dense hit clears DENSE_THRESHOLD) → extractive answer with verbatim citations
 * (src/answer/extract.ts) → optional LLM answer checked against the citations.
 * Reads only this process's replica (src/pipeline/replica.ts): no store query per question.
 */
import type { Config } from '../config.js';
import { log } from '../log.js';
import { InputError } from '../corpus/types.js';
import { sanitizeText } from '../corpus/parse.js';
import type { Decompounder } from '../text/decompound.js';
import type { Dictionary } from '../search/dictionary.js';
import { buildQuery } from '../search/query.js';
import type { ScoredChunk } from '../search/passages.js';
import type { QueryGroup } from '../search/lexical.js';
import { denseAbstention, type FusedChunk } from '../search/dense-abstain.js';
import { fuseHybrid } from '../search/fusion.js';
import { extractAnswer, type Passage } from '../answer/extract.js';
import { languageGap, languageGapAnswer } from '../answer/language-gap.js';
import type { Answer } from '../answer/types.js';
import type { IsCommonWord } from '../answer/candidates.js';
import type { LlmClient } from '../answer/llm.js';
import { llmAnswer } from '../answer/llm-answer.js';
import { verifyHooks } from '../answer/verify-hooks.js';
import type { IndexReplica } from './replica.js';
import { clampInt, type AskOptions } from './types.js';
import { questionText } from '../text/question-text.js';
import { preferQuestionLanguage } from '../search/language-prior.js';
import { notMentionedAnswer, unknownNames } from '../answer/unknown-name.js';


/** Weight of query groups that come from the conversation context rather than the question. */
const CONTEXT_WEIGHT = 0.5;

/** Answers questions from a replica (see module doc). */
export class AskPipeline {
  constructor(
    private readonly config: Config,
    private readonly replica: IndexReplica,
    private readonly dict: Dictionary | null,
    private readonly decompounder: Decompounder | null,
    private readonly llm: LlmClient,
  ) {}

  /** Validate and clean a question. @throws InputError when empty or too long. */
  cleanQuestion(question: string): string {
    const raw = question ?? '';
    // Far over the limit: refused before any cleaning (keeps cleaning linear in what is kept).
    if (raw.length > 8 * this.config.MAX_QUESTION_CHARS)
      throw new InputError(`The question is too long (${raw.length} characters; the limit is ${this.config.MAX_QUESTION_CHARS}).`, 'too-long');
    // Mentions, links and emphasis markers are not question words (src/text/markdown.ts).
    const q = questionText(raw);
    if (!q) throw new InputError('The question is empty.', 'empty');
    if (q.length > this.config.MAX_QUESTION_CHARS)
      throw new InputError(`The question is too long (${q.length} characters; the limit is ${this.config.MAX_QUESTION_CHARS}).`, 'too-long');
    return q;
  }

  /**
   * Answer a question from the documents visible in `opts.scope`, citing verbatim passages.
   * Abstains (answer says so, no citations) when the best passage covers less than
   * ABSTAIN_THRESHOLD of the question's idf mass and no dense hit reaches DENSE_THRESHOLD.
   * @throws InputError for an empty or too long question.
   */
  async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
    const q = this.cleanQuestion(question);
    const scope = opts.scope ?? null;
    const limit = clampInt(opts.limit, 1, 50, this.config.ANSWER_PASSAGES);
    const { searcher, catalog, dense } = this.replica;
    // German questions get English translations only when English documents are stored.
    const qopts = { germanToEnglish: catalog.hasLanguage('en') };
    const query = buildQuery(q, this.dict, qopts);
    const groups: QueryGroup[] = [...query.groups];
    if (opts.context) {
      const ctx = buildQuery(sanitizeText(opts.context).slice(0, this.config.MAX_QUESTION_CHARS), this.dict, qopts);
      const have = new Set(groups.map((g) => g.label));
      for (const g of ctx.groups) if (!have.has(g.label)) groups.push({ ...g, weight: g.weight * CONTEXT_WEIGHT });
    }
    const ranked = preferQuestionLanguage(
      searcher.search(groups, scope, Math.max(limit, this.config.LEXICAL_DEPTH)),
      query.language,
      (r) => catalog.get(r.chunk.docId)?.language,
      catalog.hasLanguage(query.language),
    );
    const idfs = searcher.groupIdfs(groups);
    const top = ranked[0];
    // Lexical coverage decides, unless a dense hit clears DENSE_THRESHOLD (src/search/dense-abstain.ts).
    const { abstain, ranked: fused } = denseAbstention(!top || top.coverage < this.config.ABSTAIN_THRESHOLD, await this.fuseDense(q, scope, ranked), this.config.DENSE_THRESHOLD);
    if (!abstain && top && languageGap(query.language, catalog.get(top.chunk.docId)?.language ?? 'de', this.dict !== null || dense !== null))
      return languageGapAnswer(q);
    const extractive = extractAnswer(q, groups, idfs, this.passages(fused.slice(0, Math.max(limit, this.config.ANSWER_DEPTH))), this.decompounder, abstain, { isCommon: this.isCommonWord, onSentences: opts.onSentences, cite: limit, unseen: searcher.groupsUnseen(groups) });
    log().debug({ question: q, language: query.language, groups: groups.map((g) => g.label), coverage: top?.coverage }, 'asked');
    // A name the documents never mention ("… does France deliver …"): not stated (src/answer/unknown-name.ts).
    if (!extractive.abstained && !extractive.notStated) {
      const unknown = unknownNames(q, query.tokens, query.groups, query.language, (g) => searcher.mentions(g), this.isCommonWord?.place ?? null);
      if (unknown.length > 0) return notMentionedAnswer(extractive, unknown, query.language);
    }
    // A near miss ("not stated") is never handed to the LLM: it would be asked to answer what the documents lack.
    if (!this.llm.enabled || extractive.abstained || extractive.notStated) return extractive;
    return llmAnswer(this.llm, q, extractive, { language: query.language, verify: verifyHooks(this.dict) });
  }

  /**
   * Lexical ranking fused with dense retrieval (RRF, src/search/fusion.ts) when dense is on; the
   * lexical ranking unchanged otherwise or when embedding the question fails. A dense-only chunk
   * gets the coverage of its paragraph's best lexical chunk, or 0.
   */
  private async fuseDense(question: string, scope: string | null, ranked: ScoredChunk[]): Promise<FusedChunk[]> {
    const { searcher, dense } = this.replica;
    if (!dense) return ranked;
    let hits;
    try {
      hits = await dense.search(question, this.config.DENSE_DEPTH, (cid) => {
        const c = searcher.chunk(cid);
        return c !== undefined && searcher.visible(c.docId, scope);
      });
    } catch (err) {
      log().warn({ err: (err as Error).message }, 'dense search failed; answering from lexical search');
      return ranked;
    }
    const byId = new Map(ranked.map((r) => [r.chunk.id, r]));
    const paraCoverage = new Map<number, number>();
    for (const r of ranked) if (!paraCoverage.has(r.chunk.paragraphId)) paraCoverage.set(r.chunk.paragraphId, r.coverage);
    const similarity = new Map(hits.map((h) => [h.id, h.score]));
    const out: FusedChunk[] = [];
    for (const f of fuseHybrid(ranked.map((r) => r.chunk.id), hits.map((h) => h.id), this.config)) {
      const chunk = byId.get(f.id)?.chunk ?? searcher.chunk(f.id);
      if (chunk) out.push({ chunk, score: f.score, coverage: byId.get(f.id)?.coverage ?? paraCoverage.get(chunk.paragraphId) ?? 0, similarity: similarity.get(f.id) });
    }
    return out;
  }

  /** Top chunks with their documents, for extraction. */
  private passages(ranked: ScoredChunk[]): Passage[] {
    const docs = new Map<string, Passage['doc']>();
    const out: Passage[] = [];
    for (const r of ranked) {
      let doc = docs.get(r.chunk.docId);
      if (!doc) {
        const loaded = this.replica.passageDoc(r.chunk.docId);
        if (!loaded) continue;
        docs.set(loaded.id, (doc = loaded));
      }
      out.push({ doc, start: r.chunk.start, end: r.chunk.end, score: r.score });
    }
    return out;
  }

  /**
   * A German word known to the dictionary as a common word (in 2+ Ding lines, or a compound of
   * known words): such capitalised words are nouns, not names. Null without the dictionary.
   */
  private get isCommonWord(): IsCommonWord | null {
    const dict = this.dict;
    if (!dict) return null;
    const known = (w: string) => (dict.deFreq.get(w) ?? 0) >= 2 || (this.decompounder?.split(w).length ?? 1) > 1;
    // Inflected forms ("Prototyps", "Drohnen") are known through their base form.
    const inflected = (w: string) => known(w) || [/(e?s)$/, /(e?n)$/, /(e)$/].some((re) => re.test(w) && w.length > 4 && known(w.replace(re, '')));
    // A compound whose head (last part, 6+ letters) is a known word is a noun too ("Kamikazedrohnen").
    const common: IsCommonWord = (w) => {
      if (inflected(w)) return true;
      if (w.length > 40) return false;
      for (let i = 3; i <= w.length - 6; i++) if (inflected(w.slice(i))) return true;
      return false;
    };
    // Dictionary words that are place names ("russland"; Ding's [geogr.] entries).
    common.place = (w) => dict.places.has(w);
    return common;
  }
}
