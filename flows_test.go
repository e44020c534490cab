package authentik

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

const (
	flowPK    = "3b9f6c1e-2d4a-4e8b-9c7d-1a2b3c4d5e6f"
	bindingPK = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
	// flowJSON is a flow as authentik 2026.8 serializes it (FlowSerializer).
	flowJSON = `{"pk":"` + flowPK + `","policybindingmodel_ptr_id":"` + flowPK + `","name":"Recovery","slug":"recovery",` +
		`"title":"Reset your password","designation":"recovery","background":"flow-backgrounds/sea.jpg",` +
		`"background_url":"/files/media/public/flow-backgrounds/sea.jpg","background_themed_urls":null,"stages":["` + writePK + `"],` +
		`"policies":[],"cache_count":2,"policy_engine_mode":"any","compatibility_mode":true,` +
		`"export_url":"/api/v3/flows/instances/recovery/export/","layout":"stacked","denied_action":"message_continue",` +
		`"authentication":"require_unauthenticated"}`
	// bindingJSON is a binding as FlowStageBindingSerializer writes it.
	bindingJSON = `{"pk":"` + bindingPK + `","policybindingmodel_ptr_id":"` + bindingPK + `","target":"` + flowPK + `",` +
		`"stage":"` + writePK + `","stage_obj":{"pk":"` + writePK + `","name":"mail","component":"ak-stage-email-form",` +
		`"verbose_name":"Email Stage","verbose_name_plural":"Email Stages","meta_model_name":"authentik_stages_email.emailstage",` +
		`"flow_set":[]},"evaluate_on_plan":false,"re_evaluate_policies":true,"order":10,"policy_engine_mode":"any",` +
		`"invalid_response_action":"retry"}`
)

var wantFlow = Flow{FlowSet: FlowSet{PK: flowPK, PolicyBindingModelPtrID: flowPK, Name: "Recovery", Slug: "recovery",
	Title: "Reset your password", Designation: FlowDesignationRecovery, Background: "/files/media/public/flow-backgrounds/sea.jpg",
	PolicyEngineMode: PolicyEngineModeAny, CompatibilityMode: true, ExportURL: "/api/v3/flows/instances/recovery/export/",
	Layout: FlowLayoutStacked, DeniedAction: DeniedActionMessageContinue},
	Stages: []string{writePK}, Policies: []string{}, CacheCount: 2, Authentication: FlowAuthenticationRequireUnauthenticated,
	BackgroundFile: "flow-backgrounds/sea.jpg"}

var wantBinding = FlowStageBinding{PK: bindingPK, PolicyBindingModelPtrID: bindingPK, Target: flowPK, Stage: writePK,
	StageObj: Stage{PK: writePK, Name: "mail", Component: "ak-stage-email-form", VerboseName: "Email Stage",
		VerboseNamePlural: "Email Stages", MetaModelName: "authentik_stages_email.emailstage", FlowSet: []FlowSet{}},
	ReEvaluatePolicies: true, Order: 10, PolicyEngineMode: PolicyEngineModeAny, InvalidResponseAction: InvalidResponseActionRetry}

// TestFlowsAndBindings: every operation of both services sends exactly its
// method, path, query and body, and decodes every field of the answer.
func TestFlowsAndBindings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	page := func(item string) string {
		return `{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[` + item + `],"autocomplete":{}}`
	}
	tests := []struct {
		name                      string
		status                    int
		answer                    string
		call                      func(c *Client) (any, error)
		method, path, query, body string
		want                      any
	}{
		{"flows list", 200, page(flowJSON), func(c *Client) (any, error) {
			p, err := c.Flows.List(ctx, &FlowListOptions{ListOptions: ListOptions{Ordering: "slug", PageSize: 5, Search: "re"},
				DeniedAction: DeniedActionMessage, Designation: FlowDesignationRecovery, FlowUUID: flowPK, Name: "Recovery", Slug: "recovery"})
			if err != nil {
				return nil, err
			}
			return p.Results[0], nil
		}, "GET", "/api/v3/flows/instances/",
			"denied_action=message&designation=recovery&flow_uuid=" + flowPK + "&name=Recovery&ordering=slug&page_size=5&search=re&slug=recovery", "", wantFlow},
		{"flows get", 200, flowJSON, func(c *Client) (any, error) { return deref1(c.Flows.Get(ctx, "recovery")) },
			"GET", "/api/v3/flows/instances/recovery/", "", "", wantFlow},
		{"flows create", 201, flowJSON, func(c *Client) (any, error) {
			return deref1(c.Flows.Create(ctx, &FlowRequest{Name: Ptr("Recovery"), Slug: Ptr("recovery"), Title: Ptr("Reset your password"),
				Designation: Ptr(FlowDesignationRecovery), Authentication: Ptr(FlowAuthenticationRequireUnauthenticated),
				Background: Ptr("flow-backgrounds/sea.jpg"), CompatibilityMode: Ptr(true)}))
		}, "POST", "/api/v3/flows/instances/", "",
			`{"authentication":"require_unauthenticated","compatibility_mode":true,"designation":"recovery","name":"Recovery","slug":"recovery","title":"Reset your password","background":"flow-backgrounds/sea.jpg"}`, wantFlow},
		{"flows update", 200, flowJSON, func(c *Client) (any, error) {
			return deref1(c.Flows.Update(ctx, "recovery", &FlowRequest{Name: Ptr("Recovery"), Slug: Ptr("recovery"), Title: Ptr("T"),
				Designation: Ptr(FlowDesignationRecovery)}))
		}, "PUT", "/api/v3/flows/instances/recovery/", "", `{"designation":"recovery","name":"Recovery","slug":"recovery","title":"T"}`, wantFlow},
		{"flows patch", 200, flowJSON, func(c *Client) (any, error) {
			return deref1(c.Flows.Patch(ctx, "recovery", &FlowRequest{Layout: Ptr(FlowLayoutSidebarLeft)}))
		}, "PATCH", "/api/v3/flows/instances/recovery/", "", `{"layout":"sidebar_left"}`, wantFlow},
		{"flows patch renames", 200, strings.ReplaceAll(flowJSON, `"slug":"recovery"`, `"slug":"reset"`), func(c *Client) (any, error) {
			f, err := c.Flows.Patch(ctx, "recovery", &FlowRequest{Slug: Ptr("reset")})
			if err != nil {
				return nil, err
			}
			return f.Slug, nil
		}, "PATCH", "/api/v3/flows/instances/recovery/", "", `{"slug":"reset"}`, "reset"},
		{"flows delete", 204, "", func(c *Client) (any, error) { return nil, c.Flows.Delete(ctx, "recovery") },
			"DELETE", "/api/v3/flows/instances/recovery/", "", "", nil},
		{"flows used_by", 200, `[{"app":"authentik_flows","model_name":"flowstagebinding","pk":"` + bindingPK + `","name":"Flow-stage binding #10 to ` + flowPK + `","action":"cascade"}]`,
			func(c *Client) (any, error) { return c.Flows.UsedBy(ctx, "recovery") },
			"GET", "/api/v3/flows/instances/recovery/used_by/", "", "",
			[]UsedBy{{App: "authentik_flows", ModelName: "flowstagebinding", PK: bindingPK, Name: "Flow-stage binding #10 to " + flowPK, Action: UsedByActionCascade}}},
		{"bindings list", 200, page(bindingJSON), func(c *Client) (any, error) {
			p, err := c.FlowStageBindings.List(ctx, &FlowStageBindingListOptions{Target: flowPK, Stage: writePK, Order: Ptr(0),
				EvaluateOnPlan: Ptr(false), ReEvaluatePolicies: Ptr(true), InvalidResponseAction: InvalidResponseActionRestart,
				PolicyEngineMode: PolicyEngineModeAll, FlowStageBindingUUID: bindingPK, PolicyBindingModelUUID: bindingPK,
				Policies: []string{flowPK, writePK}})
			if err != nil {
				return nil, err
			}
			return p.Results[0], nil
		}, "GET", "/api/v3/flows/bindings/",
			"evaluate_on_plan=false&fsb_uuid=" + bindingPK + "&invalid_response_action=restart&order=0&pbm_uuid=" + bindingPK +
				"&policies=" + flowPK + "&policies=" + writePK + "&policy_engine_mode=all&re_evaluate_policies=true&stage=" + writePK + "&target=" + flowPK,
			"", wantBinding},
		{"bindings get", 200, bindingJSON, func(c *Client) (any, error) { return deref1(c.FlowStageBindings.Get(ctx, bindingPK)) },
			"GET", "/api/v3/flows/bindings/" + bindingPK + "/", "", "", wantBinding},
		{"bindings create", 201, bindingJSON, func(c *Client) (any, error) {
			return deref1(c.FlowStageBindings.Create(ctx, &FlowStageBindingRequest{Target: Ptr(flowPK), Stage: Ptr(writePK), Order: Ptr(10),
				ReEvaluatePolicies: Ptr(true), InvalidResponseAction: Ptr(InvalidResponseActionRetry)}))
		}, "POST", "/api/v3/flows/bindings/", "",
			`{"invalid_response_action":"retry","order":10,"re_evaluate_policies":true,"stage":"` + writePK + `","target":"` + flowPK + `"}`, wantBinding},
		{"bindings patch", 200, bindingJSON, func(c *Client) (any, error) {
			return deref1(c.FlowStageBindings.Patch(ctx, bindingPK, &FlowStageBindingRequest{Order: Ptr(0)}))
		}, "PATCH", "/api/v3/flows/bindings/" + bindingPK + "/", "", `{"order":0}`, wantBinding},
		{"bindings delete", 204, "", func(c *Client) (any, error) { return nil, c.FlowStageBindings.Delete(ctx, bindingPK) },
			"DELETE", "/api/v3/flows/bindings/" + bindingPK + "/", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			call, got := callOnce(t, tt.status, tt.answer, tt.call)
			wantQ, _ := url.ParseQuery(tt.query)
			gotQ, _ := url.ParseQuery(call.query)
			if call.method != tt.method || call.path != tt.path || !reflect.DeepEqual(gotQ, wantQ) {
				t.Errorf("sent %s %s?%s, want %s %s?%s", call.method, call.path, call.query, tt.method, tt.path, tt.query)
			}
			if !jsonEqual(call.body, tt.body) {
				t.Errorf("body %s, want %s", call.body, tt.body)
			}
			if tt.body != "" && call.contentType != "application/json" {
				t.Errorf("Content-Type %q", call.contentType)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

// TestFlowsAndBindingsInputChecks: what the schema says of a request, a key
// or a filter is checked before sending, naming the field.
func TestFlowsAndBindingsInputChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	full := func() *FlowRequest {
		return &FlowRequest{Name: Ptr("n"), Slug: Ptr("s"), Title: Ptr("t"), Designation: Ptr(FlowDesignationRecovery)}
	}
	with := func(f func(*FlowRequest)) *FlowRequest { r := full(); f(r); return r }
	tests := []struct {
		name  string
		call  func(*Client) error
		field string
	}{
		{"flow without slug", func(c *Client) error {
			_, err := c.Flows.Create(ctx, with(func(r *FlowRequest) { r.Slug = nil }))
			return err
		}, "FlowRequest.Slug"},
		{"flow without designation", func(c *Client) error {
			_, err := c.Flows.Update(ctx, "s", with(func(r *FlowRequest) { r.Designation = nil }))
			return err
		}, "FlowRequest.Designation"},
		{"flow slug not a slug", func(c *Client) error {
			_, err := c.Flows.Patch(ctx, "s", &FlowRequest{Slug: Ptr("a b")})
			return err
		}, "FlowRequest.Slug"},
		{"blank title", func(c *Client) error {
			_, err := c.Flows.Create(ctx, with(func(r *FlowRequest) { r.Title = Ptr(" \t") }))
			return err
		}, "FlowRequest.Title"},
		{"nil request", func(c *Client) error { _, err := c.Flows.Create(ctx, nil); return err }, "req"},
		{"get a path as a slug", func(c *Client) error { _, err := c.Flows.Get(ctx, "../core/users"); return err }, "slug"},
		{"delete dot-dot", func(c *Client) error { return c.Flows.Delete(ctx, "..") }, "slug"},
		{"empty slug", func(c *Client) error { _, err := c.Flows.UsedBy(ctx, ""); return err }, "slug"},
		{"flow filter not a UUID", func(c *Client) error {
			_, err := c.Flows.List(ctx, &FlowListOptions{FlowUUID: "recovery"})
			return err
		}, "FlowListOptions.FlowUUID"},
		{"binding without order", func(c *Client) error {
			_, err := c.FlowStageBindings.Create(ctx, &FlowStageBindingRequest{Target: Ptr(flowPK), Stage: Ptr(writePK)})
			return err
		}, "FlowStageBindingRequest.Order"},
		{"binding target a slug", func(c *Client) error {
			_, err := c.FlowStageBindings.Create(ctx, &FlowStageBindingRequest{Target: Ptr("recovery"), Stage: Ptr(writePK), Order: Ptr(1)})
			return err
		}, "FlowStageBindingRequest.Target"},
		{"binding order past int32", func(c *Client) error {
			_, err := c.FlowStageBindings.Patch(ctx, bindingPK, &FlowStageBindingRequest{Order: Ptr(1 << 31)})
			return err
		}, "FlowStageBindingRequest.Order"},
		{"binding pk not a UUID", func(c *Client) error { _, err := c.FlowStageBindings.Get(ctx, "10"); return err }, "pk"},
		{"binding filter not a UUID", func(c *Client) error {
			_, err := c.FlowStageBindings.List(ctx, &FlowStageBindingListOptions{Target: "recovery"})
			return err
		}, "FlowStageBindingListOptions.Target"},
		{"one of the policies not a UUID", func(c *Client) error {
			_, err := c.FlowStageBindings.List(ctx, &FlowStageBindingListOptions{Policies: []string{flowPK, "x"}})
			return err
		}, "FlowStageBindingListOptions.Policies"},
	}
	for _, tt := range tests {
		wantRefused(t, tt.name, tt.call, tt.field)
	}
}

// TestFlowBackgroundByRelease: before 2025.12 a flow's "background" is the URL
// to show (Background); from 2025.12 it is the stored value (BackgroundFile)
// beside "background_url".
func TestFlowBackgroundByRelease(t *testing.T) {
	t.Parallel()
	var old, cur Flow
	if err := decodeAnswer([]byte(`{"slug":"x","designation":"recovery","background":"/static/dist/assets/images/flow_background.jpg"}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Background != "/static/dist/assets/images/flow_background.jpg" || old.BackgroundFile != "" {
		t.Errorf("2025.10: %+v", old)
	}
	if err := decodeAnswer([]byte(flowJSON), &cur); err != nil {
		t.Fatal(err)
	}
	if cur.Background != wantFlow.Background || cur.BackgroundFile != "flow-backgrounds/sea.jpg" {
		t.Errorf("2026.8: %+v", cur)
	}
}

func deref1[T any](v *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return *v, nil
}

// jsonEqual compares two JSON texts by value ("" is no body).
func jsonEqual(a []byte, b string) bool {
	if len(a) == 0 || b == "" {
		return len(a) == 0 && b == ""
	}
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}
