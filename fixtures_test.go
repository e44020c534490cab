package authentik

// The values the fixtures in testdata/ hold, written out by hand from the
// blueprints authentik ships (blueprints/example/ in its source) and the values
// its server computes (as a real 2025.10 server answered:
// testdata/email_stage_2025_10_retrieve.json). Decoding tests compare against these.

const flowBackground = "/static/dist/assets/images/flow_background.jpg"

func testFlow(pk, name, slug, title string, d FlowDesignation) FlowSet {
	return FlowSet{
		PK: pk, PolicyBindingModelPtrID: pk, Name: name, Slug: slug, Title: title, Designation: d,
		Background: flowBackground, PolicyEngineMode: PolicyEngineModeAny, CompatibilityMode: false,
		ExportURL: "/api/v3/flows/instances/" + slug + "/export/", Layout: FlowLayoutStacked,
		DeniedAction: DeniedActionMessageContinue,
	}
}

var (
	flowAuthentication = testFlow("0b7c2fa6-5b0a-4a6c-9e54-3d1f3c2a9a11", "Default Authentication Flow",
		"default-authentication-flow", "Welcome to authentik!", FlowDesignationAuthentication)
	flowEnrollment = testFlow("1f0e6d7c-2b3a-4c5d-8e9f-0a1b2c3d4e5f", "Default enrollment Flow",
		"default-enrollment-flow", "Welcome to authentik!", FlowDesignationEnrollment)
	flowRecovery = func() FlowSet {
		f := testFlow("2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", "Default recovery flow",
			"default-recovery-flow", "Reset your password", FlowDesignationRecovery)
		f.Layout = FlowLayoutSidebarRight // scribe-recovery-flow.yaml
		return f
	}()
	flowScribeEnrollment = func() FlowSet {
		f := testFlow("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "Default enrollment Flow",
			"scribe-enrollment-flow", "Sign up to Scribe!", FlowDesignationEnrollment)
		f.Layout, f.DeniedAction = FlowLayoutSidebarRight, DeniedActionContinue
		return f
	}()
	flowInternalAdmin = func() FlowSet {
		f := testFlow("4d5e6f7a-8b9c-4dae-9f01-2b3c4d5e6f7a", "Internal Admin Invitation",
			"internal-admin-invitation", "Authentik admin sign-up", FlowDesignationEnrollment)
		f.Layout = FlowLayoutSidebarRight
		return f
	}()
)

func testEmailStage(pk, name string, flows ...FlowSet) EmailStage {
	return EmailStage{
		PK: pk, Name: name, Component: "ak-stage-email-form", VerboseName: "Email Stage",
		VerboseNamePlural: "Email Stages", MetaModelName: "authentik_stages_email.emailstage",
		FlowSet: flows, UseGlobalSettings: true, Host: "localhost", Port: 25, Username: "",
		UseTLS: false, UseSSL: false, Timeout: 10, FromAddress: "system@authentik.local",
		TokenExpiry: "minutes=30", Subject: "authentik", Template: "email/password_reset.html",
		RecoveryMaxAttempts: 5, RecoveryCacheTimeout: "minutes=5",
	}
}

func testInvitationStage(pk, name string, flows ...FlowSet) InvitationStage {
	return InvitationStage{
		PK: pk, Name: name, Component: "ak-stage-invitation-form", VerboseName: "Invitation Stage",
		VerboseNamePlural: "Invitation Stages", MetaModelName: "authentik_stages_invitation.invitationstage",
		FlowSet: flows,
	}
}

// wantEmail2026 is email_stages_2026_page1.json then _page2.json (authentik 2026.2).
var wantEmail2026 = []EmailStage{
	func() EmailStage {
		s := testEmailStage("5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b", "default-authentication-email-magic-link", flowAuthentication)
		s.Subject, s.Template = "authentik sign-in link", "email/account_confirmation.html"
		return s
	}(),
	func() EmailStage {
		s := testEmailStage("6e1d7a2f-9b5c-4a3f-8c4b-8d2e3f4a5b6c", "default-enrollment-email-verification", flowEnrollment)
		s.Template, s.ActivateUserOnSuccess = "email/account_confirmation.html", true
		return s
	}(),
	func() EmailStage {
		s := testEmailStage("7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d", "default-recovery-email", flowRecovery)
		s.ActivateUserOnSuccess = true
		return s
	}(),
}

// wantEmail2025 is email_stages_2025.json: a server before 2025.4, with the flow's
// "background", an integer token_expiry, no recovery_* fields and no autocomplete.
var wantEmail2025 = []EmailStage{
	func() EmailStage {
		s := testEmailStage("8a3f9c4b-1d7e-4c5b-8e6d-0f4a5b6c7d8e", "default-enrollment-email-verification", flowScribeEnrollment)
		s.Subject, s.Template, s.ActivateUserOnSuccess = "Welcome to Scribe", "email.html", true
		s.RecoveryMaxAttempts, s.RecoveryCacheTimeout = 0, ""
		return s
	}(),
	func() EmailStage {
		s := testEmailStage("7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d", "default-recovery-email", flowRecovery)
		s.ActivateUserOnSuccess = true
		s.RecoveryMaxAttempts, s.RecoveryCacheTimeout = 0, ""
		return s
	}(),
}

// wantInvitation2026 is invitation_stages_2026.json (flows-invitation-enrollment*.yaml
// and scribe-internal-admin-invitation-flow.yaml).
var wantInvitation2026 = []InvitationStage{
	testInvitationStage("9cadbecf-d0e1-42f3-8456-7a8b9cadbecf", "internal-admin-invitation", flowInternalAdmin),
	testInvitationStage("adbecfd0-e1f2-4304-9567-8b9cadbecfd0", "invitation-enrollment-invitation-external",
		testFlow("5e6f7a8b-9cad-4ebf-8012-3c4d5e6f7a8b", "Invitation Enrollment Flow (External Users)",
			"invitation-enrollment-flow-external", "Welcome! Complete your enrollment", FlowDesignationEnrollment)),
	testInvitationStage("becfd0e1-f203-4415-8678-9cadbecfd0e1", "invitation-enrollment-invitation-internal",
		testFlow("6f7a8b9c-adbe-4fc0-9123-4d5e6f7a8b9c", "Invitation Enrollment Flow (Internal Users)",
			"invitation-enrollment-flow-internal", "Welcome! Complete your enrollment", FlowDesignationEnrollment)),
	testInvitationStage("cfd0e1f2-0314-4526-9789-adbecfd0e1f2", "invitation-enrollment-invitation-internal-engineering",
		testFlow("7a8b9cad-becf-40d1-8234-5e6f7a8b9cad", "Invitation Enrollment Flow (Internal - Engineering Team)",
			"invitation-enrollment-flow-internal-engineering", "Welcome to the Engineering Team!", FlowDesignationEnrollment)),
	testInvitationStage("d0e1f203-1425-4637-889a-becfd0e1f203", "invitation-stage",
		testFlow("8b9cadbe-cfd0-41e2-9345-6f7a8b9cadbe", "Invitation Enrollment Flow",
			"invitation-enrollment-flow", "Invitation Enrollment Flow", FlowDesignationEnrollment)),
}

// wantInvitation2025 is invitation_stages_2025.json: "background", no autocomplete,
// and a stage bound to no flow (an empty flow_set).
var wantInvitation2025 = []InvitationStage{
	testInvitationStage("9cadbecf-d0e1-42f3-8456-7a8b9cadbecf", "internal-admin-invitation", flowInternalAdmin),
	func() InvitationStage {
		s := testInvitationStage("d0e1f203-1425-4637-889a-becfd0e1f203", "invitation-stage")
		s.FlowSet = []FlowSet{}
		return s
	}(),
}
