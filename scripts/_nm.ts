import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { Dossier } from '../src/core.js';
import { splitUnits } from './lib/split.js';
import { cutAnswerSentence } from './lib/near-miss.js';
import { SENTENCE_FEATURES } from '../src/answer/learned.js';
import { SPAN_TRACE, spanModels, spanScore, SPAN_FEATURES } from '../src/answer/span.js';
import { normalizeAnswer } from './answer-metrics.js';
const shared = '/work/shared/data';
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(shared, 'xquad', f), 'utf8'));
const de = read('xquad-dev.de.json'); const en = read('xquad-dev.en.json');
const parts = splitUnits(de.data.map((a: any) => a.title));
const enQ = new Map<string, string>();
for (const a of en.data) for (const p of a.paragraphs) for (const q of p.qas) enQ.set(q.id, q.question);
const rows: any[] = [];
for (const nearMiss of [false, true]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nm-')); fs.mkdirSync(path.join(dir, 'corpus'));
  const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
  const asked: any[] = [];
  for (const [ai, art] of de.data.entries()) for (const [pi, p] of art.paragraphs.entries()) {
    let text = p.context; const tuning = parts.get(art.title) === 'tuning';
    for (const [qi, q] of p.qas.entries()) {
      const gold = q.answers[0]; if (!gold || !tuning || (nearMiss && qi > 0)) continue;
      if (nearMiss) { const cut = cutAnswerSentence(p.context, gold.text, gold.answer_start ?? -1); if (cut === null) continue; text = cut; }
      for (const question of [q.question, enQ.get(q.id)]) if (question) asked.push({ gold: gold.text, question });
    }
    await d.ingest({ text, title: `${ai}/${pi}`, source: `eval:${ai}/${pi}` });
  }
  for (const a of asked) {
    let pickF: number[] | null = null; let quote = '';
    let span: number | null = null; let spanX: number[] | null = null;
    SPAN_TRACE.on = (t) => { const m = spanModels(); const mm = t.typed ? m.number : m.other; if (!mm) return; let b = -1e9, bx = null as any; t.features.forEach((x) => { const s = spanScore(mm, x); if (s > b) { b = s; bx = x; } }); span = b; spanX = bx; };
    const ans = await d.ask(a.question, { limit: nearMiss ? undefined : 10, onSentences: (r) => { const p = r.find((x) => x.picked); if (p) { pickF = p.features; quote = p.quote; } } });
    SPAN_TRACE.on = null;
    rows.push({ nearMiss, q: a.question, refused: ans.abstained || !!ans.notStated, type: ans.answerType, short: ans.short ?? null, span, spanX, pickF, hit: normalizeAnswer(quote, false).includes(normalizeAnswer(a.gold, false)) });
  }
  await d.close(); fs.rmSync(dir, { recursive: true, force: true });
}
fs.writeFileSync('/tmp/nm.json', JSON.stringify({ rows, SENTENCE_FEATURES, SPAN_FEATURES }));
