package authentiktest

import (
	"github.com/authentik-go/authentik"
)

// emailTemplatesAction is EmailStageViewSet.templates (a list action).
var emailTemplatesAction = action{serve: func(*Server, *collection, row) any { return templateList() }}

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
