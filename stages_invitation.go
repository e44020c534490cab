package authentik

import (
	"context"
	"iter"
	"log/slog"
	"net/http"
)

// invitationStages is the invitation stage collection (/api/v3/stages/invitation/stages/).
var invitationStages = resource[InvitationStage]{
	path: "stages/invitation/stages/",
	pk:   func(s *InvitationStage) string { return s.PK },
}

// InvitationStagesService manages authentik's invitation stages. Reach it as
// Client.InvitationStages.
type InvitationStagesService service

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

// InvitationStageRequest is the body of Create, Update and Patch
// (InvitationStageRequest in the schema). nil fields are not sent; Create and
// Update require Name.
type InvitationStageRequest struct {
	Name *string `json:"name,omitempty"`
	// ContinueFlowWithoutInvitation lets the flow go on to the next stage when
	// no invitation is given, instead of cancelling it.
	ContinueFlowWithoutInvitation *bool `json:"continue_flow_without_invitation,omitempty"`
}

func (r *InvitationStageRequest) check(op string) error {
	if r == nil {
		return inputErrorf("req", "req is nil; pass an *InvitationStageRequest")
	}
	return requireName(op, "InvitationStageRequest", r.Name)
}

func (r *InvitationStageRequest) secrets() []string { return nil }

// String prints the fields that are set.
func (r InvitationStageRequest) String() string {
	type plain InvitationStageRequest
	return describeRequest(plain(r))
}

// GoString is String, for %#v.
func (r InvitationStageRequest) GoString() string {
	return "authentik.InvitationStageRequest" + r.String()
}

// LogValue is String for log/slog, whose JSON handler would otherwise write
// the fields themselves, write-only ones included.
func (r InvitationStageRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// List fetches one page of invitation stages. opts may be nil.
func (s *InvitationStagesService) List(ctx context.Context, opts *InvitationStageListOptions) (*Page[InvitationStage], error) {
	return list(ctx, (*service)(s).c(), invitationStages, opts)
}

// All walks every page of invitation stages from opts.Page (or the first),
// yielding each stage in server order. The first error is yielded once, as
// (zero, err), and ends the walk; breaking out of the loop stops it. No request is
// made until the loop starts, and each range starts over.
func (s *InvitationStagesService) All(ctx context.Context, opts *InvitationStageListOptions) iter.Seq2[InvitationStage, error] {
	return all(ctx, (*service)(s).c(), invitationStages, opts)
}

// Get fetches the invitation stage whose pk is the given UUID. A pk that is not
// a UUID is refused before any request; a stage that does not exist is an
// *APIError matching ErrNotFound.
func (s *InvitationStagesService) Get(ctx context.Context, pk string) (*InvitationStage, error) {
	return get(ctx, (*service)(s).c(), invitationStages, pk)
}

// Create creates an invitation stage (POST, 201). req.Name is required. A lost
// answer is not retried: the error matches ErrUnknownOutcome (stage names are
// unique: look the name up).
func (s *InvitationStagesService) Create(ctx context.Context, req *InvitationStageRequest) (*InvitationStage, error) {
	return create(ctx, (*service)(s).c(), invitationStages, req)
}

// Update replaces an invitation stage's settings (PUT). req.Name is required;
// fields left nil keep their values.
func (s *InvitationStagesService) Update(ctx context.Context, pk string, req *InvitationStageRequest) (*InvitationStage, error) {
	return update(ctx, (*service)(s).c(), invitationStages, http.MethodPut, pk, req)
}

// Patch changes only the fields of req that are set (PATCH).
func (s *InvitationStagesService) Patch(ctx context.Context, pk string, req *InvitationStageRequest) (*InvitationStage, error) {
	return update(ctx, (*service)(s).c(), invitationStages, http.MethodPatch, pk, req)
}

// Delete deletes an invitation stage (204).
func (s *InvitationStagesService) Delete(ctx context.Context, pk string) error {
	return remove(ctx, (*service)(s).c(), invitationStages, pk)
}

// UsedBy lists the objects that refer to the invitation stage and what
// deleting it would do to each.
func (s *InvitationStagesService) UsedBy(ctx context.Context, pk string) ([]UsedBy, error) {
	return usedBy(ctx, (*service)(s).c(), invitationStages, pk)
}
