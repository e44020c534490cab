package authentiktest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// stages/all/ lists every stage of every type as StageSerializer shows it;
// a delete there deletes the stage from its own type, with its bindings;
// types lists each type the fake serves.
func TestStagesOfEveryType(t *testing.T) {
	s := NewServer()
	defer s.Close()
	ctx := context.Background()
	c := s.Client()
	flow, err := c.Flows.Create(ctx, &authentik.FlowRequest{Name: authentik.Ptr("Recovery"), Slug: authentik.Ptr("recovery"),
		Title: authentik.Ptr("Recovery"), Designation: authentik.Ptr(authentik.FlowDesignationRecovery)})
	if err != nil {
		t.Fatal(err)
	}
	deny, err := c.DenyStages.Create(ctx, &authentik.DenyStageRequest{Name: authentik.Ptr("b-deny")})
	if err != nil {
		t.Fatal(err)
	}
	if deny.DenyMessage != "" || deny.Component != "ak-stage-deny-form" || deny.MetaModelName != "authentik_stages_deny.denystage" {
		t.Errorf("deny stage %+v: want the model's defaults and computed names", deny)
	}
	login, err := c.UserLoginStages.Create(ctx, &authentik.UserLoginStageRequest{Name: authentik.Ptr("a-login")})
	if err != nil {
		t.Fatal(err)
	}
	if login.SessionDuration != "seconds=0" || login.RememberDevice != "days=30" || login.NetworkBinding != "no_binding" {
		t.Errorf("user login stage %+v: want the model's defaults", login)
	}
	// Stage names are unique across every type.
	_, err = c.PasswordStages.Create(ctx, &authentik.PasswordStageRequest{Name: authentik.Ptr("b-deny"),
		Backends: []authentik.Backends{authentik.BackendsAuthentikCoreAuthInbuiltBackend}})
	var apiErr *authentik.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, authentik.ErrValidation) || apiErr.Fields["name"][0] != "stage with this name already exists." {
		t.Fatalf("a second stage named b-deny of another type: %v", err)
	}
	if _, err := c.FlowStageBindings.Create(ctx, &authentik.FlowStageBindingRequest{Target: &flow.PK, Stage: &deny.PK,
		Order: authentik.Ptr(10)}); err != nil {
		t.Fatal(err)
	}

	page, err := c.Stages.List(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) != 2 || page.Results[0].Name != "a-login" || page.Results[1].Name != "b-deny" {
		t.Fatalf("stages/all/ lists %+v, want a-login and b-deny by name", page.Results)
	}
	got := page.Results[1]
	if got.PK != deny.PK || got.Component != "ak-stage-deny-form" || got.VerboseName != "Deny Stage" ||
		len(got.FlowSet) != 1 || got.FlowSet[0].Slug != "recovery" {
		t.Errorf("stages/all/ shows the deny stage as %+v", got)
	}
	used, err := c.Stages.UsedBy(ctx, deny.PK)
	if err != nil || len(used) != 2 || used[0].ModelName != "flow" || used[0].Action != "cascade_many" ||
		used[1].ModelName != "flowstagebinding" || used[1].Action != "cascade" {
		t.Errorf("used_by through stages/all/: %+v, %v", used, err)
	}
	types, err := c.Stages.Types(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ty := range types {
		seen[ty.ModelName] = true
	}
	if !seen["denystage"] || !seen["userloginstage"] || !seen["emailstage"] || len(types) != 26 {
		t.Errorf("types: %d, %+v", len(types), types)
	}

	if err := c.Stages.Delete(ctx, deny.PK); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DenyStages.Get(ctx, deny.PK); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("the deny stage after a delete through stages/all/: %v", err)
	}
	if b := Objects[authentik.FlowStageBinding](s); len(b) != 0 {
		t.Errorf("its binding survived: %+v", b)
	}
	if _, err := c.Stages.Get(ctx, deny.PK); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("stages/all/ still has it: %v", err)
	}
}

// Deleting a flow or a prompt clears the stages' fields that name it, as the
// models' on_delete says: configure_flow is SET_NULL, a prompt stage's fields
// a many-to-many (the link goes, the stage stays).
func TestDeletesClearReferences(t *testing.T) {
	s := NewServer()
	defer s.Close()
	ctx := context.Background()
	c := s.Client()
	flow, err := c.Flows.Create(ctx, &authentik.FlowRequest{Name: authentik.Ptr("Change password"), Slug: authentik.Ptr("pw"),
		Title: authentik.Ptr("Change"), Designation: authentik.Ptr(authentik.FlowDesignationStageConfiguration)})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := c.PasswordStages.Create(ctx, &authentik.PasswordStageRequest{Name: authentik.Ptr("pw"), ConfigureFlow: &flow.PK,
		Backends: []authentik.Backends{authentik.BackendsAuthentikCoreAuthInbuiltBackend}})
	if err != nil || pw.ConfigureFlow != flow.PK || pw.FailedAttemptsBeforeCancel != 5 {
		t.Fatalf("password stage %+v, %v", pw, err)
	}
	var prompts []string
	for _, key := range []string{"password", "password_repeat"} {
		p, err := c.Prompts.Create(ctx, &authentik.PromptRequest{Name: authentik.Ptr(key), FieldKey: authentik.Ptr(key),
			Label: authentik.Ptr(key), Type: authentik.Ptr(authentik.PromptTypePassword)})
		if err != nil {
			t.Fatal(err)
		}
		prompts = append(prompts, p.PK)
	}
	ps, err := c.PromptStages.Create(ctx, &authentik.PromptStageRequest{Name: authentik.Ptr("ask"), Fields: prompts})
	if err != nil || len(ps.Fields) != 2 {
		t.Fatalf("prompt stage %+v, %v", ps, err)
	}
	if _, err := c.PromptStages.Create(ctx, &authentik.PromptStageRequest{Name: authentik.Ptr("empty"), Fields: []string{}}); !errors.Is(err, authentik.ErrValidation) {
		t.Errorf("a prompt stage with no fields: %v", err)
	}
	if err := c.Flows.Delete(ctx, "pw"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.PasswordStages.Get(ctx, pw.PK); err != nil || got.ConfigureFlow != "" {
		t.Errorf("after its flow's delete, the password stage is %+v, %v; want configure_flow null", got, err)
	}
	if err := c.Prompts.Delete(ctx, prompts[0]); err != nil {
		t.Fatal(err)
	}
	if got, err := c.PromptStages.Get(ctx, ps.PK); err != nil || len(got.Fields) != 1 || got.Fields[0] != prompts[1] {
		t.Errorf("after a prompt's delete, the prompt stage is %+v, %v", got, err)
	}
}

// TestListAndNumberFields: the fake's answers for the list and number fields
// the stage types brought, with DRF's messages; a pk given twice is one link.
func TestListAndNumberFields(t *testing.T) {
	s := NewServer()
	defer s.Close()
	ctx := context.Background()
	c := s.Client()
	p, err := c.Prompts.Create(ctx, &authentik.PromptRequest{Name: authentik.Ptr("pw"), FieldKey: authentik.Ptr("password"),
		Label: authentik.Ptr("Password"), Type: authentik.Ptr(authentik.PromptTypePassword)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, body, field, want string
	}{
		{"stages/authenticator/validate/", `{"name":"v1","totp_otp_throttling_factor":"inf"}`, "totp_otp_throttling_factor", "A valid number is required."},
		{"stages/authenticator/validate/", `{"name":"v2","totp_otp_throttling_factor":"0x1p3"}`, "totp_otp_throttling_factor", "A valid number is required."},
		{"stages/authenticator/validate/", `{"name":"v3","device_classes":"totp"}`, "device_classes", `Expected a list of items but got type "str".`},
		{"stages/prompt/stages/", `{"name":"p1","fields":[]}`, "fields", "This list may not be empty."},
		{"stages/prompt/stages/", `{"name":"p2","fields":[null]}`, "fields", `Invalid pk "None" - object does not exist.`},
		{"stages/prompt/stages/", `{"name":"p3","fields":[{"pk":"a"}]}`, "fields", `“{'pk': 'a'}” is not a valid UUID.`},
		{"stages/prompt/stages/", `{"name":"p4","fields":["00000000-0000-4000-8000-0000000000ff"]}`, "fields",
			`Invalid pk "00000000-0000-4000-8000-0000000000ff" - object does not exist.`},
	} {
		_, err := c.Do(ctx, "POST", tc.path, nil, json.RawMessage(tc.body), nil)
		var apiErr *authentik.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.Fields[tc.field]) == 0 || apiErr.Fields[tc.field][0] != tc.want {
			t.Errorf("POST %s %s: %v, want %s: %q", tc.path, tc.body, err, tc.field, tc.want)
		}
	}
	// A list of choices reports each bad item by its index.
	_, err = c.Do(ctx, "POST", "stages/authenticator/validate/", nil, json.RawMessage(`{"name":"v4","device_classes":["totp","sms2"]}`), nil)
	var apiErr *authentik.APIError
	if !errors.As(err, &apiErr) || !strings.Contains(string(apiErr.Body), `"device_classes":{"1":["\"sms2\" is not a valid choice."]}`) {
		t.Errorf("a bad choice in a list: %v", err)
	}
	ps, err := c.PromptStages.Create(ctx, &authentik.PromptStageRequest{Name: authentik.Ptr("ask"), Fields: []string{p.PK, p.PK}})
	if err != nil || len(ps.Fields) != 1 {
		t.Errorf("a pk given twice: %+v, %v", ps, err)
	}
	v, err := c.AuthenticatorValidateStages.Create(ctx, &authentik.AuthenticatorValidateStageRequest{Name: authentik.Ptr("v5"),
		TOTPOTPThrottlingFactor: authentik.Ptr(2.5)})
	if err != nil || v.TOTPOTPThrottlingFactor != 2.5 || v.SMSOTPThrottlingFactor != 1 || len(v.DeviceClasses) != 6 {
		t.Errorf("validate stage %+v, %v", v, err)
	}
}
