#!/usr/bin/env bash
# All tests: type check, lint (Biome), unit and oracle tests (Node), then the built app in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
[ -d node_modules ] || npm install
npx tsc --noEmit -p .
npm run -s lint
npm run -s test:unit
npx vite build --logLevel warn
npm run -s test:e2e
