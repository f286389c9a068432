#!/usr/bin/env bash
# One-time setup on a fresh machine: npm dependencies, the German–English dictionary (Debian
# package trans-de-en, read at run time, never copied into the repo) and the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[setup] installing npm dependencies (npm ci)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

DICT="${DICT_PATH:-/usr/share/trans/de-en}"
if [ -f "$DICT" ]; then
  echo "[setup] dictionary found at $DICT"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "[setup] installing the Ding dictionary (apt-get install trans-de-en)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends trans-de-en >/dev/null 2>&1; then
    apt-get update >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends trans-de-en >/dev/null 2>&1 \
      || echo "[setup] WARNING: could not install trans-de-en; cross-lingual matching will be off"
  fi
else
  echo "[setup] The German–English dictionary is missing. Without it English questions only match English words."
  echo "        Install it as root:  apt-get install trans-de-en   (or point DICT_PATH at a copy of the Ding de-en file)"
fi

mkdir -p "${DATA_DIR:-./data}"
# Parse the dictionary once into the cache (./.cache), so the first question does not wait for it.
echo "[setup] preparing the dictionary cache and the bundled corpus"
LOG_LEVEL=warn EMBEDDINGS=off npx tsx src/cli.ts list >/dev/null
echo "[setup] done. Try:  npm run ask -- \"How many ZT-180 drones per month?\""
