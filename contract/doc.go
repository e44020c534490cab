// Package contract holds the SDK to authentik's real OpenAPI schemas: the
// pinned release (the newest, testdata/PIN, cut from the schema.yml that the npm
// package @goauthentik/api ships) and every release from 2025.8.0 on
// (testdata/releases): a drift checker between the schema and the Go models,
// options and request types, request and response validation with kin-openapi,
// the release matrix (every release's requests and responses, and the README's
// table of what changed), and end-to-end runs against a Prism mock server
// generated from the pinned schema. It is a module of its own so that the SDK's go.mod
// keeps only the SDK's dependencies; its tests are part of the README's test command.
package contract
