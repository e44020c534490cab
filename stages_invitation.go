package authentik

import (
	"context"
	"iter"
)

// invitationStagesPath is the invitation stage collection, relative to /api/v3/.
const invitationStagesPath = "stages/invitation/stages/"

// invitationStages is the InvitationStage collection and its wire type.
var invitationStages = resource[InvitationStage, wireInvitationStage]{path: invitationStagesPath, public: (*wireInvitationStage).public,
	pk: func(s *InvitationStage) string { return s.PK }}

// InvitationStagesService lists authentik's invitation stages. Reach it as
// Client.InvitationStages.
type InvitationStagesService struct{ core *core }

// InvitationStageListOptions filters GET /api/v3/stages/invitation/stages/. Every
// filter is an exact match; nil pointers and empty strings are not sent.
type InvitationStageListOptions struct {
	ListOptions
	ContinueFlowWithoutInvitation *bool  `url:"continue_flow_without_invitation,omitempty"`
	Name                          string `url:"name,omitempty"`
	// NoFlows true keeps only stages bound to no flow; false only bound ones.
	NoFlows *bool `url:"no_flows,omitempty"`
	// StageUUID is a stage's pk, as a UUID; anything else is refused before sending.
	StageUUID string `url:"stage_uuid,omitempty"`
}

func (o *InvitationStageListOptions) validate() error {
	if o == nil {
		return nil
	}
	if err := o.ListOptions.validate("InvitationStageListOptions"); err != nil {
		return err
	}
	if o.StageUUID != "" && !isUUID(o.StageUUID) {
		return inputErrorf("InvitationStageListOptions.StageUUID", "InvitationStageListOptions.StageUUID %q is not a UUID (want the form 3fa85f64-5717-4562-b3fc-2c963f66afa6)", o.StageUUID)
	}
	return nil
}

func (o *InvitationStageListOptions) startPage() int {
	if o == nil {
		return 0
	}
	return o.Page
}

// List fetches one page of invitation stages. opts may be nil.
func (s *InvitationStagesService) List(ctx context.Context, opts *InvitationStageListOptions) (*Page[InvitationStage], error) {
	return listPage(ctx, s.c(), invitationStages, opts)
}

// All walks every page of invitation stages from opts.Page (or the first),
// yielding each stage in server order. The first error is yielded once, as
// (zero, err), and ends the walk; breaking out of the loop stops it. No request is
// made until the loop starts, and each range starts over.
func (s *InvitationStagesService) All(ctx context.Context, opts *InvitationStageListOptions) iter.Seq2[InvitationStage, error] {
	return allPages(ctx, s.c(), invitationStages, opts)
}

// c is the service's request path; nil for a service NewClient did not make,
// which the shared plumbing turns into an error.
func (s *InvitationStagesService) c() *core {
	if s == nil {
		return nil
	}
	return s.core
}
