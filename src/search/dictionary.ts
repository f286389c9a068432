/**
 * The Ding German–English dictionary (Frank Richter, TU Chemnitz; Debian package `trans-de-en`,
 * file `/usr/share/trans/de-en`), read at run time and never copied into the repository.
 *
 * Line format: `German side :: English side`; each side has sub-entries separated by ` | ` that
 * correspond by position (e.g. singular | plural); synonyms within a sub-entry are separated by
 * `;`; annotations in `{}`, `[]`, `()` and `/…/` are notes, not words.
 *
 * Parsing the 25 MB file takes seconds, so the parsed form is cached as JSON under the data
 * directory, keyed by the file's size and mtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { log } from '../log.js';

const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(l: string): { stem(w: string): string } };
const enStemmer = snowball.newStemmer('english');

/** Longest English phrase (in words) looked up as a unit. */
export const MAX_PHRASE_WORDS = 3;
/** Translations kept per English key (the dictionary lists the most common senses first). */
const MAX_TRANSLATIONS = 24;
const CACHE_VERSION = 3;

/** Parsed dictionary: English word/phrase → German single-word translations (lower case). */
export interface Dictionary {
  /** Exact lower-cased English word or phrase → German words. */
  readonly en: Map<string, string[]>;
  /** English Snowball stem of a single word → German words (fallback when no exact entry). */
  readonly enStem: Map<string, string[]>;
  /** Lower-cased German word → number of dictionary lines it occurs in (a commonness proxy). */
  readonly deFreq: Map<string, number>;
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

/** Parse the raw dictionary text. Pure; exported for tests. */
export function parseDing(raw: string): Dictionary {
  const en = new Map<string, Set<string>>();
  const deFreq = new Map<string, number>();
  for (const line of raw.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sep = line.indexOf(' :: ');
    if (sep < 0) continue;
    const deParts = line.slice(0, sep).split(' | ');
    const enParts = line.slice(sep + 4).split(' | ');
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
      const germans = deParts[i]
        .split(';')
        .map(cleanGerman)
        .filter((g) => g && !g.includes(' ') && /^\p{L}[\p{L}-]*$/u.test(g))
        .map((g) => g.toLowerCase());
      if (germans.length === 0) continue;
      for (const e of enParts[i].split(';')) {
        const key = cleanEnglish(e);
        if (!key || key.split(' ').length > MAX_PHRASE_WORDS) continue;
        let set = en.get(key);
        if (!set) en.set(key, (set = new Set()));
        for (const g of germans) set.add(g);
      }
    }
  }
  // Keep the most common German words (by dictionary frequency) when an entry has many.
  const enMap = new Map<string, string[]>();
  for (const [k, v] of en) {
    enMap.set(k, [...v].sort((a, b) => (deFreq.get(b) ?? 0) - (deFreq.get(a) ?? 0)).slice(0, MAX_TRANSLATIONS));
  }
  return { en: enMap, enStem: buildStemIndex(enMap), deFreq };
}

function buildStemIndex(en: Map<string, string[]>): Map<string, string[]> {
  const byStem = new Map<string, Set<string>>();
  for (const [k, v] of en) {
    if (k.includes(' ')) continue;
    const s = enStemmer.stem(k);
    let set = byStem.get(s);
    if (!set) byStem.set(s, (set = new Set()));
    for (const g of v) set.add(g);
  }
  const out = new Map<string, string[]>();
  for (const [k, v] of byStem) out.set(k, [...v].slice(0, MAX_TRANSLATIONS));
  return out;
}

/**
 * Load the dictionary from `dictPath`, through a JSON cache in `cacheDir`.
 * @returns the dictionary, or null (with one warning logged) when the file is missing.
 */
export function loadDictionary(dictPath: string, cacheDir: string): Dictionary | null {
  const key = `${path.resolve(dictPath)}`;
  const loaded = inProcess.get(key);
  if (loaded) return loaded;
  const dict = loadUncached(dictPath, cacheDir);
  if (dict) inProcess.set(key, dict);
  return dict;
}

/** Dictionaries already loaded by this process (the parsed form is read-only). */
const inProcess = new Map<string, Dictionary>();

function loadUncached(dictPath: string, cacheDir: string): Dictionary | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dictPath);
  } catch {
    log().warn(
      { dictPath },
      'German–English dictionary not found: cross-lingual matching is off (English questions only match English words). ' +
        'Install it with `apt-get install trans-de-en` (or `npm run setup`), or set DICT_PATH.',
    );
    return null;
  }
  const cacheFile = path.join(cacheDir, `ding-v${CACHE_VERSION}-${stat.size}-${Math.floor(stat.mtimeMs)}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as {
      en: [string, string[]][];
      deFreq: [string, number][];
    };
    const en = new Map(cached.en);
    return { en, enStem: buildStemIndex(en), deFreq: new Map(cached.deFreq) };
  } catch {
    // No cache yet (or unreadable): parse and write it.
  }
  const dict = parseDing(fs.readFileSync(dictPath, 'utf8'));
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ en: [...dict.en], deFreq: [...dict.deFreq] }));
    fs.renameSync(tmp, cacheFile);
  } catch (err) {
    log().debug({ err }, 'could not write the dictionary cache');
  }
  return dict;
}

/** German translations of an English word or phrase: exact entry first, then by stem. */
export function translateEnglish(dict: Dictionary, phrase: string): string[] {
  const exact = dict.en.get(phrase);
  if (exact) return exact;
  if (phrase.includes(' ')) return [];
  return dict.enStem.get(enStemmer.stem(phrase)) ?? [];
}
