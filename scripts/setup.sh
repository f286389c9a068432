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

# PostgreSQL binaries for the shared-store tests (tests/kit/postgres.ts starts a throwaway cluster
# with initdb + pg_ctl; no system service is started or enabled here).
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "[setup] PostgreSQL found"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "[setup] installing PostgreSQL binaries (apt-get install postgresql; service not started)"
  # policy-rc.d exit 101 keeps Debian's maintainer scripts from starting the cluster service.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1; }; } \
    || echo "[setup] WARNING: could not install postgresql; the PostgreSQL test suites will be skipped"
  rm -f /usr/sbin/policy-rc.d
else
  echo "[setup] PostgreSQL is not installed; the PostgreSQL test suites will be skipped (apt-get install postgresql as root)"
fi

mkdir -p "${DATA_DIR:-./data}"
# Parse the dictionary once into the cache (./.cache), so the first question does not wait for it.
echo "[setup] preparing the dictionary cache and the bundled corpus"
LOG_LEVEL=warn EMBEDDINGS=off npx tsx src/cli.ts list >/dev/null
echo "[setup] done. Try:  npm run ask -- \"How many ZT-180 drones per month?\""
