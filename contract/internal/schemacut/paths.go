package schemacut

// Prefixes are the paths (below /api/v3) the contract holds for every release:
// the whole flow-configuration API, that is flows, flow-stage bindings and
// every stage type (including /stages/all/, /stages/prompt/prompts/ and
// /stages/authenticator/webauthn_device_types/), with every operation the
// schema lists for them. /flows/executor/, /flows/inspector/ and the other
// /flows/ paths are not flow configuration and stay out.
var Prefixes = []string{
	"/flows/instances/",
	"/flows/bindings/",
	"/stages/",
}
