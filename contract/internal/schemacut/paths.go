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

// SDKPaths are the operations the SDK sends, and the fake serves, today. The
// pinned release's cut must have each (cmd/cutschema fails without
// -missing-ok); older releases may lack some. The README's table of releases
// says what changed between releases in these operations.
var SDKPaths = []string{
	"/stages/email/",
	"/stages/email/{stage_uuid}/",
	"/stages/email/{stage_uuid}/used_by/",
	"/stages/email/templates/",
	"/stages/invitation/stages/",
	"/stages/invitation/stages/{stage_uuid}/",
	"/stages/invitation/stages/{stage_uuid}/used_by/",
	"/stages/invitation/invitations/",
	"/stages/invitation/invitations/{invite_uuid}/",
	"/stages/invitation/invitations/{invite_uuid}/used_by/",
	"/stages/invitation/invitations/{invite_uuid}/send_email/",
	"/flows/instances/",
	"/flows/instances/{slug}/",
}
