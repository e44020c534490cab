#!/usr/bin/env bash
# Lays out /tmp/ct for coldbuild.sh and coldbuild-cpu.sh (Issue 18, compile time).
# Needs: a worktree of the SDK in /tmp/wt-bench
#   (git -C <repo> worktree add -f /tmp/wt-bench <commit>)
# and the official client's source (module goauthentik.io/api/v3) in /tmp/clientgo,
#   e.g. a checkout of goauthentik/client-go at tag v3.2026020.2 (the module proxy
#   answered 403 for that module here, so it cannot be required by version).
set -euo pipefail
mkdir -p /tmp/ct/sdk /tmp/ct/cg /tmp/ct/base && cd /tmp/ct
printf 'module ctsdk\n\ngo 1.23\n\nrequire github.com/authentik-go/authentik v0.0.0\n\nreplace github.com/authentik-go/authentik => /tmp/wt-bench\n' > sdk/go.mod
printf 'package probe\n\nimport _ "github.com/authentik-go/authentik"\n' > sdk/probe.go
printf 'module ctcg\n\ngo 1.25\n\nrequire goauthentik.io/api/v3 v3.2026020.2\n\nreplace goauthentik.io/api/v3 => /tmp/clientgo\n' > cg/go.mod
printf 'package probe\n\nimport _ "goauthentik.io/api/v3"\n' > cg/probe.go
printf 'module ctbase\n\ngo 1.23\n' > base/go.mod
printf 'package probe\n\nimport (\n\t_ "encoding/json"\n\t_ "net/http"\n)\n' > base/probe.go
for d in sdk cg base; do (cd $d && go mod tidy && go mod download); done
# The seed: every std package compiled once, copied into each seeded run's fresh GOCACHE.
rm -rf stdcache && GOCACHE=/tmp/ct/stdcache go build std
