/**
 * The replica's document catalogue: each indexed document's row, full text and chunk count, held
 * in memory so listing, citing and summarising read no database (memory: the corpus text, about
 * 2 bytes per character). Kept in step with the lexical index by src/core.ts.
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

  set(row: DocumentRow, text: string, chunks: number): void {
    this.docs.set(row.id, { row, text, chunks });
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  delete(id: string): void {
    this.docs.delete(id);
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

  /** Every document, ordered by (added_at, id) as the store lists them. */
  all(): DocumentRow[] {
    return [...this.docs.values()].map((e) => e.row).sort(byAdded);
  }

  /** Shared documents (scope null) plus `scope`'s own, ordered by (added_at, id). */
  list(scope: string | null): DocumentRow[] {
    return this.all().filter((d) => d.scope === null || d.scope === scope);
  }
}

function byAdded(a: DocumentRow, b: DocumentRow): number {
  return a.added_at < b.added_at ? -1 : a.added_at > b.added_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
