package authentik

import (
	"context"
	"fmt"
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

// getOne is Get for any resource: GET <collection><pk>/.
func getOne[T, W any](ctx context.Context, c *core, r resource[T, W], pk string) (*T, error) {
	if c == nil {
		return nil, errNoCore
	}
	if !isUUID(pk) {
		return nil, fmt.Errorf("authentik: pk %q is not a UUID (want the form 3fa85f64-5717-4562-b3fc-2c963f66afa6)", pk)
	}
	var w W
	if err := c.get(ctx, r.path+pk+"/", nil, &w); err != nil {
		return nil, err
	}
	v := r.public(&w)
	return &v, nil
}
