package authentiktest

import (
	"reflect"

	"github.com/authentik-go/authentik"
)

// invitationStages are InvitationStageViewSet and InvitationStageSerializer
// (authentik/stages/invitation/api.py), a Stage (stages.go).
var invitationStages = &collection{
	path: "stages/invitation/stages/", model: "InvitationStage", app: "authentik_stages_invitation", base: stageBase,
	typ: reflect.TypeFor[authentik.InvitationStage](), add: addStage,
	// InvitationStageFilter's fields: no_flows is BooleanFilter("flow", "isnull").
	filters: []filterSpec{
		{param: "name", kind: charFilter}, {param: "no_flows", kind: emptyFilter, path: []string{"flow_set"}},
		{param: "continue_flow_without_invitation", kind: nullBooleanSelect}, {param: "stage_uuid", kind: uuidFilter},
	},
	ordering: fieldSet("pk", "name", "continue_flow_without_invitation"),
	fields: []field{
		{name: "name", kind: textField},
		{name: "continue_flow_without_invitation", kind: boolField, def: false},
	},
	computed: stageComputed("ak-stage-invitation-form", "Invitation Stage", "Invitation Stages",
		"authentik_stages_invitation.invitationstage"),
	actions: map[string]action{"used_by": usedBy},
}

// InvitationStages returns the invitation stages the server holds now, ordered by name.
func (s *Server) InvitationStages() []authentik.InvitationStage {
	return snapshot[authentik.InvitationStage](s, invitationStages)
}

// AddInvitationStages adds stages to the invitation stage list, completed,
// replaced and bound to flows as AddEmailStages does for email stages.
func (s *Server) AddInvitationStages(stages ...authentik.InvitationStage) {
	Add(s, stages...)
}
