package authentik

import (
	"context"
	"fmt"
	"strings"
)

// Get fetches the email stage whose pk is the given UUID. A pk that is not a
// UUID is refused before any request; a stage that does not exist is an
// *APIError matching ErrNotFound.
func (s *EmailStagesService) Get(ctx context.Context, pk string) (*EmailStage, error) {
	return getOne(ctx, s.c(), emailStages, pk)
}

// Get fetches the invitation stage whose pk is the given UUID. A pk that is not
// a UUID is refused before any request; a stage that does not exist is an
// *APIError matching ErrNotFound.
func (s *InvitationStagesService) Get(ctx context.Context, pk string) (*InvitationStage, error) {
	return getOne(ctx, s.c(), invitationStages, pk)
}

// getOne is Get for any resource: GET <collection><pk>/. An answer that is not
// the object asked for (no pk, another pk: a proxy's {} or a stale cache) is a
// *DecodeError rather than a zero-valued stage.
func getOne[T, W any](ctx context.Context, c *core, r resource[T, W], pk string) (*T, error) {
	if c == nil {
		return nil, errNoCore
	}
	if !isUUID(pk) {
		return nil, inputErrorf("pk", "pk %q is not a UUID (want the form 3fa85f64-5717-4562-b3fc-2c963f66afa6)", pk)
	}
	var w W
	var got T
	req := request{method: "GET", path: r.path + pk + "/", valueCost: r.valueCost(), check: func() error {
		got = r.public(&w)
		switch gotPK := r.pk(&got); {
		case gotPK == "":
			return fmt.Errorf("the body has no pk, so it is not the object %s", pk)
		case !strings.EqualFold(gotPK, pk):
			return fmt.Errorf("the body is the object %s, not %s", gotPK, pk)
		}
		return nil
	}}
	if err := c.do(ctx, req, &w); err != nil {
		return nil, err
	}
	return &got, nil
}
