/**
 * German compound splitting for the document side of the lexical index, after Koehn & Knight,
 * "Empirical Methods for Compound Splitting" (EACL 2003): a word is split into known words
 * (optionally joined by the linking elements -s-, -es-, -n-, -en-, -e-) when the geometric mean of
 * the parts' frequencies beats the frequency of the whole word. Frequencies come from the caller
 * (here: how many Ding dictionary lines each German word occurs in).
 *
 * Splitting only documents (and keeping the compound itself) helped by ~3 points of recall in
 * trials; splitting queries hurt, so queries are left whole.
 */

const LINKS = ['', 's', 'es', 'n', 'en', 'e'];
/** Endings a compound's last part may carry ("…drohnen" → "drohne", "…lieferungen" → "lieferung"). */
const INFLECTIONS = ['en', 'n', 'e', 's', 'es', 'er'];
/** Three-part splits must beat two-part ones by this factor (they are more often junk). */
const THREE_PART_PENALTY = 0.5;
/** Shortest word that is considered for splitting, and shortest part. */
const MIN_WORD = 8;
const MIN_PART = 4;

/** Splits lower-cased German words into parts; results are memoised. */
export class Decompounder {
  private readonly memo = new Map<string, string[]>();

  /** @param freq lower-cased word → frequency (> 0 means known). */
  constructor(private readonly freq: { get(word: string): number | undefined }) {}

  /**
   * Parts of `word` (lower case), or [] when it should stay whole.
   * At most three parts; each part is a known word.
   */
  split(word: string): string[] {
    const hit = this.memo.get(word);
    if (hit) return hit;
    const parts = this.best(word, 2)?.parts ?? [];
    this.memo.set(word, parts);
    return parts;
  }

  /** Frequency of `w`, or of its base form when `w` ends in a plural/case ending. */
  private known(w: string): number {
    let f = this.freq.get(w) ?? 0;
    for (const suffix of INFLECTIONS) {
      if (w.length - suffix.length >= MIN_PART && w.endsWith(suffix)) {
        f = Math.max(f, this.freq.get(w.slice(0, -suffix.length)) ?? 0);
      }
    }
    return f;
  }

  private best(word: string, depth: number): { parts: string[]; score: number } | null {
    if (word.length < MIN_WORD || !/^\p{L}+$/u.test(word)) return null;
    let best: { parts: string[]; score: number } | null = null;
    const whole = this.freq.get(word) ?? 0;
    for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
      const head = word.slice(0, i);
      const fHead = this.freq.get(head) ?? 0;
      if (!fHead) continue;
      for (const link of LINKS) {
        if (!word.startsWith(link, i)) continue;
        const rest = word.slice(i + link.length);
        if (rest.length < MIN_PART) continue;
        const fRest = this.known(rest);
        const candidates: { parts: string[]; score: number }[] = [];
        if (fRest) candidates.push({ parts: [head, rest], score: Math.sqrt(fHead * fRest) });
        if (depth > 1) {
          const sub = this.best(rest, depth - 1);
          if (sub) candidates.push({
            parts: [head, ...sub.parts],
            score: THREE_PART_PENALTY * Math.pow(fHead * Math.pow(sub.score, sub.parts.length), 1 / (1 + sub.parts.length)),
          });
        }
        for (const c of candidates) if (!best || c.score > best.score) best = c;
      }
    }
    return best && best.score > whole ? best : null;
  }
}
