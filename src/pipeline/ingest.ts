/**
 * The ingest pipeline: input → preparation job (src/ingest/input.ts; URLs fetched here) →
 * parsing, segmentation and index terms (src/ingest/thread.ts: a worker thread for large inputs)
 * → one store transaction (`Store.putDocument`, replacing an older version and logging the change)
 * → this process's replica (src/pipeline/replica.ts). Also removal, the bundled corpus and its
 * restoring.
 *
 * Atomicity: a document is written by one store transaction or not at all (both stores); the
 * replica is updated only after the commit, so a failed write leaves index and store unchanged.
 * Writes of one process run one at a time (the {@link Serial} queue shared with the change-log
 * follower); writers of several processes are serialised by the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { log } from '../log.js';
import { InputError } from '../corpus/types.js';
import type { Store } from '../store/store.js';
import type { PreparedDocument } from '../ingest/prepare.js';
import { ingestJob } from '../ingest/input.js';
import { identifyJob } from '../ingest/job.js';
import type { PrepareThread } from '../ingest/thread.js';
import type { InstructionFlags } from '../answer/injection.js';
import type { IndexReplica } from './replica.js';
import type { Serial } from './serial.js';
import { documentInfo, type IngestInput, type IngestResult } from './types.js';

/** Ingest, remove and bundled-corpus handling over a store and a replica (see module doc). */
export class IngestPipeline {
  constructor(
    private readonly config: Config,
    private readonly store: Store,
    private readonly replica: IndexReplica,
    private readonly preparer: PrepareThread,
    private readonly flags: InstructionFlags,
    private readonly serial: Serial,
  ) {}

  /**
   * Store a document and index it. Re-adding the same content is a no-op (`unchanged`); a new
   * version with the same source (or, without a source, the same title) in the same scope replaces
   * the old one in the same transaction (`replaced`).
   * @throws InputError when the input is empty, not text, too large or otherwise unusable;
   *   StorageError / StoreError when the store refuses the write (nothing is kept then).
   */
  ingest(input: IngestInput): Promise<IngestResult> {
    return this.serial.run(async () => {
      const job = await ingestJob(input, this.config);
      // Parsing, segmentation and index terms run on a worker thread for large inputs.
      const prepared = await this.preparer.prepare(job);
      return await this.put(prepared, job.scope);
    });
  }

  private async put(prepared: PreparedDocument, scope: string | null): Promise<IngestResult> {
    const { id, title } = prepared;
    const put = await this.store.putDocument(
      { ...prepared, scope, pages: prepared.pages ? JSON.stringify(prepared.pages) : null },
      { source: prepared.source, title },
    );
    if (put.status === 'unchanged') {
      // Already stored (by this or another process): make sure this replica holds it.
      await this.replica.update([id], []);
      const row = this.replica.catalog.get(id) ?? (await this.store.getDocument(id));
      if (!row) throw new InputError('The document was removed while it was being added; add it again.', 'not-found');
      return { status: 'unchanged', document: documentInfo(row, this.replica.catalog, this.flags, this.replica.catalog.has(id) ? undefined : 0) };
    }
    const instructions = this.flags.count(id, () => prepared.text);
    if (instructions > 0) log().warn({ event: 'instruction-text', id, title, sentences: instructions }, 'document contains text that reads as instructions to an LLM; it never counts as support for LLM answers');
    await this.replica.update([id], put.replaced ? [put.replaced] : []);
    const row = this.replica.catalog.get(id) ?? (await this.store.getDocument(id));
    if (!row) throw new InputError('The document was removed while it was being added; add it again.', 'not-found');
    log().info({ id, title, chunks: put.chunkIds.length, scope, replaced: put.replaced }, 'document stored');
    return { status: put.status, document: documentInfo(row, this.replica.catalog, this.flags, put.chunkIds.length), ...(put.replaced ? { replaced: put.replaced } : {}) };
  }

  /**
   * Remove a document. With a scope, only that scope's own documents can be removed (a guild cannot
   * remove shared documents); with `undefined` (operator CLI) any document can.
   * @returns true when a document was removed.
   */
  remove(id: string, scope?: string | null): Promise<boolean> {
    return this.serial.run(async () => {
      const doc = await this.store.removeDocument(id, scope);
      if (!doc) return false;
      await this.replica.update([], [id]);
      log().info({ id, title: doc.title }, 'document removed');
      return true;
    });
  }

  /**
   * Bring back bundled corpus files that were removed (all, or those named by file name, e.g.
   * `000_f6d27b86c4846197.txt`): they are forgotten as removed and ingested again from CORPUS_DIR.
   * @returns the file names that were marked removed and are now restored.
   * @throws InputError 'not-found' for a named file that is not a removed bundled file.
   */
  async restoreBundled(files: string[] = []): Promise<string[]> {
    const removed = [...(await this.store.removedBundled())].sort();
    const names = removed.map((s) => s.slice('corpus/'.length));
    const unknown = files.filter((f) => !names.includes(path.basename(f)));
    if (unknown.length) throw new InputError(`Not a removed bundled file: ${unknown.join(', ')} (removed: ${names.join(', ') || 'none'}).`, 'not-found');
    const wanted = files.length ? names.filter((n) => files.some((f) => path.basename(f) === n)) : names;
    await this.serial.run(() => this.store.forgetRemovedBundled(wanted.map((n) => `corpus/${n}`)));
    await this.ingestBundledCorpus();
    return wanted;
  }

  /**
   * When the store already holds the document `input` would become (same id: same canonical text
   * in the same scope), make sure this replica holds it too, as {@link ingest} does for an
   * `unchanged` re-add, without preparing it. @returns true when it was stored.
   * @throws InputError as parsing does (the caller then reports the file as ingest would).
   */
  private keepStored(input: IngestInput): Promise<boolean> {
    return this.serial.run(async () => {
      const id = await identifyJob(await ingestJob(input, this.config));
      if (!(await this.store.getDocument(id))) return false;
      await this.replica.update([id], []);
      return true;
    });
  }

  /** Ingest every new or changed file of the bundled corpus (CORPUS_DIR, shared scope). Never throws. */
  async ingestBundledCorpus(): Promise<void> {
    let files: string[];
    try {
      files = fs.readdirSync(this.config.CORPUS_DIR).filter((f) => !f.startsWith('.') && /\.(txt|md)$/i.test(f)).sort();
    } catch {
      log().warn({ dir: this.config.CORPUS_DIR }, 'bundled corpus folder not found; starting with the stored documents only');
      return;
    }
    // Bundled files an operator removed stay removed (until added again with `ingest`).
    const removed = await this.store.removedBundled();
    for (const f of files) {
      if (removed.has(`corpus/${f}`)) continue;
      try {
        const input = { bytes: fs.readFileSync(path.join(this.config.CORPUS_DIR, f)), filename: f, source: `corpus/${f}`, scope: null };
        // At every start the files are usually stored already: recognised by their id, they are
        // not segmented and indexed again only for the store to answer `unchanged` (~40 ms of a
        // CLI call for one small file, measured on the bundled corpus).
        if (!(await this.keepStored(input))) await this.ingest(input);
      } catch (err) {
        log().warn({ file: f, err: (err as Error).message }, 'could not ingest a bundled corpus file');
      }
    }
  }
}
