package authentiktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/authentik-go/authentik"
)

// The SDK's List, All and Get run against two backends from one table: httpmock
// answering with the recorded pages in ../testdata, and this fake holding the
// same stages. Same cases, same expected results: the fake answers what a real
// authentik answered.

const (
	recoveryPK   = "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d"
	adminInvPK   = "9cadbecf-d0e1-42f3-8456-7a8b9cadbecf"
	missingPK    = "00000000-0000-4000-8000-0000000000ff"
	emailPage1   = "email_stages_2026_page1.json"
	emailPage2   = "email_stages_2026_page2.json"
	invitationsF = "invitation_stages_2026.json"
)

type backend struct {
	name string
	// client returns a client for the backend and a count of the requests it got.
	client func(t *testing.T, token string) (*authentik.Client, func() int)
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstResult is a page fixture's first item, as a retrieve would answer it.
func firstResult(t *testing.T, name string) []byte {
	var env struct{ Results []json.RawMessage }
	if err := json.Unmarshal(fixture(t, name), &env); err != nil {
		t.Fatal(err)
	}
	return env.Results[0]
}

func backends() []backend {
	return []backend{
		{"httpmock", func(t *testing.T, token string) (*authentik.Client, func() int) {
			recorded := map[string]struct {
				status int
				body   []byte
			}{
				"/api/v3/stages/email/?page_size=2":                    {200, fixture(t, emailPage1)},
				"/api/v3/stages/email/?page=2&page_size=2":             {200, fixture(t, emailPage2)},
				"/api/v3/stages/invitation/stages/":                    {200, fixture(t, invitationsF)},
				"/api/v3/stages/email/" + recoveryPK + "/":             {200, firstResult(t, emailPage2)},
				"/api/v3/stages/invitation/stages/" + adminInvPK + "/": {200, firstResult(t, invitationsF)},
				"/api/v3/stages/email/" + missingPK + "/":              {404, []byte(`{"detail": "No EmailStage matches the given query."}`)},
			}
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				if r.Header.Get("Authorization") != "Bearer "+testToken {
					return httpmock.NewStringResponse(403, `{"detail": "Token invalid/expired"}`), nil
				}
				rec, ok := recorded[r.URL.RequestURI()]
				if !ok {
					t.Errorf("no recorded response for %s", r.URL.RequestURI())
					return httpmock.NewStringResponse(500, "{}"), nil
				}
				resp := httpmock.NewBytesResponse(rec.status, rec.body)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			c, err := authentik.NewClient("https://authentik.example.com", token, authentik.WithHTTPClient(&http.Client{Transport: mt}), authentik.WithRetryMax(0))
			if err != nil {
				t.Fatal(err)
			}
			return c, mt.GetTotalCallCount
		}},
		{"authentiktest", func(t *testing.T, token string) (*authentik.Client, func() int) {
			s := NewServer(WithToken(testToken))
			t.Cleanup(s.Close)
			s.AddEmailStages(demoEmailStages()[:3]...)
			s.AddInvitationStages(demoInvitationStages()[:5]...)
			c, err := authentik.NewClient(s.URL, token, authentik.WithRetryMax(0))
			if err != nil {
				t.Fatal(err)
			}
			return c, s.Requests
		}},
	}
}

type result struct {
	pagination *authentik.Pagination
	items      any
	err        error
}

func TestSDKAgainstBothBackends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	email, invitation := demoEmailStages()[:3], demoInvitationStages()[:5]
	completeAll(email, invitation)
	tests := []struct {
		name  string
		token string
		call  func(*authentik.Client) result
		want  result
	}{
		{"email List page 1", testToken, func(c *authentik.Client) result {
			p, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: 2}})
			return pageResult(p, err)
		}, result{&authentik.Pagination{Next: 2, Count: 3, Current: 1, TotalPages: 2, StartIndex: 1, EndIndex: 2}, email[:2], nil}},
		{"email List page 2", testToken, func(c *authentik.Client) result {
			p, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: 2, Page: 2}})
			return pageResult(p, err)
		}, result{&authentik.Pagination{Previous: 1, Count: 3, Current: 2, TotalPages: 2, StartIndex: 3, EndIndex: 3}, email[2:], nil}},
		{"email All", testToken, func(c *authentik.Client) result {
			var got []authentik.EmailStage
			for s, err := range c.EmailStages.All(ctx, &authentik.EmailStageListOptions{ListOptions: authentik.ListOptions{PageSize: 2}}) {
				if err != nil {
					return result{err: err}
				}
				got = append(got, s)
			}
			return result{items: got}
		}, result{nil, email, nil}},
		{"invitation List", testToken, func(c *authentik.Client) result {
			p, err := c.InvitationStages.List(ctx, nil)
			return pageResult(p, err)
		}, result{&authentik.Pagination{Count: 5, Current: 1, TotalPages: 1, StartIndex: 1, EndIndex: 5}, invitation, nil}},
		{"invitation All", testToken, func(c *authentik.Client) result {
			var got []authentik.InvitationStage
			for s, err := range c.InvitationStages.All(ctx, nil) {
				if err != nil {
					return result{err: err}
				}
				got = append(got, s)
			}
			return result{items: got}
		}, result{nil, invitation, nil}},
		{"email Get", testToken, func(c *authentik.Client) result {
			s, err := c.EmailStages.Get(ctx, recoveryPK)
			if err != nil {
				return result{err: err}
			}
			return result{items: *s}
		}, result{nil, email[2], nil}},
		{"invitation Get", testToken, func(c *authentik.Client) result {
			s, err := c.InvitationStages.Get(ctx, adminInvPK)
			if err != nil {
				return result{err: err}
			}
			return result{items: *s}
		}, result{nil, invitation[0], nil}},
		{"email Get missing", testToken, func(c *authentik.Client) result {
			_, err := c.EmailStages.Get(ctx, missingPK)
			return result{err: err}
		}, result{err: authentik.ErrNotFound}},
		{"Get not a UUID", testToken, func(c *authentik.Client) result {
			_, err := c.InvitationStages.Get(ctx, "internal-admin-invitation")
			return result{err: err}
		}, result{err: errNotUUID}},
		{"bad token", "wrong-token", func(c *authentik.Client) result {
			_, err := c.InvitationStages.List(ctx, nil)
			return result{err: err}
		}, result{err: authentik.ErrUnauthorized}},
	}
	for _, b := range backends() {
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c, requests := b.client(t, tt.token)
				got := tt.call(c)
				switch {
				case tt.want.err == errNotUUID:
					if got.err == nil || got.items != nil || requests() != 0 {
						t.Fatalf("got %+v after %d requests, want a refusal before any request", got, requests())
					}
				case tt.want.err != nil:
					if !errors.Is(got.err, tt.want.err) {
						t.Fatalf("err = %v, want %v", got.err, tt.want.err)
					}
				case got.err != nil:
					t.Fatal(got.err)
				}
				if !reflect.DeepEqual(got.pagination, tt.want.pagination) {
					t.Errorf("pagination %+v, want %+v", got.pagination, tt.want.pagination)
				}
				if !reflect.DeepEqual(got.items, tt.want.items) {
					t.Errorf("items\n got %+v\nwant %+v", got.items, tt.want.items)
				}
			})
		}
	}
}

var errNotUUID = errors.New("refused before sending")

func pageResult[T any](p *authentik.Page[T], err error) result {
	if err != nil {
		return result{err: err}
	}
	return result{pagination: &p.Pagination, items: p.Results}
}

// completeAll gives the expected stages the values the server computes
// (StageSerializer's, and a flow's pk-derived fields, as a real server answers).
func completeAll(email []authentik.EmailStage, invitation []authentik.InvitationStage) {
	flows := func(fs []authentik.FlowSet) []authentik.FlowSet {
		out := make([]authentik.FlowSet, len(fs))
		for i, f := range fs {
			f.PolicyBindingModelPtrID = f.PK
			f.ExportURL = "/api/v3/flows/instances/" + f.Slug + "/export/"
			f.Background = "/static/dist/assets/images/flow_background.jpg"
			out[i] = f
		}
		return out
	}
	for i := range email {
		e := &email[i]
		e.Component, e.VerboseName, e.VerboseNamePlural = "ak-stage-email-form", "Email Stage", "Email Stages"
		e.MetaModelName = "authentik_stages_email.emailstage"
		e.FlowSet = flows(e.FlowSet)
	}
	for i := range invitation {
		s := &invitation[i]
		s.Component, s.VerboseName, s.VerboseNamePlural = "ak-stage-invitation-form", "Invitation Stage", "Invitation Stages"
		s.MetaModelName = "authentik_stages_invitation.invitationstage"
		s.FlowSet = flows(s.FlowSet)
	}
}
