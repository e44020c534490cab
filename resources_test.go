package authentik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// resourceCase is one resource's operations, generated from its declaration
// and the pinned schema (zz_resources_test.go): each call, the request it
// must send, and an object with every field the model has set.
type resourceCase struct {
	name, path, key string
	object          string // the model as the server sends it, every property set
	list            func(context.Context, *Client) (any, error)
	query           string // what list's options must send, sorted
	all             func(context.Context, *Client) (int, error)
	get             func(context.Context, *Client) (any, error)
	body            string // what create, update and patch must send
	create          func(context.Context, *Client) (any, error)
	update          func(context.Context, *Client) (any, error)
	patch           func(context.Context, *Client) (any, error)
	remove          func(context.Context, *Client) error
	usedBy          func(context.Context, *Client) ([]UsedBy, error)
}

// TestEveryResourceSendsAndDecodes: for every resource and every operation
// its route has, the exact request (method, path, every query parameter,
// headers, body), and the answer decoded with every field intact.
func TestEveryResourceSendsAndDecodes(t *testing.T) {
	if len(resourceCases) != reflect.TypeFor[Client]().NumField()-1 {
		t.Fatalf("%d resource cases for %d services", len(resourceCases), reflect.TypeFor[Client]().NumField()-1)
	}
	ctx := context.Background()
	for _, rc := range resourceCases {
		t.Run(rc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			item := testAPI + rc.path + rc.key + "/"
			var got *http.Request
			var gotBody []byte
			answer := func(status int, body string) {
				mt.Reset()
				mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
					got = r
					gotBody = nil
					if r.Body != nil {
						gotBody, _ = io.ReadAll(r.Body)
					}
					checkHeaders(t, r)
					resp := httpmock.NewStringResponse(status, body)
					if body != "" {
						resp.Header.Set("Content-Type", "application/json")
					}
					return resp, nil
				})
			}
			expect := func(op, method, url, query, body string) {
				t.Helper()
				if got == nil {
					t.Fatalf("%s sent nothing", op)
				}
				if got.Method != method || got.URL.Scheme+"://"+got.URL.Host+got.URL.Path != url || got.URL.RawQuery != query {
					t.Errorf("%s sent %s %s, want %s %s?%s", op, got.Method, got.URL, method, url, query)
				}
				if body == "" {
					if len(gotBody) != 0 {
						t.Errorf("%s sent a body %s", op, gotBody)
					}
				} else {
					if ct := got.Header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("%s sent Content-Type %q", op, ct)
					}
					if !jsonEqual(gotBody, body) {
						t.Errorf("%s sent %s, want %s", op, gotBody, body)
					}
				}
				got = nil
			}
			decoded := func(op string, v any) {
				t.Helper()
				out, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				var have, want map[string]any
				_ = json.Unmarshal(out, &have)
				_ = json.Unmarshal([]byte(rc.object), &want)
				for k, w := range want {
					if !reflect.DeepEqual(have[k], w) {
						t.Errorf("%s decoded %s as %v, want %v", op, k, have[k], w)
					}
				}
			}
			page := `{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[` + rc.object + `]}`
			if rc.list != nil {
				answer(200, page)
				v, err := rc.list(ctx, c)
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				expect("List", "GET", testAPI+rc.path, rc.query, "")
				results := reflect.ValueOf(v).Elem().FieldByName("Results")
				if results.Len() != 1 {
					t.Fatalf("List: %d results", results.Len())
				}
				decoded("List", results.Index(0).Interface())
				answer(200, page)
				if n, err := rc.all(ctx, c); err != nil || n != 1 {
					t.Errorf("All: %d, %v", n, err)
				}
				expect("All", "GET", testAPI+rc.path, "", "")
			}
			if rc.get != nil {
				answer(200, rc.object)
				v, err := rc.get(ctx, c)
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				expect("Get", "GET", item, "", "")
				decoded("Get", v)
			}
			for _, w := range []struct {
				op, method, url string
				status          int
				call            func(context.Context, *Client) (any, error)
			}{{"Create", "POST", testAPI + rc.path, 201, rc.create}, {"Update", "PUT", item, 200, rc.update}, {"Patch", "PATCH", item, 200, rc.patch}} {
				if w.call == nil {
					continue
				}
				answer(w.status, rc.object)
				v, err := w.call(ctx, c)
				if err != nil {
					t.Fatalf("%s: %v", w.op, err)
				}
				expect(w.op, w.method, w.url, "", rc.body)
				decoded(w.op, v)
			}
			if rc.remove != nil {
				answer(204, "")
				if err := rc.remove(ctx, c); err != nil {
					t.Fatalf("Delete: %v", err)
				}
				expect("Delete", "DELETE", item, "", "")
			}
			if rc.usedBy != nil {
				answer(200, `[{"app":"authentik_flows","model_name":"flowstagebinding","pk":"1a2b3c4d-0000-4000-8000-000000000009","name":"Flow-stage binding #10","action":"cascade"}]`)
				used, err := rc.usedBy(ctx, c)
				if err != nil || len(used) != 1 || used[0].ModelName != "flowstagebinding" || used[0].Action != UsedByActionCascade {
					t.Errorf("UsedBy: %+v, %v", used, err)
				}
				expect("UsedBy", "GET", item+"used_by/", "", "")
			}
		})
	}
}

// secretCase is one write-only field (zz_resources_test.go): create sets it to
// secret, sends a Create and returns the request and the error.
type secretCase struct {
	name   string
	create func(ctx context.Context, c *Client, secret string) (any, error)
}

// TestEveryWriteOnlyFieldIsRedacted: a write-only field's value never shows
// when the request is printed (%v, %+v, %#v, log/slog) nor in the error of a
// server that echoes it back, for every write-only field the schema marks.
func TestEveryWriteOnlyFieldIsRedacted(t *testing.T) {
	if len(secretCases) < 6 {
		t.Fatalf("%d write-only fields; the 2026.8 schema marks 6 beside the email stage's (its own tests)", len(secretCases))
	}
	ctx := context.Background()
	for _, sc := range secretCases {
		t.Run(sc.name, func(t *testing.T) {
			const secret = "canary-Zq9x7W4p2Kv8" // shares nothing with the token, whose redactor would hide it
			c, mt := newMockClient(t)
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				body, _ := io.ReadAll(r.Body)
				if !strings.Contains(string(body), secret) {
					t.Errorf("the request does not send the secret: %s", body)
				}
				// A server that echoes the body back in its error.
				return httpmock.NewStringResponse(400, `{"name":["`+secret+`"],"non_field_errors":["`+url.QueryEscape(secret)+` in `+
					strings.ReplaceAll(string(body), `"`, `\"`)+`"]}`), nil
			})
			req, err := sc.create(ctx, c, secret)
			if err == nil {
				t.Fatal("the 400 was not an error")
			}
			var logged strings.Builder
			slog.New(slog.NewJSONHandler(&logged, nil)).Info("req", "req", req)
			for _, shown := range []string{err.Error(), fmt.Sprintf("%v", req), fmt.Sprintf("%+v", req), fmt.Sprintf("%#v", req), logged.String()} {
				if strings.Contains(shown, secret) || strings.Contains(shown, url.QueryEscape(secret)) {
					t.Errorf("the secret shows: %s", shown)
				}
			}
		})
	}
}

// TestStageRequestsRefuseBadInput: what the schema and the models' validators
// say of a request is checked before sending, naming the field.
func TestStageRequestsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, field string
		call        func(*Client) error
	}{
		{"a required field left out", "CaptchaStageRequest.PublicKey", func(c *Client) error {
			_, err := c.CaptchaStages.Create(ctx, &CaptchaStageRequest{Name: Ptr("c"), PrivateKey: Ptr("k")})
			return err
		}},
		{"a blank name", "DenyStageRequest.Name", func(c *Client) error {
			_, err := c.DenyStages.Create(ctx, &DenyStageRequest{Name: Ptr(" \t")})
			return err
		}},
		{"a duration authentik cannot parse", "ConsentStageRequest.ConsentExpireIn", func(c *Client) error {
			_, err := c.ConsentStages.Patch(ctx, "0a0b0c0d-0e0f-4a1b-8c2d-000000000001", &ConsentStageRequest{ConsentExpireIn: Ptr("4 weeks")})
			return err
		}},
		{"a duration on a login stage", "UserLoginStageRequest.SessionDuration", func(c *Client) error {
			_, err := c.UserLoginStages.Create(ctx, &UserLoginStageRequest{Name: Ptr("l"), SessionDuration: Ptr("hours")})
			return err
		}},
		{"a flow that is not a UUID", "PasswordStageRequest.ConfigureFlow", func(c *Client) error {
			_, err := c.PasswordStages.Create(ctx, &PasswordStageRequest{Name: Ptr("p"), Backends: []Backends{BackendsAuthentikCoreAuthInbuiltBackend},
				ConfigureFlow: Ptr("default-password-change")})
			return err
		}},
		{"a number out of the model's range", "AuthenticatorStaticStageRequest.TokenLength", func(c *Client) error {
			_, err := c.AuthenticatorStaticStages.Create(ctx, &AuthenticatorStaticStageRequest{Name: Ptr("s"), TokenLength: Ptr(101)})
			return err
		}},
		{"a nil request", "req", func(c *Client) error {
			_, err := c.UserWriteStages.Create(ctx, nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			err := tc.call(c)
			var in *InputError
			if !errors.As(err, &in) || !errors.Is(err, ErrInvalidInput) || in.Field != tc.field {
				t.Fatalf("got %v, want an InputError for %s", err, tc.field)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestRouteNewerThanTheServer: a resource an older supported release lacks
// answers 404 there; the error matches ErrNotFound and names the release
// that added the route, but not for a missing object or page.
func TestRouteNewerThanTheServer(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, body, want string
		call             func(*Client) error
	}{
		{"endpoint stages on 2025.10", `{"detail":"Not found."}`, "this route came with authentik 2025.12.0", func(c *Client) error {
			_, err := c.EndpointStages.List(ctx, nil)
			return err
		}},
		{"account lockdown on 2026.2, an HTML 404", `<html>Not Found</html>`, "this route came with authentik 2026.5.4", func(c *Client) error {
			_, err := c.AccountLockdownStages.Create(ctx, &AccountLockdownStageRequest{Name: Ptr("lock")})
			return err
		}},
		{"a missing endpoint stage", `{"detail":"No EndpointStage matches the given query."}`, "", func(c *Client) error {
			_, err := c.EndpointStages.Get(ctx, "0a0b0c0d-0e0f-4a1b-8c2d-000000000001")
			return err
		}},
		{"a page past the end", `{"detail":"Invalid page."}`, "", func(c *Client) error {
			_, err := c.AccountLockdownStages.List(ctx, &AccountLockdownStageListOptions{ListOptions: ListOptions{Page: 9}})
			return err
		}},
		{"a stage every release has", `{"detail":"Not found."}`, "", func(c *Client) error {
			_, err := c.DenyStages.List(ctx, nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterNoResponder(httpmock.NewStringResponder(404, tc.body))
			err := tc.call(c)
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("got %v, want ErrNotFound", err)
			}
			if got := strings.Contains(err.Error(), "this route came with"); got != (tc.want != "") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to say %q", err, tc.want)
			}
		})
	}
}
