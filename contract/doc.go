// Package contract holds the SDK to authentik's real OpenAPI schema (authentik
// 2026.2.2, testdata/stages-openapi.yml, copied from ../shared/authentik): a drift
// checker between the schema and the Go models and options, request and response
// validation with kin-openapi, and end-to-end runs against a Prism mock server
// generated from the schema. It is a module of its own so that the SDK's go.mod
// keeps only the SDK's dependencies; its tests are part of the README's test command.
package contract
