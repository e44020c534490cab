package authentiktest

import "github.com/authentik-go/authentik"

// invitationStages are InvitationStageViewSet and InvitationStageSerializer
// (authentik/stages/invitation/api.py).
var invitationStages = &collection{
	path: "stages/invitation/stages/", model: "InvitationStage", base: "stage",
	// InvitationStageFilter's fields.
	filters: []filterSpec{
		{param: "name", kind: charFilter}, {param: "no_flows", kind: noFlowsFilter},
		{param: "continue_flow_without_invitation", kind: nullBooleanSelect}, {param: "stage_uuid", kind: uuidFilter},
	},
	ordering: fieldSet("pk", "name", "continue_flow_without_invitation"),
	fields: []field{
		{name: "name", kind: textField},
		{name: "continue_flow_without_invitation", kind: boolField, def: false},
	},
	computed: stageComputed("ak-stage-invitation-form", "Invitation Stage", "Invitation Stages",
		"authentik_stages_invitation.invitationstage"),
	actions: map[string]action{"used_by": stageUsedBy},
}

// InvitationStages returns the invitation stages the server holds now, ordered by name.
func (s *Server) InvitationStages() []authentik.InvitationStage {
	return snapshot[authentik.InvitationStage](s, invitationStages)
}

// AddInvitationStages adds stages to the invitation stage list, completed,
// replaced and bound to flows as AddEmailStages does for email stages.
func (s *Server) AddInvitationStages(stages ...authentik.InvitationStage) {
	addStages(s, invitationStages, stages, func(st *authentik.InvitationStage) *[]authentik.FlowSet { return &st.FlowSet })
}
