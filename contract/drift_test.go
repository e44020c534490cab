package contract

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestNoDrift: the unmodified schema and the SDK agree, both ways.
func TestNoDrift(t *testing.T) {
	doc, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Check(doc) {
		t.Error(p)
	}
}

// TestDriftIsReported: each kind of schema change is reported, by name.
func TestDriftIsReported(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*openapi3.T)
		want   []string
	}{
		{"renamed field", func(doc *openapi3.T) {
			props := doc.Components.Schemas["EmailStage"].Value.Properties
			props["smtp_host"] = props["host"]
			delete(props, "host")
		}, []string{"EmailStage.smtp_host: schema property has no Go field", "EmailStage.host: Go field Host has no schema property"}},
		{"new enum value", func(doc *openapi3.T) {
			e := doc.Components.Schemas["FlowLayoutEnum"].Value
			e.Enum = append(e.Enum, "sidebar_top")
		}, []string{`FlowLayoutEnum: value "sidebar_top" has no FlowLayout constant`}},
		{"removed enum value", func(doc *openapi3.T) {
			e := doc.Components.Schemas["DeniedActionEnum"].Value
			e.Enum = e.Enum[:2]
		}, []string{`DeniedActionEnum: constant DeniedActionContinue = "continue" is not in the schema`}},
		{"changed type", func(doc *openapi3.T) {
			doc.Components.Schemas["EmailStage"].Value.Properties["port"] = openapi3.NewStringSchema().NewRef()
		}, []string{"EmailStage.port: Go field Port is int, want a string"}},
		{"changed nested type", func(doc *openapi3.T) {
			doc.Components.Schemas["FlowSet"].Value.Properties["compatibility_mode"] = openapi3.NewIntegerSchema().NewRef()
		}, []string{"FlowSet.compatibility_mode: Go field CompatibilityMode is bool, want an integer"}},
		{"new query parameter", func(doc *openapi3.T) {
			op := doc.Paths.Value("/stages/email/").Get
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("recovery_max_attempts").WithSchema(openapi3.NewIntegerSchema())})
		}, []string{"stages_email_list: query parameter recovery_max_attempts has no option field"}},
		{"query parameter type changed", func(doc *openapi3.T) {
			op := doc.Paths.Value("/stages/invitation/stages/").Get
			for _, p := range op.Parameters {
				if p.Value.Name == "no_flows" {
					p.Value = openapi3.NewQueryParameter("no_flows").WithSchema(openapi3.NewStringSchema())
				}
			}
		}, []string{"stages_invitation_stages_list: query parameter no_flows: option field NoFlows is *bool, want a string"}},
		{"binding field renamed", func(doc *openapi3.T) {
			props := doc.Components.Schemas["FlowStageBinding"].Value.Properties
			props["flow"] = props["target"]
			delete(props, "target")
		}, []string{"FlowStageBinding.flow: schema property has no Go field", "FlowStageBinding.target: Go field Target has no schema property"}},
		{"new invalid response action", func(doc *openapi3.T) {
			e := doc.Components.Schemas["InvalidResponseActionEnum"].Value
			e.Enum = append(e.Enum, "ignore")
		}, []string{`InvalidResponseActionEnum: value "ignore" has no InvalidResponseAction constant`}},
		{"flow field from the embedded FlowSet changed type", func(doc *openapi3.T) {
			doc.Components.Schemas["Flow"].Value.Properties["slug"] = openapi3.NewIntegerSchema().NewRef()
		}, []string{"Flow.slug: Go field Slug is string, want an integer"}},
		{"new binding filter", func(doc *openapi3.T) {
			op := doc.Paths.Value("/flows/bindings/").Get
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("stage__name").WithSchema(openapi3.NewStringSchema())})
		}, []string{"flows_bindings_list: query parameter stage__name has no option field"}},
		{"query parameter removed", func(doc *openapi3.T) {
			op := doc.Paths.Value("/stages/email/").Get
			var kept openapi3.Parameters
			for _, p := range op.Parameters {
				if p.Value.Name != "use_ssl" {
					kept = append(kept, p)
				}
			}
			op.Parameters = kept
		}, []string{"stages_email_list: option field UseSSL (use_ssl) is not a query parameter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := LoadSchema()
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(doc)
			problems := Check(doc)
			for _, want := range tt.want {
				found := false
				for _, p := range problems {
					found = found || strings.Contains(p, want)
				}
				if !found {
					t.Errorf("not reported: %s\ngot: %q", want, problems)
				}
			}
			if len(problems) != len(tt.want) {
				t.Errorf("%d problems, want %d: %q", len(problems), len(tt.want), problems)
			}
		})
	}
}

// TestNoWriteDrift: the 2026.8.3 cut and the SDK's request types, partial
// models and write enums agree; the read models also match 2026.8.3.
func TestNoWriteDrift(t *testing.T) {
	doc, err := LoadWriteSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CheckWrites(doc) {
		t.Error(p)
	}
	for _, p := range Check(doc) {
		t.Errorf("2026.8.3: %s", p)
	}
}

// TestWriteDriftIsReported: each kind of change to a request schema is
// reported by name, and nothing else.
func TestWriteDriftIsReported(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*openapi3.T)
		want   []string
	}{
		{"new writable property", func(doc *openapi3.T) {
			doc.Components.Schemas["EmailStageRequest"].Value.Properties["send_copy"] = openapi3.NewBoolSchema().NewRef()
		}, []string{"EmailStageRequest.send_copy: schema property has no Go field"}},
		{"removed property", func(doc *openapi3.T) {
			delete(doc.Components.Schemas["InvitationStageRequest"].Value.Properties, "continue_flow_without_invitation")
		}, []string{"InvitationStageRequest.continue_flow_without_invitation: Go field ContinueFlowWithoutInvitation has no schema property"}},
		{"changed type", func(doc *openapi3.T) {
			doc.Components.Schemas["EmailStageRequest"].Value.Properties["port"] = openapi3.NewStringSchema().NewRef()
		}, []string{"EmailStageRequest.port: Go field Port is *int, want a string"}},
		{"new action", func(doc *openapi3.T) {
			e := doc.Components.Schemas["UsedByActionEnum"].Value
			e.Enum = append(e.Enum, "protect")
		}, []string{`UsedByActionEnum: value "protect" has no UsedByAction constant`}},
		{"invitation field removed", func(doc *openapi3.T) {
			delete(doc.Components.Schemas["Invitation"].Value.Properties, "single_use")
		}, []string{"Invitation.single_use: Go field SingleUse has no schema property"}},
		{"new invitation request property", func(doc *openapi3.T) {
			doc.Components.Schemas["InvitationRequest"].Value.Properties["max_uses"] = openapi3.NewIntegerSchema().NewRef()
		}, []string{"InvitationRequest.max_uses: schema property has no Go field"}},
		{"new flow property", func(doc *openapi3.T) {
			doc.Components.Schemas["Flow"].Value.Properties["icon"] = openapi3.NewStringSchema().NewRef()
		}, []string{"Flow.icon: schema property has no Go field"}},
		{"new authentication value", func(doc *openapi3.T) {
			e := doc.Components.Schemas["AuthenticationEnum"].Value
			e.Enum = append(e.Enum, "require_passkey")
		}, []string{`AuthenticationEnum: value "require_passkey" has no FlowAuthentication constant`}},
		{"new invitation filter", func(doc *openapi3.T) {
			op := findOperation(doc, "stages_invitation_invitations_list")
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("single_use").WithSchema(openapi3.NewBoolSchema())})
		}, []string{"stages_invitation_invitations_list: query parameter single_use has no option field"}},
		{"renamed used_by field", func(doc *openapi3.T) {
			props := doc.Components.Schemas["UsedBy"].Value.Properties
			props["model"] = props["model_name"]
			delete(props, "model_name")
		}, []string{"UsedBy.model_name: Go field ModelName has no schema property"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := LoadWriteSchema()
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(doc)
			got := CheckWrites(doc)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestDriftIsReportedForEveryModel: for every generated model, renaming each
// of its properties in the schema, and adding a query parameter to each
// list operation, is reported by name.
func TestDriftIsReportedForEveryModel(t *testing.T) {
	doc, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	// One document, each change made and undone in turn: Check only reads it.
	for name := range generatedModels {
		p := doc.Components.Schemas[name].Value.Properties
		props := make([]string, 0, len(p))
		for prop := range p {
			props = append(props, prop)
		}
		for _, prop := range props {
			p[prop+"_renamed"] = p[prop]
			delete(p, prop)
			want := name + "." + prop + "_renamed: schema property has no Go field"
			if got := Check(doc); !containsString(got, want) {
				t.Errorf("%s.%s renamed: %q not among %q", name, prop, want, got)
			}
			p[prop] = p[prop+"_renamed"]
			delete(p, prop+"_renamed")
		}
	}
	for opID := range generatedOperations {
		op := findOperation(doc, opID)
		params := op.Parameters
		op.Parameters = append(params[:len(params):len(params)], &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("new_filter").WithSchema(openapi3.NewStringSchema())})
		want := opID + ": query parameter new_filter has no option field"
		if got := Check(doc); !containsString(got, want) {
			t.Errorf("%s: %q not among %q", opID, want, got)
		}
		op.Parameters = params
	}
	if got := Check(doc); len(got) != 0 {
		t.Errorf("after undoing every change: %q", got)
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
