/**
 * Language identification with franc-min (trigram profiles of the 82 languages with ≥ 8 M
 * speakers; https://github.com/wooorm/franc), reported as ISO 639-1.
 */
import { francAll } from 'franc-min';
import { rankLanguages } from './trigram-rank.js';

/**
 * ISO 639-3 (as franc reports) → ISO 639-1. Covers the franc-min languages that have a 639-1 code;
 * macrolanguage members map to the macrolanguage code (arb → ar, pes → fa, zlm → ms, uzn → uz,
 * azj → az, plt → mg, ckb → ku, pbu → ps, npi → ne, cmn → zh).
 */
const ISO3_TO_1: Readonly<Record<string, string>> = {
  deu: 'de', eng: 'en', fra: 'fr', spa: 'es', ita: 'it', nld: 'nl', pol: 'pl', rus: 'ru',
  por: 'pt', ukr: 'uk', swe: 'sv', ces: 'cs', hun: 'hu', ron: 'ro', bul: 'bg', bel: 'be',
  hrv: 'hr', srp: 'sr', bos: 'bs', tur: 'tr', ind: 'id', zlm: 'ms', vie: 'vi', jav: 'jv',
  sun: 'su', tgl: 'tl', swh: 'sw', hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', kin: 'rw',
  run: 'rn', nya: 'ny', lin: 'ln', som: 'so', plt: 'mg', uzn: 'uz', azj: 'az', kaz: 'kk',
  arb: 'ar', urd: 'ur', pes: 'fa', hin: 'hi', mar: 'mr', npi: 'ne', ckb: 'ku', pbu: 'ps',
  cmn: 'zh', jpn: 'ja', kor: 'ko', ell: 'el', heb: 'he', tha: 'th', ben: 'bn', tam: 'ta',
  tel: 'te', kan: 'kn', mal: 'ml', guj: 'gu', pan: 'pa', amh: 'am', mya: 'my', sin: 'si',
  kat: 'ka', hye: 'hy', khm: 'km', lao: 'lo', ori: 'or', uig: 'ug', fuv: 'ff', qug: 'qu',
  zyb: 'za', koi: 'kv',
};
const ISO1_TO_3: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ISO3_TO_1).map(([k, v]) => [v, k]),
);

/** Below this many characters (after trimming) franc is not asked: the answer would be a guess. */
export const MIN_LANGUAGE_CHARS = 10;
/**
 * Minimum lead of the best language over the runner-up, in units of one fully missing trigram.
 * franc scores are relative: score = 1 − (d − d_best) / (300·L − d_best) for trigram distance d
 * and sample length L (franc-min index.js `normalize`, MAX_DIFFERENCE = 300), so scores crowd
 * towards 1 as texts get longer and a fixed score threshold does not work. (1 − score₂)·L
 * approximates (d₂ − d_best) / 300, a length-independent lead. Measured with franc-min 6.2:
 * "Hallo Welt" 0.4 (eng before nya and deu: a guess), "Was plant China?" 3.6 (Quechua!),
 * "Wer ist Wang Yi?" 4.6, short English/French/Dutch sentences 7–17, a German news paragraph 40+.
 * Short questions therefore mostly come out 'und' unless `only` narrows the candidates.
 */
export const MIN_LEAD = 5;
/** franc looks at no more than this many characters (franc-min MAX_LENGTH). */
const SAMPLE_CHARS = 2048;

/** Options for {@link detectLanguage}. */
export interface DetectLanguageOptions {
  /** Restrict the candidates to these ISO 639-1 codes (e.g. ['de', 'en'] for short questions). */
  only?: string[];
}

/**
 * Detect the language of a text.
 *
 * @param text any text; only the first 2048 characters are used
 * @param opts.only restrict the candidates (ISO 639-1 codes)
 * @returns an ISO 639-1 code ('de', 'en', …) or 'und' when unsure: text shorter than
 *   {@link MIN_LANGUAGE_CHARS}, no letters, a runner-up closer than {@link MIN_LEAD}, or a
 *   language without a 639-1 code.
 */
export function detectLanguage(text: string, opts: DetectLanguageOptions = {}): string {
  const sample = text.slice(0, SAMPLE_CHARS).trim();
  if (sample.length < MIN_LANGUAGE_CHARS) return 'und';
  const only = opts.only?.map((c) => ISO1_TO_3[c.toLowerCase()]).filter((c): c is string => !!c);
  // Without candidates, the same ranking through an inverted trigram table (src/text/trigram-rank.ts).
  const ranked = only && only.length ? francAll(sample, { minLength: MIN_LANGUAGE_CHARS, only }) : rankLanguages(sample, MIN_LANGUAGE_CHARS);
  const [best, second] = ranked;
  if (!best || best[0] === 'und') return 'und';
  if (second && (1 - second[1]) * sample.length < MIN_LEAD) return 'und';
  return ISO3_TO_1[best[0]] ?? 'und';
}

/** ISO 639-3 → ISO 639-1 for the languages above, or undefined. */
export function iso639_3to1(code: string): string | undefined {
  return ISO3_TO_1[code.toLowerCase()];
}
