#!/usr/bin/env bash
# Runs every test of pufa. Browser tests need Chromium (apt-get install chromium)
# and axe-core (npm ci); the corpus-wide tests need ../shared/corpus and run when
# it is present (always under CI=true).
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local
go test -race -timeout 25m ./... "$@"
# The whole-corpus build checks a memory limit, which the race detector
# distorts: it runs once more without it.
go test -count=1 -timeout 15m -run 'TestCorpusBuild' ./internal/pipeline "$@"
