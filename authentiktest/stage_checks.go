package authentiktest

// The serializers' checks of the stage types that read more than one field
// (authentik/stages/<type>/api.py), as the declarations name them.

// checkAuthenticatorValidate is AuthenticatorValidateStageSerializer's
// validate_not_configured_action: "configure" needs a configuration stage
// (it reads the request's configuration_stages).
func checkAuthenticatorValidate(v map[string]any) (string, string) {
	if v["not_configured_action"] == "configure" && len(pkList(v["configuration_stages"])) == 0 {
		return "not_configured_action", `When "Not configured action" is set to "Configure", you must set a configuration stage.`
	}
	return "", ""
}

// checkIdentification is IdentificationStageSerializer.validate: with no
// user fields, a source must be selected. It reads attrs, what the request
// sent: a PATCH that sends neither fails too, as on a real server.
func checkIdentification(v map[string]any) (string, string) {
	if len(pkList(v["user_fields"])) == 0 && len(pkList(v["sources"])) == 0 {
		return "", "When no user fields are selected, at least one source must be selected"
	}
	return "", ""
}

// checkRedirect is RedirectStageSerializer.validate: the mode's target must
// be set.
func checkRedirect(v map[string]any) (string, string) {
	switch {
	case v["mode"] == "static" && (v["target_static"] == nil || v["target_static"] == ""):
		return "", "Target URL should be present when mode is Static."
	case v["mode"] == "flow" && v["target_flow"] == nil:
		return "", "Target Flow should be present when mode is Flow."
	}
	return "", ""
}
