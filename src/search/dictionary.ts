/**
 * The Ding German–English dictionary (Frank Richter, TU Chemnitz; Debian package `trans-de-en`,
 * file `/usr/share/trans/de-en`), read at run time and never copied into the repository.
 *
 * Line format: `German side :: English side`; each side has sub-entries separated by ` | ` that
 * correspond by position (e.g. singular | plural); synonyms within a sub-entry are separated by
 * `;`; annotations in `{}`, `[]`, `()` and `/…/` are notes, not words.
 *
 * Besides the English → German translations, the parsed form keeps, per Snowball stem and
 * language, the dictionary lines ("entries") the stem occurs in. That serves two things:
 * - a corpus-independent commonness of a word (how many lines mention it), used to weight query
 *   words in the abstention signal (src/search/confidence.ts);
 * - the "concept space" of src/search/concept.ts (words are similar when they share entries).
 *
 * Parsing the 25 MB file takes seconds, so the parsed form is cached in a compact binary file under
 * the cache directory, keyed by the dictionary file's size and mtime; loading it takes well under
 * a second.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { makeDirs } from '../fs-dirs.js';
import { log } from '../log.js';
import { isStopword, stem, type StemLang } from '../text/stem.js';
import { Decompounder } from '../text/decompound.js';
import { StringTable } from './string-table.js';
import { LockTimeoutError, withFileLock } from '../store/file-lock.js';

/** Longest English phrase (in words) looked up as a unit. */
export const MAX_PHRASE_WORDS = 3;
/** Translations kept per English key (the dictionary lists the most common senses first). */
const MAX_TRANSLATIONS = 24;
/** English translations kept per German word or stem (German → English table). */
const MAX_GERMAN_TRANSLATIONS = 12;
/**
 * Weight of one German → English pairing by where it stands in a Ding line: the line's first
 * sub-entry (the headword's own sense) counts 1, a later one (an inflected form, a derived word)
 * 0.5, and the headword's English given to an inflected form of a later sub-entry ("ich/er/sie
 * sang" → "sing") 0.25. Translations are ordered by summed weight. Chosen by reading the
 * translations of the words of the XQuAD tuning questions, not tuned on a score.
 */
const HEAD_WEIGHT = 1;
const ROW_WEIGHT = 0.5;
const HEAD_OF_ROW_WEIGHT = 0.25;
const CACHE_VERSION = 13;

/** Read-only string-keyed lookup (a Map, or a sorted table searched by bisection). */
export interface Lookup<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  readonly size: number;
}

/** A lookup over sorted keys whose values are produced on demand (no hash table to build). */
class SortedLookup<V> implements Lookup<V> {
  constructor(
    private readonly keys: StringTable,
    private readonly value: (i: number) => V,
  ) {}
  get size(): number {
    return this.keys.length;
  }
  get(key: string): V | undefined {
    const i = this.keys.find(key);
    return i < 0 ? undefined : this.value(i);
  }
  has(key: string): boolean {
    return this.keys.find(key) >= 0;
  }
}

/** Stem → ids of the dictionary lines (entries) it occurs in, ascending. */
export interface StemEntries {
  /** Entry ids of `stem`, or undefined when the stem occurs in no entry. */
  get(stem: string): Int32Array | undefined;
  /** Number of entries the stem occurs in (0 when unknown). */
  count(stem: string): number;
  /** Every (stem, entry) pair's entry id, concatenated (for per-entry statistics). */
  allEntryIds(): Int32Array;
  /** Every stem. */
  keys(): readonly string[];
}

/** Parsed dictionary. All words are lower case. */
export interface Dictionary {
  /** Exact English word or phrase → German single-word translations (most common first). */
  readonly en: Lookup<string[]>;
  /** English Snowball stem of a single word → German words (fallback when no exact entry). */
  readonly enStem: Lookup<string[]>;
  /** German word → number of dictionary lines it occurs in (a commonness proxy). */
  readonly deFreq: Lookup<number>;
  /** Number of dictionary lines (entries). */
  readonly entryCount: number;
  /** Per language: Snowball stem → entries it occurs in (German side / English side). */
  readonly stems: Readonly<Record<StemLang, StemEntries>>;
  /**
   * Exact German word (lower case, as it stands in a sub-entry: "nationalhymne", "sang") →
   * English translations of that sub-entry, each a phrase of 1–{@link MAX_PHRASE_WORDS} content
   * words without English stopwords ("national anthem"), strongest first (see HEAD_WEIGHT).
   */
  readonly de: Lookup<string[]>;
  /** German Snowball stem → the translations of every word with that stem (fallback of {@link de}). */
  readonly deStem: Lookup<string[]>;
  /**
   * German one-word place names (lower case) of the entries Ding tags `[geogr.]` whose English
   * side is a proper name ("russland" → Russia, "moskau", "ostukraine"; not "murengefährdet"):
   * dictionary words that are nevertheless names (see {@link PlaceNames}).
   */
  readonly places: Lookup<true>;
}

function clean(s: string): string {
  return s
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\/[^/]*\//g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A sub-entry without its bracketed notes ("lieferte (aus; ab; an; ein); übergab" → "lieferte ; übergab"), so that `;` inside a note splits nothing. */
function withoutNotes(s: string): string {
  return s.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/\([^)]*\)/g, ' ');
}

function cleanEnglish(s: string): string {
  let t = clean(s).toLowerCase();
  t = t.replace(/^to /, '');
  t = t.replace(/\b(sth\.?|sb\.?|sb's|sth's|oneself|one's)\s*$/g, '').trim();
  t = t.replace(/[.!?,]+$/, '').trim();
  return t;
}

function cleanGerman(s: string): string {
  return clean(s)
    .replace(/\b(jdn|jdm|jds|etw)\.(\/(jdn|jdm|jds|etw)\.)*/g, ' ')
    .replace(/\bsich\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD_SPLIT = /[^\p{L}\p{N}'-]+/u;

/** Distinct non-stopword stems of one side of a dictionary line. */
function sideStems(side: string, lang: StemLang): Set<string> {
  const out = new Set<string>();
  for (let w of clean(side).toLowerCase().split(WORD_SPLIT)) {
    w = w.replace(/^['-]+|['-]+$/g, '');
    if (w.length < 2 || isStopword(w, lang) || (lang === 'en' && /^(sth|sb|sb's|sth's)$/.test(w))) continue;
    if (lang === 'de' && /^(jdn|jdm|jds|etw)$/.test(w)) continue;
    out.add(stem(w, lang));
  }
  return out;
}

/** Mutable stem → entry-id lists while parsing. */
class StemIndexBuilder {
  readonly lists = new Map<string, number[]>();
  add(stems: Set<string>, entry: number): void {
    for (const s of stems) {
      let l = this.lists.get(s);
      if (!l) this.lists.set(s, (l = []));
      l.push(entry);
    }
  }
}

/** Packed stem → entries table: keys, offsets into one Int32Array of entry ids. */
class PackedStemEntries implements StemEntries {
  /** @param keys_ ascending; entries of keys_[i] are ids[offsets[i] .. offsets[i+1]). */
  constructor(
    private readonly keys_: StringTable,
    readonly offsets: Int32Array,
    readonly ids: Int32Array,
  ) {}
  static from(b: StemIndexBuilder): PackedStemEntries {
    const keys = [...b.lists.keys()].sort();
    const offsets = new Int32Array(keys.length + 1);
    let n = 0;
    keys.forEach((k, i) => {
      offsets[i] = n;
      n += b.lists.get(k)!.length;
    });
    offsets[keys.length] = n;
    const ids = new Int32Array(n);
    keys.forEach((k, i) => ids.set(b.lists.get(k)!, offsets[i]));
    return new PackedStemEntries(StringTable.of(keys), offsets, ids);
  }
  get(s: string): Int32Array | undefined {
    const i = this.keys_.find(s);
    return i < 0 ? undefined : this.ids.subarray(this.offsets[i], this.offsets[i + 1]);
  }
  count(s: string): number {
    const i = this.keys_.find(s);
    return i < 0 ? 0 : this.offsets[i + 1] - this.offsets[i];
  }
  allEntryIds(): Int32Array {
    return this.ids;
  }
  keys(): readonly string[] {
    return this.keys_.all();
  }
}

/** A freshly parsed dictionary: the same data in hash maps. */
type ParsedDictionary = Dictionary & {
  en: Map<string, string[]>;
  enStem: Map<string, string[]>;
  deFreq: Map<string, number>;
  de: Map<string, string[]>;
  deStem: Map<string, string[]>;
  places: Map<string, true>;
};

/** Separable verb particles that are no German stopwords but never a translation on their own. */
const BARE_PARTICLE = new Set(['ab', 'hin', 'her']);

/**
 * The noun of a German synonym made of one lower-case word and one capitalised noun ("christliche
 * Taufe" → "taufe", "die Taufe" → "taufe"), lower case; null for any other shape.
 */
function adjectiveNounHead(syn: string): string | null {
  const m = /^(\p{Ll}[\p{L}-]*) (\p{Lu}[\p{L}-]*)$/u.exec(syn.trim());
  return m ? m[2].toLowerCase() : null;
}

/** German content words of one German synonym ("ich/er/sie sang" → ["sang"]). */
function germanContent(syn: string): string[] {
  return cleanGerman(syn)
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w && !isStopword(w, 'de'));
}

/** English translations of one sub-entry: each synonym's content words joined ("to sing {sang; sung}" → "sing"). */
function englishPhrases(part: string): string[] {
  const out: string[] = [];
  for (const syn of clean(part).split(';')) {
    const words = syn
      .toLowerCase()
      .replace(/\b(sth|sb)\b\.?('s)?/g, ' ')
      .split(/[^\p{L}\p{N}'-]+/u)
      .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
      .filter((w) => w.length > 1 && !isStopword(w, 'en') && /\p{L}/u.test(w));
    if (words.length >= 1 && words.length <= MAX_PHRASE_WORDS) out.push(words.join(' '));
  }
  return [...new Set(out)];
}

/** Accumulates German word → English phrase weights while parsing. */
class GermanTableBuilder {
  readonly weights = new Map<string, Map<string, number>>();
  add(germans: Iterable<string>, phrases: string[], weight: number): void {
    for (const g of germans) {
      let m = this.weights.get(g);
      if (!m) this.weights.set(g, (m = new Map()));
      for (const p of phrases) m.set(p, (m.get(p) ?? 0) + weight);
    }
  }
  /** Add one line's aligned sub-entries (German side and English side split on " | "). */
  addLine(deParts: string[], enParts: string[]): void {
    if (deParts.length !== enParts.length) return;
    const single = (part: string) => {
      const out = new Set<string>();
      for (const syn of withoutNotes(part).split(';')) {
        const words = germanContent(syn);
        if (words.length === 1 && /^\p{L}[\p{L}-]*$/u.test(words[0])) out.add(words[0]);
      }
      return out;
    };
    const head = englishPhrases(enParts[0]);
    for (let i = 0; i < deParts.length; i++) {
      const germans = single(deParts[i]);
      if (germans.size === 0) continue;
      this.add(germans, englishPhrases(enParts[i]), i === 0 ? HEAD_WEIGHT : ROW_WEIGHT);
      if (i > 0 && head.length) this.add(germans, head, HEAD_OF_ROW_WEIGHT);
    }
  }
  /** The ordered, capped tables by word and by German stem. */
  build(): { de: Map<string, string[]>; deStem: Map<string, string[]> } {
    // Phrases with the same English stems ("starts", "start") are one translation: weights
    // summed, the shortest spelling kept, so that they do not fill the cap twice.
    const order = (m: Map<string, number>) => {
      const merged = new Map<string, [string, number]>();
      for (const [p, v] of m) {
        const key = p.split(' ').map((w) => stem(w, 'en')).join(' ');
        const cur = merged.get(key);
        if (!cur) merged.set(key, [p, v]);
        else merged.set(key, [p.length < cur[0].length || (p.length === cur[0].length && p < cur[0]) ? p : cur[0], cur[1] + v]);
      }
      return [...merged.values()]
        .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_GERMAN_TRANSLATIONS)
        .map(([p]) => p);
    };
    const de = new Map<string, string[]>();
    const byStem = new Map<string, Map<string, number>>();
    for (const [w, m] of this.weights) {
      de.set(w, order(m));
      const s = stem(w, 'de');
      let acc = byStem.get(s);
      if (!acc) byStem.set(s, (acc = new Map()));
      for (const [p, v] of m) acc.set(p, (acc.get(p) ?? 0) + v);
    }
    const deStem = new Map<string, string[]>();
    for (const [s, m] of byStem) deStem.set(s, order(m));
    return { de, deStem };
  }
}

/** Parse the raw dictionary text. Pure; exported for tests. */
export function parseDing(raw: string): ParsedDictionary {
  const en = new Map<string, Set<string>>();
  const deFreq = new Map<string, number>();
  const deStems = new StemIndexBuilder();
  const enStems = new StemIndexBuilder();
  const german = new GermanTableBuilder();
  const places = new PlaceNames();
  let entry = 0;
  for (const line of raw.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sep = line.indexOf(' :: ');
    if (sep < 0) continue;
    const deSide = line.slice(0, sep);
    const enSide = line.slice(sep + 4);
    deStems.add(sideStems(deSide, 'de'), entry);
    enStems.add(sideStems(enSide, 'en'), entry);
    entry++;
    const deParts = deSide.split(' | ');
    const enParts = enSide.split(' | ');
    german.addLine(deParts, enParts);
    places.addLine(deParts, enParts, deSide.includes('[geogr.]'));
    const seenInLine = new Set<string>();
    for (const part of deParts) {
      for (const w of cleanGerman(part).toLowerCase().split(/[\s;,]+/)) {
        if (/^\p{L}[\p{L}-]*$/u.test(w) && !seenInLine.has(w)) {
          seenInLine.add(w);
          deFreq.set(w, (deFreq.get(w) ?? 0) + 1);
        }
      }
    }
    const n = Math.min(deParts.length, enParts.length);
    for (let i = 0; i < n; i++) {
      // Split before the notes are dropped ("lieferte (aus; ab; an; ein)" gives "aus", "ab", …: the
      // stopword and particle filter below removes those; dropping the notes first cost 0.008
      // answer@1 on the tuning part, the alternatives in notes being useful translations too).
      const synonyms = deParts[i].split(';').map(cleanGerman);
      // A German stopword or a bare verb particle is never a translation ("an", "ab" stand alone in
      // Ding's "delivered" entries, and matched every sentence holding the particle).
      const germans = synonyms.filter((g) => g && !g.includes(' ') && /^\p{L}[\p{L}-]*$/u.test(g) && !isStopword(g.toLowerCase(), 'de') && !BARE_PARTICLE.has(g.toLowerCase())).map((g) => g.toLowerCase());
      // "christliche Taufe :: christening": an adjective and its noun give the noun to one-word
      // English keys, so "christening" reaches "Taufe" (kept apart: the adjective is not a translation).
      const heads = synonyms.map(adjectiveNounHead).filter((g): g is string => g !== null);
      if (germans.length === 0 && heads.length === 0) continue;
      for (const e of enParts[i].split(';')) {
        let key = cleanEnglish(e);
        if (!key) continue;
        // "public open-air swimming pool :: Freibad": a long English phrase lends its German words
        // to its last two words ("swimming pool"), the head of an English noun phrase.
        const words = key.split(' ');
        if (words.length > MAX_PHRASE_WORDS) {
          if (germans.length === 0 || words.slice(-2).some((w) => !/^\p{L}{3,}$/u.test(w) || isStopword(w, 'en'))) continue;
          key = words.slice(-2).join(' ');
        }
        const oneWord = !key.includes(' ');
        if (germans.length === 0 && !oneWord) continue;
        let set = en.get(key);
        if (!set) en.set(key, (set = new Set()));
        for (const g of germans) set.add(g);
        if (germans.length === 0) for (const g of heads) set.add(g);
      }
    }
  }
  // Keep the most common German words (by dictionary frequency) when an entry has many.
  const enMap = new Map<string, string[]>();
  for (const [k, v] of en) {
    enMap.set(k, [...v].sort((a, b) => (deFreq.get(b) ?? 0) - (deFreq.get(a) ?? 0)).slice(0, MAX_TRANSLATIONS));
  }
  return {
    en: enMap,
    enStem: buildStemIndex(enMap),
    deFreq,
    entryCount: entry,
    stems: { de: PackedStemEntries.from(deStems), en: PackedStemEntries.from(enStems) },
    ...german.build(),
    places: places.build(),
  };
}

/**
 * Collects the one-word German place names of Ding: a sub-entry of a `[geogr.]` line whose German
 * synonym is one capitalised word and whose English counterpart starts with a capital letter (a
 * proper name: "Russland {n} … [geogr.] :: Russia"; "murengefährdet {adj} [geogr.] ::
 * mudflow-prone" gives nothing). A word that also has a common sense — a sub-entry of another line
 * with lower-case English ("Zug {m} :: train", "Essen {n} :: meal", "oder :: or") — is left out, so
 * the list holds words that are names wherever they stand.
 */
class PlaceNames {
  private readonly places = new Set<string>();
  private readonly common = new Set<string>();
  /** One line's aligned sub-entries (German and English side split on " | "). */
  addLine(deParts: string[], enParts: string[], geographic: boolean): void {
    for (let i = 0; i < deParts.length; i++) {
      const proper = /^\p{Lu}/u.test(clean(enParts[i] ?? ''));
      if (geographic && !proper) continue;
      for (const syn of clean(deParts[i]).split(';')) {
        const w = syn.trim();
        if (!/^\p{L}[\p{L}-]*$/u.test(w)) continue;
        if (geographic) {
          if (/^\p{Lu}/u.test(w) && w.length >= 3) this.places.add(w.toLowerCase());
        } else if (!proper) this.common.add(w.toLowerCase());
      }
    }
  }
  /** Lower-case place names without a common sense. */
  build(): Map<string, true> {
    const out = new Map<string, true>();
    for (const w of this.places) if (!this.common.has(w)) out.set(w, true);
    return out;
  }
}

function buildStemIndex(en: ReadonlyMap<string, string[]>): Map<string, string[]> {
  const byStem = new Map<string, Set<string>>();
  for (const [k, v] of en) {
    if (k.includes(' ')) continue;
    const s = stem(k, 'en');
    let set = byStem.get(s);
    if (!set) byStem.set(s, (set = new Set()));
    for (const g of v) set.add(g);
  }
  const out = new Map<string, string[]>();
  for (const [k, v] of byStem) out.set(k, [...v].slice(0, MAX_TRANSLATIONS));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Binary cache: a JSON header (section name → byte range) followed by the sections, each either
// UTF-8 text (strings joined by "\n") or little-endian Int32 values, 4-byte aligned.

type Section = { kind: 'str'; value: string[] } | { kind: 'i32'; value: Int32Array };

function writeSections(file: string, sections: Record<string, Section>): void {
  const parts: Buffer[] = [];
  const header: Record<string, { kind: string; offset: number; length: number }> = {};
  let offset = 0;
  for (const [name, s] of Object.entries(sections)) {
    const buf = s.kind === 'str' ? Buffer.from(s.value.join('\n'), 'utf8') : Buffer.from(s.value.buffer, s.value.byteOffset, s.value.byteLength);
    header[name] = { kind: s.kind, offset, length: buf.length };
    parts.push(buf);
    offset += buf.length;
    const pad = (4 - (buf.length % 4)) % 4;
    if (pad) parts.push(Buffer.alloc(pad));
    offset += pad;
  }
  const body = Buffer.concat(parts);
  const sha256 = createHash('sha256').update(body).digest('hex');
  let json = Buffer.from(JSON.stringify({ version: CACHE_VERSION, bodyLength: body.length, sha256, sections: header }), 'utf8');
  json = Buffer.concat([json, Buffer.alloc((4 - ((json.length + 4) % 4)) % 4, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  fs.writeFileSync(file, Buffer.concat([len, json, body]));
}

/**
 * Read a cache written by {@link writeSections}, checking it whole before use: the header parses,
 * the file is exactly header + body long, the body's SHA-256 matches, and every section lies
 * inside the body (int32 sections a multiple of 4 bytes).
 * @throws CacheDamagedError naming what is wrong (also for a header without this version); the fs
 *   error for a missing or unreadable file.
 */
function readSections(file: string): { str(name: string): string[]; table(name: string): StringTable; i32(name: string): Int32Array } {
  const buf = fs.readFileSync(file);
  const damaged = (why: string) => new CacheDamagedError(`dictionary cache ${file} is damaged: ${why}`);
  if (buf.length < 4) throw damaged('shorter than its header');
  const hlen = buf.readUInt32LE(0);
  if (4 + hlen > buf.length) throw damaged('truncated inside its header');
  let head: { version: number; bodyLength?: number; sha256?: string; sections: Record<string, { kind: string; offset: number; length: number }> };
  try {
    head = JSON.parse(buf.subarray(4, 4 + hlen).toString('utf8'));
  } catch {
    throw damaged('unreadable header');
  }
  // The file name carries CACHE_VERSION, so a header with another (or no) version is damage: a
  // garbled header can still be valid JSON (bytes inside a key leave it a longer key).
  if (typeof head !== 'object' || head === null || head.version !== CACHE_VERSION) {
    throw damaged(`header has version ${JSON.stringify(head?.version ?? null)}, expected ${CACHE_VERSION}`);
  }
  const base = 4 + hlen;
  if (typeof head.bodyLength !== 'number' || buf.length !== base + head.bodyLength) {
    throw damaged(`size ${buf.length} bytes, expected ${base + (head.bodyLength ?? 0)} (truncated or appended to)`);
  }
  if (createHash('sha256').update(buf.subarray(base)).digest('hex') !== head.sha256) throw damaged('checksum mismatch');
  for (const [name, s] of Object.entries(head.sections ?? {})) {
    if (!(s.offset >= 0 && s.length >= 0 && s.offset + s.length <= head.bodyLength) || (s.kind === 'i32' && s.length % 4 !== 0)) {
      throw damaged(`section ${name} out of bounds`);
    }
  }
  const sec = (name: string) => {
    const s = head.sections[name];
    if (!s) throw damaged(`lacks section ${name}`);
    return s;
  };
  return {
    str: (name) => {
      const s = sec(name);
      if (s.length === 0) return [];
      return buf.toString('utf8', base + s.offset, base + s.offset + s.length).split('\n');
    },
    table: (name) => {
      const s = sec(name);
      return StringTable.fromJoined(buf.toString('utf8', base + s.offset, base + s.offset + s.length));
    },
    i32: (name) => {
      const s = sec(name);
      // Copy into an aligned buffer (Buffer pools may not be 4-byte aligned).
      const out = new Int32Array(s.length / 4);
      new Uint8Array(out.buffer).set(buf.subarray(base + s.offset, base + s.offset + s.length));
      return out;
    },
  };
}

/** Word lists → ids into a shared German vocabulary (translations are stored as vocabulary ids). */
function packLists(map: Lookup<string[]> & { keys(): Iterable<string> }, vocab: Map<string, number>): { keys: string[]; offsets: Int32Array; ids: Int32Array } {
  const keys = [...map.keys()].sort();
  const offsets = new Int32Array(keys.length + 1);
  const ids: number[] = [];
  keys.forEach((k, i) => {
    offsets[i] = ids.length;
    for (const w of map.get(k)!) {
      let id = vocab.get(w);
      if (id === undefined) vocab.set(w, (id = vocab.size));
      ids.push(id);
    }
  });
  offsets[keys.length] = ids.length;
  return { keys, offsets, ids: Int32Array.from(ids) };
}

function unpackLists(keys: StringTable, offsets: Int32Array, ids: Int32Array, vocab: StringTable): SortedLookup<string[]> {
  return new SortedLookup(keys, (i) => {
    const list = new Array<string>(offsets[i + 1] - offsets[i]);
    for (let j = offsets[i], k = 0; j < offsets[i + 1]; j++, k++) list[k] = vocab.at(ids[j]);
    return list;
  });
}

/** A lookup built by `make` on its first use. */
function lazyLookup<V>(make: () => Lookup<V>): Lookup<V> {
  let inner: Lookup<V> | null = null;
  const get = () => (inner ??= make());
  return {
    get: (k) => get().get(k),
    has: (k) => get().has(k),
    get size() {
      return get().size;
    },
  };
}

function saveCache(file: string, dict: ParsedDictionary): void {
  // The German vocabulary: every word with a frequency, then translation-only words; sorted so
  // that deFreq can be searched by bisection on the vocabulary itself.
  const words = new Set<string>(dict.deFreq.keys());
  for (const list of dict.en.values()) for (const w of list) words.add(w);
  for (const list of dict.enStem.values()) for (const w of list) words.add(w);
  const vocabList = [...words].sort();
  const vocab = new Map<string, number>(vocabList.map((w, i) => [w, i]));
  const en = packLists(dict.en, vocab);
  const enStem = packLists(dict.enStem, vocab);
  const freq = Int32Array.from(vocabList.map((w) => dict.deFreq.get(w) ?? 0));
  // English phrases of the German → English tables, in a vocabulary of their own.
  const enVocab = new Map<string, number>();
  const deT = packLists(dict.de, enVocab);
  const deStemT = packLists(dict.deStem, enVocab);
  const de = dict.stems.de as PackedStemEntries;
  const enS = dict.stems.en as PackedStemEntries;
  writeSections(file, {
    vocab: { kind: 'str', value: vocabList },
    freq: { kind: 'i32', value: freq },
    enKeys: { kind: 'str', value: en.keys },
    enOff: { kind: 'i32', value: en.offsets },
    enIds: { kind: 'i32', value: en.ids },
    enStemKeys: { kind: 'str', value: enStem.keys },
    enStemOff: { kind: 'i32', value: enStem.offsets },
    enStemIds: { kind: 'i32', value: enStem.ids },
    deStemKeys: { kind: 'str', value: [...de.keys()] },
    deStemOff: { kind: 'i32', value: de.offsets },
    deStemIds: { kind: 'i32', value: de.ids },
    enSideKeys: { kind: 'str', value: [...enS.keys()] },
    enSideOff: { kind: 'i32', value: enS.offsets },
    enSideIds: { kind: 'i32', value: enS.ids },
    meta: { kind: 'i32', value: Int32Array.from([dict.entryCount]) },
    enVocab: { kind: 'str', value: [...enVocab.keys()] },
    deKeys: { kind: 'str', value: deT.keys },
    deOff: { kind: 'i32', value: deT.offsets },
    deIds: { kind: 'i32', value: deT.ids },
    deStemKeys2: { kind: 'str', value: deStemT.keys },
    deStemOff2: { kind: 'i32', value: deStemT.offsets },
    deStemIds2: { kind: 'i32', value: deStemT.ids },
    places: { kind: 'str', value: [...dict.places.keys()].sort() },
  });
}

function loadCache(file: string): Dictionary {
  const r = readSections(file);
  // The word lists stay packed (src/search/string-table.ts): a lookup cuts out only the ~20
  // words its bisection visits, instead of every list being split into its 50–350k strings.
  const vocab = r.table('vocab');
  const freq = r.i32('freq');
  // Words that only occur as translations have frequency 0 and count as unknown.
  const deFreq: Lookup<number> = {
    size: freq.reduce((a, f) => a + (f > 0 ? 1 : 0), 0),
    get: (w) => {
      const i = vocab.find(w);
      return i >= 0 && freq[i] > 0 ? freq[i] : undefined;
    },
    has: (w) => {
      const i = vocab.find(w);
      return i >= 0 && freq[i] > 0;
    },
  };
  // The German → English tables are only needed once a German question meets English documents:
  // their strings are split on first use (loading them eagerly cost ~0.3 s per CLI call).
  let enVocab: StringTable | null = null;
  const vocabEn = () => (enVocab ??= r.table('enVocab'));
  return {
    de: lazyLookup(() => unpackLists(r.table('deKeys'), r.i32('deOff'), r.i32('deIds'), vocabEn())),
    deStem: lazyLookup(() => unpackLists(r.table('deStemKeys2'), r.i32('deStemOff2'), r.i32('deStemIds2'), vocabEn())),
    en: unpackLists(r.table('enKeys'), r.i32('enOff'), r.i32('enIds'), vocab),
    enStem: unpackLists(r.table('enStemKeys'), r.i32('enStemOff'), r.i32('enStemIds'), vocab),
    deFreq,
    places: lazyLookup(() => new SortedLookup(r.table('places'), () => true as const)),
    entryCount: r.i32('meta')[0],
    stems: {
      de: new PackedStemEntries(r.table('deStemKeys'), r.i32('deStemOff'), r.i32('deStemIds')),
      en: new PackedStemEntries(r.table('enSideKeys'), r.i32('enSideOff'), r.i32('enSideIds')),
    },
  };
}

/**
 * Load the dictionary from `dictPath`, through a binary cache in `cacheDir` (written on first use).
 * @returns the dictionary, or null when the file is missing (one warning per cache folder and dictionary path,
 *   recorded in `cacheDir/{@link MISSING_NOTE}`; later loads log it at info level).
 */
export function loadDictionary(dictPath: string, cacheDir: string): Dictionary | null {
  const key = `${path.resolve(dictPath)}`;
  const loaded = inProcess.get(key);
  if (loaded) return loaded;
  const dict = loadUncached(dictPath, cacheDir);
  if (dict) inProcess.set(key, dict);
  return dict;
}

/** A dictionary cache file that fails its size, checksum or bounds checks. */
export class CacheDamagedError extends Error {}

/** Dictionaries already loaded by this process (the parsed form is read-only). */
const inProcess = new Map<string, Dictionary>();

function loadUncached(dictPath: string, cacheDir: string): Dictionary | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dictPath);
  } catch {
    const message =
      'German–English dictionary not found: cross-lingual matching is off (English questions only match English words). ' +
      'Install it with `apt-get install trans-de-en` (or `npm run setup`), or set DICT_PATH.';
    // Said once per cache folder (each CLI call loads the dictionary anew); later loads at info.
    if (noteMissing(cacheDir, path.resolve(dictPath))) log().warn({ dictPath }, message);
    else log().info({ dictPath }, message);
    return null;
  }
  fs.rmSync(path.join(cacheDir, MISSING_NOTE), { force: true });
  const cacheFile = path.join(cacheDir, `ding-v${CACHE_VERSION}-${stat.size}-${Math.floor(stat.mtimeMs)}.bin`);
  try {
    return loadCache(cacheFile);
  } catch (err) {
    // No cache yet: parse and write it silently. Anything else (damage the checks name, or an
    // unreadable file, or a failure while unpacking) is said once; the file is removed and rebuilt.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      const why = err instanceof CacheDamagedError ? err.message : `dictionary cache ${cacheFile} is unreadable (${(err as Error).message})`;
      log().warn({ cacheFile }, `${why}; rebuilding it from ${dictPath}`);
      fs.rmSync(cacheFile, { force: true });
    }
  }
  // Parsing takes ~30 s of CPU; when another process is already building this cache (parallel
  // test workers, a bot and a CLI started together), wait for it instead of parsing too. The lock
  // (src/store/file-lock.ts) names its holder: one left by a killed process (Ctrl-C during the
  // first parse) is broken at once instead of being waited out.
  const lock = `${cacheFile}.lock`;
  const build = (): Dictionary => {
    try {
      return loadCache(cacheFile); // built by the process we waited for
    } catch {
      // not there: parse it here
    }
    log().info({ dictPath }, 'parsing the German–English dictionary once (about half a minute); later starts use the cache');
    const dict = parseDictionaryFile(dictPath, stat);
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      saveCache(tmp, dict);
      fs.renameSync(tmp, cacheFile);
      // Caches of older formats or dictionary versions are never read again.
      for (const f of fs.readdirSync(cacheDir)) {
        if (/^ding-v\d+-\d+-\d+\.(json|bin)$/.test(f) && f !== path.basename(cacheFile)) fs.rmSync(path.join(cacheDir, f), { force: true });
      }
    } catch (err) {
      log().warn({ cacheDir, err: (err as Error).message }, 'could not write the dictionary cache (CACHE_DIR not writable?): every start parses the dictionary again');
    }
    return dict;
  };
  try {
    makeDirs(cacheDir);
    if (fs.existsSync(lock)) log().info({ lock }, 'another process is building the dictionary cache; waiting for it');
    return withFileLock(lock, build, { timeoutMs: LOCK_STALE_MS, staleMs: LOCK_STALE_MS, pollMs: 100 });
  } catch (err) {
    if (err instanceof NotADictionaryError) {
      log().warn({ dictPath }, `${err.message}: cross-lingual matching is off (English questions only match English words)`);
      return null;
    }
    // No lock to be had (read-only CACHE_DIR, a holder alive for over LOCK_STALE_MS): parse here.
    if (err instanceof LockTimeoutError || ['EACCES', 'EROFS', 'EPERM', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) {
      try {
        return build();
      } catch (again) {
        if (again instanceof NotADictionaryError) {
          log().warn({ dictPath }, `${again.message}: cross-lingual matching is off (English questions only match English words)`);
          return null;
        }
        throw again;
      }
    }
    throw err;
  }
}

/** Raised when DICT_PATH is no Ding file: not a regular file, too large, or without entries. */
export class NotADictionaryError extends Error {}

/** Largest dictionary file read (bytes); the Debian trans-de-en file is ~25 MB. */
export const MAX_DICT_BYTES = 256 * 1024 * 1024;

/**
 * Read and parse the Ding file at `dictPath` ({@link parseDing}).
 * @throws NotADictionaryError when it is not a regular file, is over {@link MAX_DICT_BYTES}, or
 *   holds no dictionary entry (e.g. DICT_PATH=/etc/passwd).
 */
function parseDictionaryFile(dictPath: string, stat: fs.Stats): ParsedDictionary {
  if (!stat.isFile()) throw new NotADictionaryError(`DICT_PATH ${dictPath} is not a regular file`);
  if (stat.size > MAX_DICT_BYTES) throw new NotADictionaryError(`DICT_PATH ${dictPath} is ${Math.round(stat.size / 2 ** 20)} MiB, over the ${MAX_DICT_BYTES / 2 ** 20} MiB a dictionary may have`);
  const dict = parseDing(fs.readFileSync(dictPath, 'utf8'));
  if (dict.entryCount === 0 || dict.en.size === 0) throw new NotADictionaryError(`DICT_PATH ${dictPath} holds no Ding dictionary entries`);
  return dict;
}

/** File in the cache folder recording that a missing dictionary (its path) was reported. */
export const MISSING_NOTE = 'dictionary-missing-noted';

/** True (and recorded, temp file + rename) when the missing `dictPath` was not reported yet; true when the folder is not writable. */
function noteMissing(cacheDir: string, dictPath: string): boolean {
  const file = path.join(cacheDir, MISSING_NOTE);
  try {
    if (fs.readFileSync(file, 'utf8') === dictPath) return false;
  } catch {
    // not reported yet
  }
  try {
    makeDirs(cacheDir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, dictPath);
    fs.renameSync(tmp, file);
  } catch {
    // read-only: report every time
  }
  return true;
}

/** Longest wait for another live process parsing the dictionary; a lock older than this is abandoned. */
const LOCK_STALE_MS = 5 * 60_000;

/** German translations of an English word or phrase: exact entry first, then by stem. */
export function translateEnglish(dict: Dictionary, phrase: string): string[] {
  const exact = dict.en.get(phrase);
  if (exact) return exact;
  if (phrase.includes(' ')) return [];
  return dict.enStem.get(stem(phrase, 'en')) ?? [];
}

/** Endings stripped from an inflected German word to find its dictionary form, longest first. */
const GERMAN_ENDINGS = ['test', 'ten', 'tes', 'tem', 'ter', 'est', 'en', 'em', 'er', 'es', 'et', 'te', 'st', 'e', 'n', 's', 't'];
/** Endings a dictionary form may carry once the inflection is stripped ("erziel" → "erzielen"). */
const LEMMA_ENDINGS = ['', 'en', 'n', 'e'];

/**
 * English translations of a German word (lower case): its own Ding sub-entries; else those of
 * the first dictionary form found by stripping an inflection ending ("lautet" → "lauten",
 * "spielers" → "spieler"); else those of every word with its Snowball stem.
 * @returns English phrases (1–3 content words), strongest first; [] when none is known.
 */
export function translateGerman(dict: Dictionary, word: string): string[] {
  const exact = dict.de.get(word);
  if (exact) return exact;
  for (const end of GERMAN_ENDINGS) {
    if (!word.endsWith(end) || word.length - end.length < 3) continue;
    const base = word.slice(0, -end.length);
    for (const e of LEMMA_ENDINGS) {
      const hit = dict.de.get(base + e);
      if (hit) return hit;
    }
  }
  return dict.deStem.get(stem(word, 'de')) ?? [];
}

/**
 * German question words: never translated (their Ding entries are idioms — "wer" gave "whoever",
 * "warum" gave "come" — and their English counterparts are stopwords anyway).
 */
const GERMAN_INTERROGATIVES = new Set([
  'wer', 'wen', 'wem', 'wessen', 'was', 'wann', 'wo', 'woher', 'wohin', 'wie', 'warum', 'weshalb', 'wieso', 'weswegen',
  'welche', 'welcher', 'welches', 'welchem', 'welchen', 'wofür', 'worum', 'womit', 'wodurch', 'wovon', 'worüber', 'woraus',
  'worin', 'wozu', 'wogegen', 'woran', 'worauf', 'wobei', 'wonach',
]);
/** Translations (phrases) of a German word used as query terms, strongest first. */
export const GERMAN_QUERY_TRANSLATIONS = 8;
/** Translations used per part of a compound that has none of its own. */
const COMPOUND_PART_TRANSLATIONS = 4;
const decompounders = new WeakMap<Dictionary, Decompounder>();

/**
 * English Snowball stems that stand for a German question word (lower case) over English
 * documents: the content words of its first {@link GERMAN_QUERY_TRANSLATIONS} translations
 * ({@link translateGerman}); for a compound without translations of its own ("Sommertheater"),
 * those of its parts (src/text/decompound.ts, Ding line counts as frequencies); hyphenated
 * translations also as one word ("time-line" → "timeline"). Question words and words with
 * digits give [].
 *
 * Measured on the TUNING part of XQuAD DE→EN (German questions over the English paragraphs,
 * `npm run -s eval -- --json --part tuning --only xquad_de_en`, search-only recall@1/@5):
 * 0.827/0.937 with the previous translation (the English stems of the word's 8 shortest Ding
 * entries, src/search/concept.ts `translate`), 0.851/0.969 with this; the 8 translations, the
 * compound parts and the hyphen joining were chosen there (4, 6 and 12 translations, or only the
 * rarest word of a phrase, were within ±0.015 of it). REPORTING part, same command with
 * `--part reporting`: 0.770/0.903 → 0.834 [0.765, 0.902] / 0.949 [0.910, 0.981]; after
 * abstention recall@5 0.894 → 0.940, answer@1 0.553 → 0.654. EN→DE unchanged (tuning
 * 0.863/0.969 before and after).
 */
export function englishTermsOfGerman(dict: Dictionary, word: string): string[] {
  if (/\d/.test(word) || GERMAN_INTERROGATIVES.has(word)) return [];
  const out = new Set<string>();
  const add = (phrases: string[]) => {
    for (const p of phrases) {
      for (const w of p.split(' ')) {
        out.add(stem(w, 'en'));
        if (w.includes('-')) out.add(stem(w.replace(/-/g, ''), 'en'));
      }
    }
  };
  add(translateGerman(dict, word).slice(0, GERMAN_QUERY_TRANSLATIONS));
  if (out.size === 0) {
    let dc = decompounders.get(dict);
    if (!dc) decompounders.set(dict, (dc = new Decompounder(dict.deFreq)));
    for (const part of dc.split(word)) add(translateGerman(dict, part).slice(0, COMPOUND_PART_TRANSLATIONS));
  }
  return [...out];
}

/**
 * The dictionary form of an inflected German word (lower case) when the Snowball stemmer leaves
 * them apart: the first word found by stripping an ending and adding a lemma ending ("kostet" →
 * "kosten", stems "kostet" / "kost") whose English translations share a stem with the word's own.
 * @returns the dictionary form, or null (the word is one itself, or no related form is known).
 */
export function germanLemma(dict: Dictionary, word: string): string | null {
  const own = dict.de.get(word);
  if (!own || /\d/.test(word)) return null;
  const ownStems = new Set(own.flatMap((p) => p.split(' ').map((w) => stem(w, 'en'))));
  const wordStem = stem(word, 'de');
  for (const end of GERMAN_ENDINGS) {
    if (!word.endsWith(end) || word.length - end.length < 3) continue;
    const base = word.slice(0, -end.length);
    for (const e of LEMMA_ENDINGS) {
      const lemma = base + e;
      if (lemma === word || stem(lemma, 'de') === wordStem) continue;
      const hit = dict.de.get(lemma);
      if (hit && hit.some((p) => p.split(' ').some((w) => ownStems.has(stem(w, 'en'))))) return lemma;
    }
  }
  return null;
}
