package authentiktest

import (
	"fmt"
	"time"

	"github.com/authentik-go/authentik"
)

// The demo data: the email and invitation stages, and their flows, that
// authentik's own blueprints create (blueprints/example/ in authentik's source: the example
// recovery, enrollment, magic-link and invitation flows, and Scribe's admin
// invitation), with the defaults and computed values the server adds. Their
// UUIDs are fixed so that tests can name them; the server would generate them.
// Then generated stages, bound to no flow, so that both lists span several pages.
//
// One thing is not as imported: the demo's operator has pointed the recovery
// email at the organisation's own mail relay (demoSMTPRelay), so an audit of
// which flows send mail through which SMTP server finds one real answer among
// stages that use the global settings.

// WithDemoData loads the email and invitation stages, and the flows they are
// bound to, that authentik's own blueprints create, plus generated stages so that
// both lists span several pages at the default page size. Every email stage uses
// the global email settings except default-recovery-email, bound to
// default-recovery-flow, which sends through smtp.example.com:587 with STARTTLS.
func WithDemoData() Option {
	return func(s *Server) {
		email := demoEmailStages()
		demoSMTPRelay(&email[2]) // default-recovery-email
		s.AddEmailStages(email...)
		s.AddInvitationStages(demoInvitationStages()...)
		s.AddInvitations(demoInvitations()...)
	}
}

// demoSMTPRelay is the change an operator makes to a blueprint's email stage
// to send through their own SMTP server rather than the global settings: it
// fills in the connection fields that flows-recovery-email-mfa-verification.yaml
// spells out with their defaults (host, port, username, use_tls, use_ssl,
// from_address). The stage's password is write-only, so the API never shows
// it; the demo sets none.
func demoSMTPRelay(s *authentik.EmailStage) {
	s.UseGlobalSettings = false
	s.Host, s.Port, s.UseTLS, s.UseSSL = "smtp.example.com", 587, true, false
	s.Username, s.FromAddress = "authentik@example.com", "authentik@example.com"
}

const (
	demoEmailGenerated      = 42 // 45 email stages: three pages of 20
	demoInvitationGenerated = 20 // 25 invitation stages: two pages of 20
)

// flow is a flow with the model's defaults (authentik/flows/models.py): layout
// stacked, denied_action message_continue, policy_engine_mode any.
func flow(pk, name, slug, title string, d authentik.FlowDesignation) authentik.FlowSet {
	return authentik.FlowSet{
		PK: pk, PolicyBindingModelPtrID: pk, Name: name, Slug: slug, Title: title, Designation: d,
		Background: flowBackground, PolicyEngineMode: authentik.PolicyEngineModeAny,
		ExportURL: "/api/v3/flows/instances/" + slug + "/export/", Layout: authentik.FlowLayoutStacked,
		DeniedAction: authentik.DeniedActionMessageContinue,
	}
}

// emailStage is an email stage with the model's defaults (authentik/stages/email/models.py).
func emailStage(pk, name string, flows ...authentik.FlowSet) authentik.EmailStage {
	return authentik.EmailStage{
		PK: pk, Name: name, FlowSet: flows, Host: "localhost", Port: 25, Timeout: 10,
		FromAddress: "system@authentik.local", TokenExpiry: "minutes=30", Subject: "authentik",
		Template: "email/password_reset.html", RecoveryMaxAttempts: 5, RecoveryCacheTimeout: "minutes=5",
	}
}

func demoEmailStages() []authentik.EmailStage {
	// flows-login-email-magic-link.yaml
	magic := emailStage("5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b", "default-authentication-email-magic-link",
		flow("0b7c2fa6-5b0a-4a6c-9e54-3d1f3c2a9a11", "Default Authentication Flow", "default-authentication-flow",
			"Welcome to authentik!", authentik.FlowDesignationAuthentication))
	magic.UseGlobalSettings, magic.Subject, magic.Template = true, "authentik sign-in link", "email/account_confirmation.html"
	// flows-enrollment-email-verification.yaml
	enroll := emailStage("6e1d7a2f-9b5c-4a3f-8c4b-8d2e3f4a5b6c", "default-enrollment-email-verification",
		flow("1f0e6d7c-2b3a-4c5d-8e9f-0a1b2c3d4e5f", "Default enrollment Flow", "default-enrollment-flow",
			"Welcome to authentik!", authentik.FlowDesignationEnrollment))
	enroll.UseGlobalSettings, enroll.Template, enroll.ActivateUserOnSuccess = true, "email/account_confirmation.html", true
	// flows-recovery-email-mfa-verification.yaml, with Scribe's sidebar_right layout
	recoveryFlow := flow("2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", "Default recovery flow", "default-recovery-flow",
		"Reset your password", authentik.FlowDesignationRecovery)
	recoveryFlow.Layout = authentik.FlowLayoutSidebarRight
	recovery := emailStage("7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d", "default-recovery-email", recoveryFlow)
	recovery.UseGlobalSettings, recovery.ActivateUserOnSuccess = true, true

	// The blueprint stages as imported, which ../testdata's recorded pages
	// also hold (sdk_test.go compares the fake with them); WithDemoData then
	// applies demoSMTPRelay to the recovery email.
	stages := []authentik.EmailStage{magic, enroll, recovery}
	// Generated stages, bound to no flow, with the global settings as every
	// blueprint's email stage has them.
	expiries := []string{"minutes=30", "hours=1", "minutes=15", "days=1"}
	templates := []string{"email/password_reset.html", "email/account_confirmation.html"}
	for i := 1; i <= demoEmailGenerated; i++ {
		s := emailStage(fmt.Sprintf("e0000000-0000-4000-8000-%012d", i), fmt.Sprintf("demo-email-stage-%02d", i))
		s.UseGlobalSettings = true
		s.TokenExpiry = expiries[i%len(expiries)]
		s.Template = templates[i%len(templates)]
		s.ActivateUserOnSuccess = i%2 == 0
		stages = append(stages, s)
	}
	return stages
}

// invitationStage is an invitation stage with the model's default
// (continue_flow_without_invitation false).
func invitationStage(pk, name string, flows ...authentik.FlowSet) authentik.InvitationStage {
	return authentik.InvitationStage{PK: pk, Name: name, FlowSet: flows}
}

func demoInvitationStages() []authentik.InvitationStage {
	enrollment := func(pk, name, slug, title string) authentik.FlowSet {
		return flow(pk, name, slug, title, authentik.FlowDesignationEnrollment)
	}
	// scribe-internal-admin-invitation-flow.yaml
	admin := enrollment("4d5e6f7a-8b9c-4dae-9f01-2b3c4d5e6f7a", "Internal Admin Invitation", "internal-admin-invitation", "Authentik admin sign-up")
	admin.Layout = authentik.FlowLayoutSidebarRight
	stages := []authentik.InvitationStage{
		invitationStage("9cadbecf-d0e1-42f3-8456-7a8b9cadbecf", "internal-admin-invitation", admin),
		// flows-invitation-enrollment.yaml
		invitationStage("adbecfd0-e1f2-4304-9567-8b9cadbecfd0", "invitation-enrollment-invitation-external",
			enrollment("5e6f7a8b-9cad-4ebf-8012-3c4d5e6f7a8b", "Invitation Enrollment Flow (External Users)",
				"invitation-enrollment-flow-external", "Welcome! Complete your enrollment")),
		invitationStage("becfd0e1-f203-4415-8678-9cadbecfd0e1", "invitation-enrollment-invitation-internal",
			enrollment("6f7a8b9c-adbe-4fc0-9123-4d5e6f7a8b9c", "Invitation Enrollment Flow (Internal Users)",
				"invitation-enrollment-flow-internal", "Welcome! Complete your enrollment")),
		invitationStage("cfd0e1f2-0314-4526-9789-adbecfd0e1f2", "invitation-enrollment-invitation-internal-engineering",
			enrollment("7a8b9cad-becf-40d1-8234-5e6f7a8b9cad", "Invitation Enrollment Flow (Internal - Engineering Team)",
				"invitation-enrollment-flow-internal-engineering", "Welcome to the Engineering Team!")),
		// flows-invitation-enrollment-minimal.yaml, with its context defaults
		invitationStage("d0e1f203-1425-4637-889a-becfd0e1f203", "invitation-stage",
			enrollment("8b9cadbe-cfd0-41e2-9345-6f7a8b9cadbe", "Invitation Enrollment Flow",
				"invitation-enrollment-flow", "Invitation Enrollment Flow")),
	}
	for i := 1; i <= demoInvitationGenerated; i++ {
		s := invitationStage(fmt.Sprintf("f0000000-0000-4000-8000-%012d", i), fmt.Sprintf("demo-invitation-stage-%02d", i))
		s.ContinueFlowWithoutInvitation = i%4 == 0
		stages = append(stages, s)
	}
	return stages
}

// demoInvitations are invitations for the demo enrollment flows, as an admin
// onboarding people would create them: fixed data, single use, an expiry far
// ahead, and one any enrollment flow may use.
func demoInvitations() []authentik.Invitation {
	far := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	return []authentik.Invitation{
		{PK: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Name: "contractor-engineering", Expires: &far, SingleUse: true,
			FixedData: map[string]any{"email": "contractor@example.com", "name": "Alex Contractor"},
			Flow:      "7a8b9cad-becf-40d1-8234-5e6f7a8b9cad"},
		{PK: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", Name: "external-partner", Expires: &far,
			FixedData: map[string]any{}, Flow: "5e6f7a8b-9cad-4ebf-8012-3c4d5e6f7a8b"},
		{PK: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", Name: "open-invitation", FixedData: map[string]any{}},
	}
}
