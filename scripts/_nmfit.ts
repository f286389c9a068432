import fs from 'node:fs';
import { fitLogistic, logistic } from '../src/answer/learned.ts';
const { rows, SENTENCE_FEATURES: SF, SPAN_FEATURES: PF } = JSON.parse(fs.readFileSync('/tmp/nm.json', 'utf8'));
const cand = (r: any) => !r.refused && r.pickF;
const x = (r: any) => [1, r.pickF[SF.indexOf('coverage')], r.pickF[SF.indexOf('density')], r.pickF[SF.indexOf('groupShare')], r.pickF[SF.indexOf('unmatchedShare')], Math.tanh((r.span ?? 0) / 3), r.spanX ? r.spanX[PF.indexOf('prox')] : 0, r.pickF[SF.indexOf('rarest')], r.type === 'other' ? 1 : 0];
const names = ['b', 'cov', 'dens', 'grp', 'unm', 'span', 'prox', 'rarest', 'other'];
const A = rows.filter((r: any) => !r.nearMiss && cand(r)); const N = rows.filter((r: any) => r.nearMiss && cand(r));
// 2-fold by index parity (no article info): rough
for (const fold of [0, 1]) {
  const tr = (l: any[]) => l.filter((_, i) => i % 2 !== fold); const te = (l: any[]) => l.filter((_, i) => i % 2 === fold);
  const m = fitLogistic(names, [...tr(A), ...tr(N)].map(x), [...tr(A).map(() => 1), ...tr(N).map(() => 0)], 1500, 1.0);
  const pa = tr(A).map((r: any) => logistic(m, x(r))).sort((a: number, b: number) => a - b);
  for (const pct of [0.02, 0.03, 0.05]) {
    const th = pa[Math.floor(pct * pa.length)];
    console.log(fold, pct, 'answerable refused', (te(A).filter((r: any) => logistic(m, x(r)) < th).length / te(A).length).toFixed(3), 'near refused', te(N).filter((r: any) => logistic(m, x(r)) < th).length, '/', te(N).length);
  }
}
