/**
 * The candidate sentences of one stored document for the summariser (src/answer/summary.ts):
 * paragraphs and sentences are split lazily and the walk stops at `max` sentences, so the cost is
 * linear in the part of the document read (never the whole of a huge one), and each sentence's
 * position label is found by binary search instead of re-splitting the document per sentence.
 */
import { iterateParagraphs, PositionIndex } from '../text/chunk.js';
import { splitSentences } from '../text/sentences.js';
import { indexTerms } from '../text/terms.js';
import { stemLang } from '../text/stem.js';
import { startsDependent } from '../text/anaphora.js';
import { isHeading } from '../text/heading.js';
import type { Decompounder } from '../text/decompound.js';
import type { PageSpan } from '../corpus/types.js';
import type { SummarySentence } from './summary.js';
import type { DocumentRef } from './types.js';

/** Most dependent sentences joined to one antecedent (keeps a candidate a few sentences long). */
export const MAX_JOINED = 2;

/** What {@link summaryCandidates} reads of a document. */
export interface SummaryDoc {
  ref: DocumentRef;
  text: string;
  bodyStart: number;
  language: string;
  pages: PageSpan[] | null;
}

/**
 * The first `max` sentences of `doc` in document order, each with its paragraph number (0-based),
 * citation label ("¶n" / "p. k, ¶n", as answers cite) and index terms. A sentence that refers
 * back to the one before it in the same paragraph ({@link startsDependent}: "In dieser …",
 * "Sie …") is joined to it as one candidate (the span of both, verbatim), so a summary never
 * quotes it without its referent. At most MAX_JOINED sentences are joined into one candidate.
 * Headings and labels (src/text/heading.ts) are skipped, unless the document has nothing else
 * (a one-line note without a full stop is still summarised by that line).
 * Cost: O(characters up to the last sentence taken) + O(max · log pages).
 */
export function summaryCandidates(doc: SummaryDoc, max: number, decompounder: Decompounder | null): SummarySentence[] {
  const out: SummarySentence[] = [];
  const headings: SummarySentence[] = [];
  const pages = doc.pages && doc.pages.length > 0 ? new PositionIndex('', 0, doc.pages) : null;
  const sl = stemLang(doc.language);
  const candidate = (start: number, end: number, paragraph: number): SummarySentence => {
    const text = doc.text.slice(start, end);
    const page = pages?.page(start);
    return {
      doc: doc.ref,
      start,
      end,
      text,
      paragraph,
      position: page ? `p. ${page}, ¶${paragraph + 1}` : `¶${paragraph + 1}`,
      terms: indexTerms(text, sl, decompounder),
    };
  };
  let pi = 0;
  for (const p of iterateParagraphs(doc.text, doc.bodyStart)) {
    let joined = 0;
    let first = true;
    for (const s of splitSentences(doc.text.slice(p.start, p.end), doc.language)) {
      const start = s.start + p.start;
      const end = s.end + p.start;
      // Headings and labels state nothing: no summary sentences (nor antecedents) while the
      // document has sentences of its own.
      if (isHeading(doc.text, { start, end })) {
        if (headings.length < max && out.length === 0) headings.push(candidate(start, end, pi));
        first = true;
        continue;
      }
      const last = out[out.length - 1];
      if (!first && last && joined < MAX_JOINED && startsDependent(doc.text.slice(start, end))) {
        const text = doc.text.slice(last.start, end);
        out[out.length - 1] = { ...last, end, text, terms: indexTerms(text, sl, decompounder) };
        joined++;
        continue;
      }
      first = false;
      joined = 0;
      if (out.length >= max) return out;
      out.push(candidate(start, end, pi));
    }
    pi++;
  }
  return out.length > 0 ? out : headings;
}
