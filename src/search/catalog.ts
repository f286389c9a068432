/**
 * The replica's document catalogue: each indexed document's row, full text and chunk count, held
 * in memory so listing, citing and summarising read no database (memory: the documents' text,
 * about 2 bytes per character). Kept in step with the lexical index by src/pipeline/replica.ts.
 */
import type { DocumentRow } from '../store/store.js';

interface Entry {
  row: DocumentRow;
  text: string;
  chunks: number;
}

/** In-memory map of document id → row, text, chunk count (see module doc). */
export class DocumentCatalog {
  private readonly docs = new Map<string, Entry>();
  /** Documents per language code, for "is any English document stored?". */
  private readonly languages = new Map<string, number>();
  /** {@link all} as last sorted; null after a change. */
  private sorted: DocumentRow[] | null = null;

  /** Add or replace a document. */
  set(row: DocumentRow, text: string, chunks: number): void {
    this.delete(row.id);
    this.docs.set(row.id, { row, text, chunks });
    this.languages.set(row.language, (this.languages.get(row.language) ?? 0) + 1);
    this.sorted = null;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  delete(id: string): void {
    const e = this.docs.get(id);
    if (!e) return;
    this.docs.delete(id);
    const n = (this.languages.get(e.row.language) ?? 1) - 1;
    if (n > 0) this.languages.set(e.row.language, n);
    else this.languages.delete(e.row.language);
    this.sorted = null;
  }

  /** Number of documents. */
  get size(): number {
    return this.docs.size;
  }

  /** The ids of every document (insertion order). */
  ids(): IterableIterator<string> {
    return this.docs.keys();
  }

  get(id: string): DocumentRow | undefined {
    return this.docs.get(id)?.row;
  }

  text(id: string): string | undefined {
    return this.docs.get(id)?.text;
  }

  /** Number of chunks of a document (0 when unknown). */
  chunks(id: string): number {
    return this.docs.get(id)?.chunks ?? 0;
  }

  /** True when a document in `language` (e.g. 'en') is held. */
  hasLanguage(language: string): boolean {
    return this.languages.has(language);
  }

  /** Every document, ordered by (added_at, id) as the store lists them. O(n log n) after a change, else O(n). */
  all(): DocumentRow[] {
    this.sorted ??= [...this.docs.values()].map((e) => e.row).sort(byAdded);
    return [...this.sorted];
  }

  /** Shared documents (scope null) plus `scope`'s own, ordered by (added_at, id). */
  list(scope: string | null): DocumentRow[] {
    return this.all().filter((d) => d.scope === null || d.scope === scope);
  }
}

function byAdded(a: DocumentRow, b: DocumentRow): number {
  return a.added_at < b.added_at ? -1 : a.added_at > b.added_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
