#!/usr/bin/env bash
# Moves the contract's pin to authentik release VERSION (default: the newest
# release of @goauthentik/api) and refreshes the release matrix:
#   - fetches the schema.yml that the npm package @goauthentik/api@VERSION ships
#     (npm pack checks the registry's integrity hash), cuts the flow-configuration
#     API out of it (cmd/cutschema: every path under /flows/instances/,
#     /flows/bindings/ and /stages/, with the components they reference; it fails
#     if a path the SDK uses is missing) into testdata/stages-openapi-VERSION.json
#     and writes VERSION to testdata/PIN;
#   - does the same, leniently, for every release from 2025.8.0 (the first that
#     ships schema.yml) to VERSION, into testdata/releases/, with RELEASES
#     listing each release, its schema's sha256 and its cut;
#   - runs the contract tests; TestReleaseTableInREADME prints the README's
#     table of supported releases if it changed.
# Usage: contract/refresh-schema.sh [VERSION]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
version="${1:-$(npm view @goauthentik/api version)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/cutschema" ./cmd/cutschema

fetch() { # fetch VERSION: $tmp/VERSION/package/schema.yml
  mkdir -p "$tmp/$1"
  (cd "$tmp/$1" && npm pack --silent "@goauthentik/api@$1" >/dev/null && tar xzf goauthentik-api-*.tgz package/schema.yml)
}

fetch "$version"
old=$(cat testdata/PIN 2>/dev/null || true)
"$tmp/cutschema" "$tmp/$version/package/schema.yml" >"testdata/stages-openapi-$version.json"
if [ -n "$old" ] && [ "$old" != "$version" ]; then rm -f "testdata/stages-openapi-$old.json"; fi
echo "$version" >testdata/PIN

# Every release from 2025.8.0 to the pin, without pre-releases.
releases=$(npm view @goauthentik/api versions --json | tr -d '[]", ' | tr '\n' ' ' |
  tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V |
  awk -v pin="$version" '{ if ($0 == pin) { print; exit } print }' |
  awk -F. '($1 > 2025) || ($1 == 2025 && $2 >= 8)')
rm -f testdata/releases/*.json
{
  echo "# Every release of @goauthentik/api from 2025.8.0 (the first to ship schema.yml) to the pin:"
  echo "# version, sha256 of its schema.yml, the cut (cmd/cutschema -missing-ok) it shares with releases whose"
  echo "# cut is the same but for info.version. Refreshed by ../../refresh-schema.sh."
} >"$tmp/RELEASES"
last_cut="" last_file=""
for v in $releases; do
  [ -f "$tmp/$v/package/schema.yml" ] || fetch "$v"
  "$tmp/cutschema" -missing-ok "$tmp/$v/package/schema.yml" >"$tmp/$v.json"
  cut=$(sed 's/"version": "[^"]*"/"version": ""/' "$tmp/$v.json" | sha256sum | cut -c1-64)
  if [ "$cut" != "$last_cut" ]; then
    cp "$tmp/$v.json" "testdata/releases/$v.json"
    last_cut=$cut last_file="$v.json"
  fi
  echo "$v $(sha256sum "$tmp/$v/package/schema.yml" | cut -c1-64) $last_file" >>"$tmp/RELEASES"
done
cp "$tmp/RELEASES" testdata/releases/RELEASES
go test -count=1 ./...
