/**
 * `npm run model:fetch` — download the embedding model (MODEL_ID, default
 * Xenova/multilingual-e5-small, ~118 MB quantised) into MODEL_CACHE_DIR once, with progress bars,
 * so the bot can later start without network. Reads the same configuration as the bot (.env,
 * environment). With MODEL_DIR set it only checks that the offline copy loads.
 *
 * Exit code 0 when the model loads and embeds, 1 otherwise (the reason is printed).
 */
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config.js';
import { createTransformersEmbedder, describeLoadError, modelSource, type ModelProgress } from '../src/embed/transformers.js';

const mb = (n: number) => (n / 1e6).toFixed(1);

const HELP = `Usage: npm run model:fetch [-- --help]

Downloads the embedding model (MODEL_ID, default Xenova/multilingual-e5-small, ~118 MB) from
MODEL_REMOTE_HOST (default https://huggingface.co/) into MODEL_CACHE_DIR (default .cache/models),
with progress bars, so that the bot and the CLI use dense retrieval without network afterwards
(the CLI never downloads by itself). With MODEL_DIR set, only checks that the offline copy loads.
Settings come from .env or the environment (see .env.example). Exit code 0 when the model loads.
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  if (args.length > 0) {
    process.stderr.write(`model:fetch: unknown argument ${args[0]}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const src = modelSource(config);
  const where = src.mode === 'local' ? `offline copy in MODEL_DIR=${config.MODEL_DIR}` : `${src.remoteHost} → cache ${src.cacheDir}`;
  process.stderr.write(`Model ${config.MODEL_ID} (${src.onnxFile}) from ${where}\n`);

  const bars = new cliProgress.MultiBar(
    { format: ' {bar} {percentage}% | {file} | {size}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const perFile = new Map<string, cliProgress.SingleBar>();
  const onProgress = (p: ModelProgress) => {
    if (!p.file) return;
    let bar = perFile.get(p.file);
    if (!bar && (p.status === 'progress' || p.status === 'done')) {
      bar = bars.create(100, 0, { file: p.file, size: '' });
      perFile.set(p.file, bar);
    }
    if (!bar) return;
    if (p.status === 'progress') {
      const size = p.total ? `${mb(p.loaded ?? 0)} / ${mb(p.total)} MB` : `${mb(p.loaded ?? 0)} MB`;
      bar.update(Math.min(100, Math.round(p.progress ?? 0)), { file: p.file, size });
    } else if (p.status === 'done') {
      bar.update(100, { file: p.file });
    }
  };

  const t0 = Date.now();
  try {
    const embedder = await createTransformersEmbedder(config, { onProgress });
    bars.stop();
    const [v] = await embedder.embed(['Probe'], 'passage');
    process.stderr.write(
      `Ready: ${config.MODEL_ID}, ${embedder.dim}-dimensional vectors (checked: |v| = ${Math.hypot(...v).toFixed(3)}), ${((Date.now() - t0) / 1000).toFixed(1)} s.\n` +
        (src.mode === 'remote' ? `The bot now loads it from ${src.cacheDir} without network.\n` : ''),
    );
    await embedder.dispose();
  } catch (err) {
    bars.stop();
    process.stderr.write(`Could not fetch ${config.MODEL_ID}: ${describeLoadError(err)}\n`);
    if (src.mode === 'remote') process.stderr.write(`Check the network and MODEL_REMOTE_HOST (${src.remoteHost}), or copy the model into MODEL_DIR.\n`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`model:fetch failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
