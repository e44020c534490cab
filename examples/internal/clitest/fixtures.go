package clitest

import "github.com/authentik-go/authentik"

// The fixtures are stages as authentik's example blueprints create them
// (blueprints/example/flows-recovery-email-mfa-verification.yaml,
// flows-login-email-magic-link.yaml, flows-invitation-enrollment.yaml and
// blueprints/scribe/scribe-internal-admin-invitation-flow.yaml), for tests to
// load into authentiktest's fake with AddEmailStages and AddInvitationStages.
// Fields a blueprint leaves out have the model's defaults; the UUIDs are made
// up. What the server computes (component, verbose names, model name, a flow's
// export URL and background) the fake fills in. As in authentiktest's demo
// data, the recovery email has been changed after the import to send through
// its own SMTP server; the magic link's uses the global settings.

// RecoveryEmail is "default-recovery-email", bound to default-recovery-flow,
// sending through smtp.example.com:587 with STARTTLS: the SMTP fields its
// blueprint spells out, filled in (the password, which the API never shows,
// aside).
var RecoveryEmail = authentik.EmailStage{
	PK:   "4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31",
	Name: "default-recovery-email",
	FlowSet: flow("9d3e7f21-5c4b-4a8e-b1f6-0e2d3c4b5a69", "Default recovery flow", "default-recovery-flow",
		"Reset your password", authentik.FlowDesignationRecovery, authentik.FlowLayoutStacked),
	UseGlobalSettings: false, Host: "smtp.example.com", Port: 587, Username: "authentik@example.com",
	UseTLS: true, Timeout: 10, FromAddress: "authentik@example.com", TokenExpiry: "minutes=30", Subject: "authentik",
	Template: "email/password_reset.html", ActivateUserOnSuccess: true,
	RecoveryMaxAttempts: 5, RecoveryCacheTimeout: "minutes=5",
}

// MagicLinkEmail is "default-authentication-email-magic-link", bound to
// default-authentication-flow.
var MagicLinkEmail = authentik.EmailStage{
	PK:   "e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6",
	Name: "default-authentication-email-magic-link",
	FlowSet: flow("1f8b2d47-6e3a-4c91-a5d0-b7c2e9f41d58", "Default Authentication Flow", "default-authentication-flow",
		"Welcome to authentik!", authentik.FlowDesignationAuthentication, authentik.FlowLayoutStacked),
	UseGlobalSettings: true, Host: "localhost", Port: 25, Timeout: 10,
	FromAddress: "system@authentik.local", TokenExpiry: "minutes=30", Subject: "authentik sign-in link",
	Template:            "email/account_confirmation.html",
	RecoveryMaxAttempts: 5, RecoveryCacheTimeout: "minutes=5",
}

// ExternalInvitation is "invitation-enrollment-invitation-external", bound to
// invitation-enrollment-flow-external.
var ExternalInvitation = authentik.InvitationStage{
	PK:   "3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946",
	Name: "invitation-enrollment-invitation-external",
	FlowSet: flow("8e2a4f60-1d9c-4b37-a6e5-0f3b7c9d2e81", "Invitation Enrollment Flow (External Users)",
		"invitation-enrollment-flow-external", "Welcome! Complete your enrollment",
		authentik.FlowDesignationEnrollment, authentik.FlowLayoutStacked),
}

// InternalInvitation is "invitation-enrollment-invitation-internal", bound to
// invitation-enrollment-flow-internal.
var InternalInvitation = authentik.InvitationStage{
	PK:   "a1f5c8d3-9e2b-4a64-b07c-5d8e1f2a3b94",
	Name: "invitation-enrollment-invitation-internal",
	FlowSet: flow("d6b3e9f2-0a4c-4d81-8f57-c2e6a1b9d043", "Invitation Enrollment Flow (Internal Users)",
		"invitation-enrollment-flow-internal", "Welcome! Complete your enrollment",
		authentik.FlowDesignationEnrollment, authentik.FlowLayoutStacked),
}

// AdminInvitation is "internal-admin-invitation" from the scribe blueprint,
// bound to internal-admin-invitation, a flow with a non-default layout.
var AdminInvitation = authentik.InvitationStage{
	PK:   "f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25",
	Name: "internal-admin-invitation",
	FlowSet: flow("2b9d6c41-e8f3-4a07-b5c2-6e0a9d3f1b78", "Internal Admin Invitation", "internal-admin-invitation",
		"Authentik admin sign-up", authentik.FlowDesignationEnrollment, authentik.FlowLayoutSidebarRight),
}

// UnboundInvitation is "invitation-stage" from
// flows-invitation-enrollment-minimal.yaml, imported with the context
// continue_flow_without_invitation: true, and not (yet) bound to a flow: the
// one fixture for an empty FLOWS cell and a true CONTINUE WITHOUT INVITATION.
var UnboundInvitation = authentik.InvitationStage{
	PK:                            "6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42",
	Name:                          "invitation-stage",
	ContinueFlowWithoutInvitation: true,
}

// flow is the one flow a fixture is bound to, with the model's defaults for
// what its blueprint does not set.
func flow(pk, name, slug, title string, d authentik.FlowDesignation, layout authentik.FlowLayout) []authentik.FlowSet {
	return []authentik.FlowSet{{
		PK: pk, Name: name, Slug: slug, Title: title, Designation: d,
		PolicyEngineMode: authentik.PolicyEngineModeAny, Layout: layout,
		DeniedAction: authentik.DeniedActionMessageContinue,
	}}
}
