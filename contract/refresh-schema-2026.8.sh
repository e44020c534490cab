#!/usr/bin/env bash
# Refreshes the cut of authentik's newest schema that the write operations are
# checked against: fetches the schema.yml shipped in the npm package
# @goauthentik/api (version $1, default 2026.8.3), cuts the SDK's operations out
# of it (cmd/cutschema), records the full schema's sha256, and runs the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-2026.8.3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@goauthentik/api@$version" >/dev/null && tar xzf goauthentik-api-*.tgz package/schema.yml)
out="$here/testdata/stages-openapi-$version.json"
(cd "$here" && go run ./cmd/cutschema "$tmp/package/schema.yml" >"$out")
(cd "$tmp/package" && sha256sum schema.yml) |
  awk -v v="$version" '{print $1"  schema.yml of @goauthentik/api@"v" (the schema stages-openapi-"v".json was cut from)"}' \
  >"$here/testdata/schema-$version.sha256"
cd "$here" && go test -count=1 ./...
