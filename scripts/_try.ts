import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dossier } from '../src/core.js';
import { loadConfig } from '../src/config.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'try-'));
fs.mkdirSync(path.join(dir, 'corpus'));
const d = await Dossier.open(loadConfig({ DATA_DIR: path.join(dir, 'data'), CORPUS_DIR: path.join(dir, 'corpus'), LOG_LEVEL: 'warn', EMBEDDINGS: 'off' }));
await d.ingest({ title: 'Hafen Kiel', source: 't:a', text: 'Hafen Kiel\n\nDie Seehafen Kiel GmbH betreibt seit 2010 den neuen Containerhafen an der Förde. Geschäftsführer ist Dirk Claus. Im Stadtteil Gaarden wohnen rund 18.000 Haushalte, die seit 2019 an das Fernwärmenetz angeschlossen sind.\n\nDer Ausbau des Terminals kostet 85 Millionen Euro und soll bis 2027 fertig sein. Die neuen Kräne wiegen jeweils 1.200 Tonnen.' });
await d.ingest({ title: 'Leeds tram', source: 't:b', text: 'Leeds tram\n\nThe city of Leeds plans a new tram line. The line will be 14 kilometres long and will cost 520 million pounds. It is built by Northern Rail Partners Ltd, a company from York.\n\nAbout 40,000 households will live within walking distance of a stop. Construction starts in May 2026.' });
const qs = fs.readFileSync(0, 'utf8').trim().split('\n');
for (const q of qs) {
  const a = await d.ask(q);
  console.log(q, '→', a.answerType, JSON.stringify(a.short), a.abstained ? 'ABSTAIN' : a.notStated ? 'NOTSTATED' : '', '|', a.answer.slice(0, 110).replace(/\n/g, ' '));
}
await d.close();
fs.rmSync(dir, { recursive: true, force: true });
