#!/usr/bin/env bash
# Refreshes the schema the contract tests check against from ../shared/authentik
# (or the folder given as $1), then runs them: a drift in the SDK's models,
# options or enums shows up as failures naming each field, parameter or value.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:-$here/../../shared/authentik}"
cp "$src/stages-openapi.yml" "$src/PROVENANCE.md" "$here/testdata/"
(cd "$src" && sha256sum schema-full.yml) |
  awk '{print $1"  schema-full.yml (the upstream schema stages-openapi.yml was cut from; see PROVENANCE.md)"}' \
  > "$here/testdata/schema-full.sha256"
cd "$here" && go test -count=1 ./...
