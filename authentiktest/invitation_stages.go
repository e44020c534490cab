package authentiktest

import (
	"github.com/authentik-go/authentik"
)

// InvitationStages returns the invitation stages the server holds now, ordered by name.
func (s *Server) InvitationStages() []authentik.InvitationStage {
	return snapshot[authentik.InvitationStage](s, invitationStages)
}

// AddInvitationStages adds stages to the invitation stage list, completed,
// replaced and bound to flows as AddEmailStages does for email stages.
func (s *Server) AddInvitationStages(stages ...authentik.InvitationStage) {
	Add(s, stages...)
}
