package authentik

import (
	"context"
	"net/http"
)

// Types lists the stage types the server has (GET /api/v3/stages/all/types/):
// for each, its name, the web interface's component and its model name. A
// type whose service this SDK lacks (from a newer server) is listed too.
func (s *StagesService) Types(ctx context.Context) ([]TypeCreate, error) {
	c := (*service)(s).c()
	if c == nil {
		return nil, errNoCore
	}
	var out []TypeCreate
	if _, err := c.do(ctx, request{method: http.MethodGet, path: stages.path + "types/"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
