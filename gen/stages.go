package main

// The stage types: one declaration each. Their defaults, Django names and
// references are authentik's models (authentik/stages/<type>/models.py, and
// authentik/enterprise/stages/... for the enterprise ones), the validators
// their serializers (api.py); the schema gives the rest.

// stage declares a stage type served at stages/<path>: Component is the
// schema's, app its Django app_label, ui its component, verbose its
// verbose_name (with an "s" its plural).
func stage(component, path, nouns, app, ui, verbose string, f fake) resource {
	f.App, f.UI, f.Verbose, f.VerbosePlural = app, ui, verbose, verbose+"s"
	if f.Source == "" {
		f.Source = "the " + component + " model, serializer and viewset of " + app
	}
	return resource{Component: component, Path: "stages/" + path, Nouns: nouns, Fake: f}
}

// configurable are the fields of ConfigurableStage and FriendlyNamedStage
// (authentik/flows/models.py) that the authenticator setup stages share:
// configure_flow is ForeignKey(Flow, null=True, on_delete=SET_NULL);
// friendly_name a TextField(blank=True), "" by default since 2025.10.
func configurable(defaults map[string]any) fake {
	defaults["friendly_name"] = ""
	return fake{Defaults: defaults, Refs: map[string]string{"configure_flow": "Flow setNull"}}
}

// timedelta are fields with timedelta_string_validator.
func timedelta(fields ...string) map[string][]string {
	out := map[string][]string{}
	for _, f := range fields {
		out[f] = []string{"timedeltaString"}
	}
	return out
}

// stageTypes are every stage type but the email and invitation stages
// (resources.go), by path.
var stageTypes = []resource{
	stage("AccountLockdownStage", "account_lockdown/", "account lockdown stages", "authentik_stages_account_lockdown",
		"ak-stage-account-lockdown-form", "Account Lockdown Stage", fake{
			Defaults: map[string]any{"deactivate_user": true, "set_unusable_password": true, "delete_sessions": true,
				"revoke_tokens": true},
			Refs: map[string]string{"self_service_completion_flow": "Flow setNull"}}),
	stage("AuthenticatorDuoStage", "authenticator/duo/", "Duo authenticator setup stages", "authentik_stages_authenticator_duo",
		"ak-stage-authenticator-duo-form", "Duo Authenticator Setup Stage",
		configurable(map[string]any{"admin_integration_key": "", "admin_secret_key": ""})),
	stage("AuthenticatorEmailStage", "authenticator/email/", "email authenticator setup stages",
		"authentik_stages_authenticator_email", "ak-stage-authenticator-email-form", "Email Authenticator Setup Stage",
		withValidators(configurable(map[string]any{"use_global_settings": false, "host": "localhost", "port": 25, "username": "",
			"password": "", "use_tls": false, "use_ssl": false, "timeout": 10, "from_address": "system@authentik.local",
			"subject": "authentik Sign-in code", "token_expiry": "minutes=30", "template": "email/email_otp.html"}),
			timedelta("token_expiry"))),
	stage("AuthenticatorEndpointGDTCStage", "authenticator/endpoint_gdtc/", "Google Device Trust endpoint authenticator stages",
		"authentik_stages_authenticator_endpoint_gdtc", "ak-stage-authenticator-endpoint-gdtc-form",
		"Endpoint Authenticator Google Device Trust Connector Stage", configurable(map[string]any{})),
	stage("AuthenticatorSMSStage", "authenticator/sms/", "SMS authenticator setup stages", "authentik_stages_authenticator_sms",
		"ak-stage-authenticator-sms-form", "SMS Authenticator Setup Stage",
		configurable(map[string]any{"auth_password": "", "auth_type": "basic", "verify_only": false})),
	stage("AuthenticatorStaticStage", "authenticator/static/", "static authenticator setup stages",
		"authentik_stages_authenticator_static", "ak-stage-authenticator-static-form", "Static Authenticator Setup Stage",
		configurable(map[string]any{"token_count": 6, "token_length": 12})),
	stage("AuthenticatorTOTPStage", "authenticator/totp/", "TOTP authenticator setup stages", "authentik_stages_authenticator_totp",
		"ak-stage-authenticator-totp-form", "TOTP Authenticator Setup Stage", configurable(map[string]any{})),
	stage("AuthenticatorValidateStage", "authenticator/validate/", "authenticator validation stages",
		"authentik_stages_authenticator_validate", "ak-stage-authenticator-validate-form", "Authenticator Validation Stage", fake{
			Defaults: map[string]any{"not_configured_action": "skip",
				"device_classes":       []any{"static", "totp", "webauthn", "duo", "sms", "email"},
				"configuration_stages": []any{}, "last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred",
				"webauthn_hints": []any{}, "webauthn_allowed_device_types": []any{}, "email_otp_throttling_factor": 1.0,
				"sms_otp_throttling_factor": 1.0, "totp_otp_throttling_factor": 1.0, "static_otp_throttling_factor": 1.0},
			Validators: timedelta("last_auth_threshold"),
			Refs: map[string]string{"configuration_stages": "Stage manyPKs",
				"webauthn_allowed_device_types": "WebAuthnDeviceType manyPKs"},
			Spec: map[string]string{"check": "checkAuthenticatorValidate"}}),
	stage("AuthenticatorWebAuthnStage", "authenticator/webauthn/", "WebAuthn authenticator setup stages",
		"authentik_stages_authenticator_webauthn", "ak-stage-authenticator-webauthn-form", "WebAuthn Authenticator Setup Stage",
		withRefs(configurable(map[string]any{"user_verification": "preferred", "resident_key_requirement": "preferred", "hints": []any{},
			"device_type_restrictions": []any{}, "max_attempts": 0}), "device_type_restrictions", "WebAuthnDeviceType manyPKs")),
	stage("CaptchaStage", "captcha/", "captcha stages", "authentik_stages_captcha", "ak-stage-captcha-form", "Captcha Stage", fake{
		Defaults: map[string]any{"interactive": false, "score_min_threshold": 0.5, "score_max_threshold": 1.0,
			"error_on_invalid_score": true, "js_url": "https://www.recaptcha.net/recaptcha/api.js",
			"api_url": "https://www.recaptcha.net/recaptcha/api/siteverify", "request_content_type": "application/x-www-form-urlencoded"}}),
	stage("ConsentStage", "consent/", "consent stages", "authentik_stages_consent", "ak-stage-consent-form", "Consent Stage", fake{
		Defaults: map[string]any{"mode": "expiring", "consent_expire_in": "weeks=4"}, Validators: timedelta("consent_expire_in")}),
	stage("DenyStage", "deny/", "deny stages", "authentik_stages_deny", "ak-stage-deny-form", "Deny Stage", fake{
		Defaults: map[string]any{"deny_message": ""}}),
	stage("DummyStage", "dummy/", "dummy stages (for tests)", "authentik_stages_dummy", "ak-stage-dummy-form", "Dummy Stage", fake{
		Defaults: map[string]any{"throw_error": false}}),
	stage("EndpointStage", "endpoints/", "endpoint stages", "authentik_endpoints", "ak-endpoints-stage-form", "Endpoint Stage", fake{
		Defaults: map[string]any{"mode": "optional"},
		// A Connector the fake does not serve: connector_obj shows its pk only.
		Refs: map[string]string{"connector": "Connector cascade"}}),
	stage("IdentificationStage", "identification/", "identification stages", "authentik_stages_identification",
		"ak-stage-identification-form", "Identification Stage", fake{
			// user_fields: ArrayField(blank=True) without a default; the fake
			// stores none as [].
			Defaults: map[string]any{"case_insensitive_matching": true, "show_matched_user": true, "pretend_user_exists": true,
				"enable_remember_me": false, "sources": []any{}, "show_source_labels": false, "user_fields": []any{}},
			Refs: map[string]string{"password_stage": "PasswordStage setNull", "captcha_stage": "CaptchaStage setNull",
				"webauthn_stage": "AuthenticatorValidateStage setNull", "enrollment_flow": "Flow setDefault",
				"recovery_flow": "Flow setDefault", "passwordless_flow": "Flow setDefault"},
			Spec: map[string]string{"check": "checkIdentification"}}),
	stage("MutualTLSStage", "mtls/", "mutual TLS stages", "authentik_stages_mtls", "ak-stage-mtls-form", "Mutual TLS Stage", fake{
		Defaults: map[string]any{"certificate_authorities": []any{}},
		// A CertificateKeyPair the fake does not serve: every value is an
		// unknown choice.
		Filters: map[string]string{"certificate_authorities": `{param: "certificate_authorities", kind: refsFilter, ref: "CertificateKeyPair"}`}}),
	stage("PasswordStage", "password/", "password stages", "authentik_stages_password", "ak-stage-password-form", "Password Stage", fake{
		Defaults: map[string]any{"failed_attempts_before_cancel": 5, "allow_show_password": false},
		Refs:     map[string]string{"configure_flow": "Flow setNull"}}),
	stage("PromptStage", "prompt/stages/", "prompt stages", "authentik_stages_prompt", "ak-stage-prompt-form", "Prompt Stage", fake{
		Defaults: map[string]any{"validation_policies": []any{}},
		Refs:     map[string]string{"fields": "Prompt manyPKs"},
		Filters:  map[string]string{"validation_policies": `{param: "validation_policies", kind: refsFilter, ref: "Policy"}`}}),
	stage("RedirectStage", "redirect/", "redirect stages", "authentik_stages_redirect", "ak-stage-redirect-form", "Redirect Stage", fake{
		Defaults: map[string]any{"keep_context": true, "target_static": ""},
		Refs:     map[string]string{"target_flow": "Flow setNull"},
		Spec:     map[string]string{"check": "checkRedirect"}}),
	stage("SourceStage", "source/", "source stages", "authentik_stages_source", "ak-stage-source-form", "Source Stage", fake{
		Defaults: map[string]any{"resume_timeout": "minutes=10", "resume_on_match_failures": []any{}}, Validators: timedelta("resume_timeout")}),
	stage("UserDeleteStage", "user_delete/", "user delete stages", "authentik_stages_user_delete", "ak-stage-user-delete-form",
		"User Delete Stage", fake{}),
	stage("UserLoginStage", "user_login/", "user login stages", "authentik_stages_user_login", "ak-stage-user-login-form",
		"User Login Stage", fake{
			Defaults: map[string]any{"session_duration": "seconds=0", "network_binding": "no_binding", "geoip_binding": "no_binding",
				"terminate_other_sessions": false, "remember_me_offset": "seconds=0", "remember_device": "days=30"},
			Validators: timedelta("session_duration", "remember_me_offset", "remember_device")}),
	stage("UserLogoutStage", "user_logout/", "user logout stages", "authentik_stages_user_logout", "ak-stage-user-logout-form",
		"User Logout Stage", fake{}),
	stage("UserWriteStage", "user_write/", "user write stages", "authentik_stages_user_write", "ak-stage-user-write-form",
		"User Write Stage", fake{
			Defaults: map[string]any{"user_creation_mode": "create_when_required", "create_users_as_inactive": false,
				"user_path_template": "", "user_type": "external"}}),
	{Component: "Stage", Path: "stages/all/", Nouns: "stages of every type", Plural: "Stages", Routes: []string{"/stages/all/types/"},
		Summary: "every stage of any type: list, get, delete, used_by, and the types there are",
		Fake: fake{App: "authentik_flows", Source: "StageViewSet (authentik/flows/api/stages.py): every stage, " +
			"each as StageSerializer shows it, read and delete only",
			Actions: map[string]string{"types": "stageTypesAction"},
			Spec:    map[string]string{"union": "stageBase", "show": "stageFields"}}},
	{Component: "WebAuthnDeviceType", Path: "stages/authenticator/webauthn_device_types/", Key: "aaguid",
		Nouns: "WebAuthn device types", Summary: "the authenticator models WebAuthn stages can allow (read-only)",
		Fake: fake{App: "authentik_stages_authenticator_webauthn",
			Source: "WebAuthnDeviceTypeViewSet (authentik/stages/authenticator_webauthn/api/device_types.py), read-only: " +
				"the rows come from the FIDO metadata import, so the fake starts with none (add them with Add)",
			Search: []string{"description", "aaguid"},
			Spec:   map[string]string{"order": `"description"`, "add": "addDeviceType"}}},
	{Component: "Prompt", Path: "stages/prompt/prompts/", Nouns: "prompts", Summary: "the fields prompt stages ask for",
		Fake: fake{App: "authentik_stages_prompt",
			Source: "PromptViewSet and PromptSerializer (authentik/stages/prompt/api.py) on the Prompt model (models.py)",
			Defaults: map[string]any{"required": true, "placeholder": "", "initial_value": "", "sub_text": "", "order": 0,
				"placeholder_expression": false, "initial_value_expression": false},
			Search: []string{"field_key", "name", "label", "type", "placeholder"},
			Spec: map[string]string{"order": `"field_key"`, "unique": "promptUnique", "str": "promptStr",
				// PromptSerializer.prompt_stages_obj: the prompt stages whose fields hold it.
				"reverse": `[]reverseList{{field: "prompt_stages_obj", model: "PromptStage", via: "fields"}}`}}},
}

func withRefs(f fake, field, ref string) fake {
	f.Refs[field] = ref
	return f
}

func withValidators(f fake, v map[string][]string) fake {
	f.Validators = v
	return f
}
