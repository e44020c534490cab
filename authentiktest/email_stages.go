package authentiktest

import (
	"reflect"

	"github.com/authentik-go/authentik"
)

// emailStages are EmailStageViewSet and EmailStageSerializer
// (authentik/stages/email/api.py) on the EmailStage model's fields and
// defaults (models.py), a Stage (stages.go).
var emailStages = &collection{
	path: "stages/email/", model: "EmailStage", app: "authentik_stages_email", base: stageBase,
	typ: reflect.TypeFor[authentik.EmailStage](), add: addStage,
	// EmailStageViewSet.filterset_fields.
	filters: []filterSpec{
		{param: "name", kind: charFilter}, {param: "use_global_settings", kind: boolWidget}, {param: "host", kind: charFilter},
		{param: "port", kind: numberFilter}, {param: "username", kind: charFilter}, {param: "use_tls", kind: boolWidget},
		{param: "use_ssl", kind: boolWidget}, {param: "timeout", kind: numberFilter}, {param: "from_address", kind: charFilter},
		{param: "token_expiry", kind: charFilter}, {param: "subject", kind: charFilter}, {param: "template", kind: charFilter},
		{param: "activate_user_on_success", kind: boolWidget},
	},
	ordering: fieldSet("pk", "name", "use_global_settings", "host", "port", "username", "use_tls", "use_ssl",
		"timeout", "from_address", "token_expiry", "subject", "template", "activate_user_on_success",
		"recovery_max_attempts", "recovery_cache_timeout"),
	fields: []field{
		{name: "name", kind: textField},
		{name: "use_global_settings", kind: boolField, def: false},
		{name: "host", kind: textField, def: "localhost"},
		{name: "port", kind: intField, def: int64(25), min: int32Min, max: int32Max},
		{name: "username", kind: blankTextField, def: ""},
		{name: "password", kind: blankTextField, def: "", writeOnly: true},
		{name: "use_tls", kind: boolField, def: false},
		{name: "use_ssl", kind: boolField, def: false},
		{name: "timeout", kind: intField, def: int64(10), min: int32Min, max: int32Max},
		{name: "from_address", kind: emailField, def: "system@authentik.local"},
		{name: "token_expiry", kind: textField, def: "minutes=30", validators: []validator{timedeltaString}},
		{name: "subject", kind: textField, def: "authentik"},
		{name: "template", kind: textField, def: "email/password_reset.html", validators: []validator{validateTemplate}},
		{name: "activate_user_on_success", kind: boolField, def: false},
		{name: "recovery_max_attempts", kind: intField, def: int64(5), min: 0, max: int32Max},
		{name: "recovery_cache_timeout", kind: textField, def: "minutes=5", validators: []validator{timedeltaString}},
	},
	computed: stageComputed("ak-stage-email-form", "Email Stage", "Email Stages", "authentik_stages_email.emailstage"),
	actions: map[string]action{
		"used_by":   usedBy,
		"templates": {serve: func(*Server, *collection, row) any { return templateList() }},
	},
}

// EmailStages returns the email stages the server holds now, ordered by name.
func (s *Server) EmailStages() []authentik.EmailStage {
	return snapshot[authentik.EmailStage](s, emailStages)
}

// AddEmailStages adds stages to the email stage list, as Add does. An empty
// PK is generated, and the values the server computes (component, verbose
// names, model name) are filled in. A PK the server holds already, as a
// stage of any type, is replaced by the new stage.
//
// The FlowSet says which flows the stage is bound to, and the server makes
// it so with flows and bindings of its own, which Objects, the flows and the
// bindings endpoints show. An entry naming a flow the server holds, by PK or
// else by Slug, is that flow (flow slugs are unique); another entry adds a
// flow with the entry's fields (an empty PK generated; its pk-derived
// fields, export URL and background URL computed; what a FlowSet lacks, such
// as its authentication, the model's default). An entry whose PK and Slug
// name different flows panics. The stage is then bound once to each entry's
// flow: a binding it has to that flow already is kept, one to a flow no
// entry names is deleted (a stage given again is bound as its FlowSet says),
// and a new binding goes last in its flow, at order 10 past the flow's
// highest (10 for a flow's first stage), with the model's defaults.
func (s *Server) AddEmailStages(stages ...authentik.EmailStage) {
	Add(s, stages...)
}

// emailTemplates are the templates authentik ships (authentik/stages/email/
// models.py, EmailTemplates, as get_template_choices lists them); a server
// with custom templates in its template directory adds those.
var emailTemplates = []authentik.EmailTemplate{
	{Name: "email/password_reset.html", Description: "Password Reset"},
	{Name: "email/account_confirmation.html", Description: "Account Confirmation"},
	{Name: "email/email_otp.html", Description: "Email OTP"},
	{Name: "email/event_notification.html", Description: "Event Notification"},
	{Name: "email/invitation.html", Description: "Invitation"},
}

// validateTemplate is EmailStageSerializer.validate_template.
func validateTemplate(s string) string {
	for _, t := range emailTemplates {
		if t.Name == s {
			return ""
		}
	}
	return "Invalid template '" + s + "' specified."
}

// templateList is the templates action (EmailStageViewSet.templates): a
// TypeCreateSerializer for each choice of get_template_choices, component and
// model_name empty.
func templateList() []map[string]any {
	out := make([]map[string]any, len(emailTemplates))
	for i, t := range emailTemplates {
		out[i] = map[string]any{"name": t.Name, "description": t.Description, "component": "", "model_name": "",
			"requires_enterprise": false, "deprecated": false}
	}
	return out
}
