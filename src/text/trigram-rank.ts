/**
 * franc's language ranking (franc-min 6.2, `francAll` without `only`/`ignore`), computed through an
 * inverted trigram table instead of one object lookup per (trigram, language) pair.
 *
 * franc (https://github.com/wooorm/franc, Cavnar & Trenkle's "out-of-place" n-gram measure)
 * ranks the languages of the sample's dominant script by the distance
 *   d(lang) = Σ_trigrams  |count(t) − rank_lang(t) − 1|  if the language model lists t, else 300,
 * over the distinct trigrams t of the cleaned sample (trigram-utils: characters U+0021–U+0040
 * become spaces, white space collapsed, trimmed, lower-cased, padded with one space each side).
 * franc evaluates that with a property lookup per trigram and language (~30 Latin-script
 * languages × ~1,000 trigrams for a 2,048-character sample: 4–5 ms an ingested document, a third
 * of a lexical ingest). Here each trigram is looked up once in a table trigram → (language,
 * rank) pairs built once from franc-min's own data, and the distance starts from 300 per trigram
 * and corrects only the languages that list it. The sums are integers, so every distance, the
 * stable sort and the normalised scores are bit for bit franc's (tests/language.test.ts compares
 * the whole ranked list with `francAll` on generated and real texts).
 */
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

/** franc-min's MAX_DIFFERENCE: the distance of a trigram the model lacks. */
const MAX_DIFFERENCE = 300;
/** franc-min's MAX_LENGTH: characters of the sample it looks at. */
const MAX_LENGTH = 2048;

/** One script's models, inverted: trigram → flat (language index, rank) pairs. */
interface ScriptTable {
  languages: string[];
  pairs: Map<string, Int32Array>;
}

const tables = new Map<string, ScriptTable>();

/**
 * The inverted table of one script (built on first use from franc-min's data: each model is its
 * trigrams by descending frequency, the rank is the position; a trigram listed twice keeps its
 * first position, as franc's own table).
 */
function tableOf(script: string): ScriptTable | undefined {
  const hit = tables.get(script);
  if (hit) return hit;
  const models = data[script];
  if (!models) return undefined;
  const languages = Object.keys(models);
  const lists = new Map<string, number[]>();
  languages.forEach((lang, li) => {
    const model = models[lang].split('|');
    const first = new Map<string, number>();
    for (let r = model.length - 1; r >= 0; r--) first.set(model[r], r);
    for (const [t, r] of first) {
      let l = lists.get(t);
      if (!l) lists.set(t, (l = []));
      l.push(li, r);
    }
  });
  const pairs = new Map<string, Int32Array>();
  for (const [t, l] of lists) pairs.set(t, Int32Array.from(l));
  const table = { languages, pairs };
  tables.set(script, table);
  return table;
}

/** The script whose characters occur most in `value` (franc's getTopScript: first maximum wins). */
function topScript(value: string): [string | undefined, number] {
  let topCount = -1;
  let top: string | undefined;
  for (const script of Object.keys(expressions)) {
    const m = value.match(expressions[script]);
    const count = (m ? m.length : 0) / value.length || 0;
    if (count > topCount) {
      topCount = count;
      top = script;
    }
  }
  return [top, topCount];
}

/** Distinct trigrams of the cleaned, padded sample with their counts (trigram-utils asDictionary). */
function trigramCounts(value: string): Map<string, number> {
  const cleaned = ` ${value.replace(/[\u0021-\u0040]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const t = cleaned.slice(i, i + 3);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/**
 * Languages ranked as franc-min's `francAll(value, { minLength })` without `only`/`ignore`:
 * [ISO 639-3 code, score in [0, 1]] best first, `[['und', 1]]` when undecidable.
 * Linear in the sample (at most 2,048 characters are read) plus the languages of its script.
 * @param value the text (not sliced by the caller)
 * @param minLength below this many characters the result is `und` (franc's minLength)
 */
export function rankLanguages(value: string, minLength: number): [string, number][] {
  if (!value || value.length < minLength) return [['und', 1]];
  value = value.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  const table = script !== undefined ? tableOf(script) : undefined;
  if (!table) {
    // A script with one language (e.g. Greek) or none matched: no distances to compute.
    if (!script || share === 0) return [['und', 1]];
    return [[script, 1]];
  }
  const { languages, pairs } = table;
  const dist = new Float64Array(languages.length);
  let missing = 0;
  for (const [t, c] of trigramCounts(value)) {
    missing += MAX_DIFFERENCE;
    const p = pairs.get(t);
    if (!p) continue;
    for (let i = 0; i < p.length; i += 2) dist[p[i]] += Math.abs(c - p[i + 1] - 1) - MAX_DIFFERENCE;
  }
  const ranked: [string, number][] = languages.map((l, i) => [l, dist[i] + missing]);
  ranked.sort((a, b) => a[1] - b[1]);
  const min = ranked[0][1];
  const max = value.length * MAX_DIFFERENCE - min;
  for (const r of ranked) r[1] = 1 - (r[1] - min) / max || 0;
  return ranked;
}
