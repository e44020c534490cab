package authentik

import (
	"log/slog"
)

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
