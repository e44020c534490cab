package clitest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// DemoEmailStage is one of the email stages of authentiktest.WithDemoData, as
// the examples print it: the cells of list-email-stages' table, and
// UseGlobalSettings for tests of -use-global-settings.
type DemoEmailStage struct {
	Name, PK, FromAddress, Subject, TokenExpiry, Flows string
	UseGlobalSettings                                  bool
}

// Cells is the stage's row in list-email-stages' table.
func (s DemoEmailStage) Cells() []string {
	return []string{s.Name, s.PK, s.FromAddress, s.Subject, s.TokenExpiry, s.Flows}
}

// DemoInvitationStage is one of the invitation stages of
// authentiktest.WithDemoData, as the examples print it.
type DemoInvitationStage struct {
	Name, PK                      string
	ContinueFlowWithoutInvitation bool
	Flows                         string
}

// Cells is the stage's row in list-invitation-stages' table.
func (s DemoInvitationStage) Cells() []string {
	return []string{s.Name, s.PK, fmt.Sprint(s.ContinueFlowWithoutInvitation), s.Flows}
}

// DemoEmailStages is the 45 demo email stages in the server's default order (by
// name): the three of authentik's blueprints, bound to their flows, then
// demo-email-stage-01 to -42, bound to none. Of those, every third uses the
// global settings (and so the default from address); the others send from
// authentik@example.com. Their token expiry cycles through four values.
func DemoEmailStages() []DemoEmailStage {
	stages := []DemoEmailStage{
		{"default-authentication-email-magic-link", "5d0c6f1e-8a4b-4f2e-9b3a-7c1d2e3f4a5b", "system@authentik.local",
			"authentik sign-in link", "minutes=30", "default-authentication-flow", true},
		{"default-enrollment-email-verification", "6e1d7a2f-9b5c-4a3f-8c4b-8d2e3f4a5b6c", "system@authentik.local",
			"authentik", "minutes=30", "default-enrollment-flow", true},
		{"default-recovery-email", "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d", "system@authentik.local",
			"authentik", "minutes=30", "default-recovery-flow", true},
	}
	expiries := []string{"minutes=30", "hours=1", "minutes=15", "days=1"}
	for i := 1; i <= 42; i++ {
		s := DemoEmailStage{
			Name: fmt.Sprintf("demo-email-stage-%02d", i), PK: fmt.Sprintf("e0000000-0000-4000-8000-%012d", i),
			FromAddress: "authentik@example.com", Subject: "authentik", TokenExpiry: expiries[i%4], Flows: "-",
			UseGlobalSettings: i%3 == 0,
		}
		if s.UseGlobalSettings {
			s.FromAddress = "system@authentik.local"
		}
		stages = append(stages, s)
	}
	return stages
}

// DemoInvitationStages is the 25 demo invitation stages in the server's default
// order (by name): demo-invitation-stage-01 to -20, bound to no flow, every
// fourth continuing the flow without an invitation, then the five of
// authentik's blueprints, each bound to its flow.
func DemoInvitationStages() []DemoInvitationStage {
	var stages []DemoInvitationStage
	for i := 1; i <= 20; i++ {
		stages = append(stages, DemoInvitationStage{
			Name: fmt.Sprintf("demo-invitation-stage-%02d", i), PK: fmt.Sprintf("f0000000-0000-4000-8000-%012d", i),
			ContinueFlowWithoutInvitation: i%4 == 0, Flows: "-",
		})
	}
	return append(stages,
		DemoInvitationStage{"internal-admin-invitation", "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf", false,
			"internal-admin-invitation"},
		DemoInvitationStage{"invitation-enrollment-invitation-external", "adbecfd0-e1f2-4304-9567-8b9cadbecfd0", false,
			"invitation-enrollment-flow-external"},
		DemoInvitationStage{"invitation-enrollment-invitation-internal", "becfd0e1-f203-4415-8678-9cadbecfd0e1", false,
			"invitation-enrollment-flow-internal"},
		DemoInvitationStage{"invitation-enrollment-invitation-internal-engineering", "cfd0e1f2-0314-4526-9789-adbecfd0e1f2", false,
			"invitation-enrollment-flow-internal-engineering"},
		DemoInvitationStage{"invitation-stage", "d0e1f203-1425-4637-889a-becfd0e1f203", false,
			"invitation-enrollment-flow"},
	)
}

// Table is rows as the examples print a table, written out independently of
// text/tabwriter: every column but the last padded to its widest cell plus two
// spaces, a newline after each row. Every row must have the same number of cells.
func Table(rows ...[]string) string {
	if len(rows) == 0 {
		return ""
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
