/**
 * Paired comparison of two `scripts/answer-eval.ts --dump` files (scripts/dump-diff.ts): rows are
 * paired by run, language and question text; each metric's mean difference (after − before) gets
 * a 95 % percentile bootstrap interval (scripts/lib/metrics.ts `bootstrap`, clustered by gold
 * answer). Linear in the number of rows (times the bootstrap resamples).
 */
import { bootstrap, type Estimate } from './metrics.js';

/** One dumped question result; `run` is absent for the answer runs, 'nearMiss' / 'unanswerable' otherwise. */
export interface DumpRow {
  run?: string;
  lang: string;
  q: string;
  gold?: string;
  a1?: boolean;
  f1?: number;
  short?: string | null;
  refused?: boolean;
}

/** Parse a JSON-lines dump. @throws SyntaxError on a line that is not JSON. */
export function parseDump(text: string): DumpRow[] {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as DumpRow);
}

/**
 * Paired differences per run: `en_de` / `de_de` (answer runs: f1, em, a1 and `changed`, the share
 * whose short answer differs) and `nearMiss_<lang>` / `unanswerable_<lang>` (refused). A row of one
 * run is never paired with a row of another, even for the same question. Runs without a pair are left out.
 */
export function pairedDiffs(before: DumpRow[], after: DumpRow[]): Record<string, { n: number } & Record<string, Estimate | number>> {
  const key = (r: DumpRow) => `${r.run ?? 'answer'}\t${r.lang}\t${r.q}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const em = (r: DumpRow) => (r.f1 === 1 ? 1 : 0);
  const out: Record<string, { n: number } & Record<string, Estimate | number>> = {};
  for (const lang of ['en', 'de']) {
    const rows: { cluster: string; values: Record<string, number> }[] = [];
    for (const [k, a] of now) {
      const b = old.get(k);
      if (!b || a.lang !== lang || a.run) continue;
      rows.push({ cluster: a.gold ?? a.q, values: { f1: (a.f1 ?? 0) - (b.f1 ?? 0), em: em(a) - em(b), a1: Number(a.a1) - Number(b.a1), changed: a.short === b.short ? 0 : 1 } });
    }
    if (rows.length) out[lang === 'en' ? 'en_de' : 'de_de'] = { n: rows.length, ...bootstrap(rows, ['f1', 'em', 'a1', 'changed']) };
  }
  for (const run of ['nearMiss', 'unanswerable'])
    for (const lang of ['en', 'de']) {
      const rows: { cluster: string; values: Record<string, number> }[] = [];
      for (const [k, a] of now) {
        const b = old.get(k);
        if (b && a.run === run && a.lang === lang) rows.push({ cluster: a.gold ?? a.q, values: { refused: Number(a.refused) - Number(b.refused) } });
      }
      if (rows.length) out[`${run}_${lang}`] = { n: rows.length, ...bootstrap(rows, ['refused']) };
    }
  return out;
}
