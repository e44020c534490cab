package authentiktest

import (
	"github.com/authentik-go/authentik"
)

// Values authentik computes for every stage of a type (StageSerializer's
// component, verbose_name, verbose_name_plural and meta_model_name; see
// ../shared/authentik/REAL-DATA.md).
const (
	emailComponent      = "ak-stage-email-form"
	invitationComponent = "ak-stage-invitation-form"
	flowBackground      = "/static/dist/assets/images/flow_background.jpg"
)

// completeEmail fills in what the server would compute for a stage added by a test.
func completeEmail(st authentik.EmailStage) authentik.EmailStage {
	st.PK = orUUID(st.PK)
	st.Component = or(st.Component, emailComponent)
	st.VerboseName = or(st.VerboseName, "Email Stage")
	st.VerboseNamePlural = or(st.VerboseNamePlural, "Email Stages")
	st.MetaModelName = or(st.MetaModelName, "authentik_stages_email.emailstage")
	st.FlowSet = completeFlows(st.FlowSet)
	return st
}

// completeInvitation is completeEmail for invitation stages.
func completeInvitation(st authentik.InvitationStage) authentik.InvitationStage {
	st.PK = orUUID(st.PK)
	st.Component = or(st.Component, invitationComponent)
	st.VerboseName = or(st.VerboseName, "Invitation Stage")
	st.VerboseNamePlural = or(st.VerboseNamePlural, "Invitation Stages")
	st.MetaModelName = or(st.MetaModelName, "authentik_stages_invitation.invitationstage")
	st.FlowSet = completeFlows(st.FlowSet)
	return st
}

// completeFlows fills a flow's computed fields: pk, policybindingmodel_ptr_id
// (the same UUID: Flow inherits PolicyBindingModel), export_url and background_url.
// The list is never null: the schema's flow_set is a required array.
func completeFlows(flows []authentik.FlowSet) []authentik.FlowSet {
	out := make([]authentik.FlowSet, len(flows))
	for i, f := range flows {
		f.PK = orUUID(f.PK)
		f.PolicyBindingModelPtrID = or(f.PolicyBindingModelPtrID, f.PK)
		f.ExportURL = or(f.ExportURL, "/api/v3/flows/instances/"+f.Slug+"/export/")
		f.Background = or(f.Background, flowBackground)
		out[i] = f
	}
	return out
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// orUUID keeps a pk, or makes a random (version 4) UUID as Django's uuid4 default does.
func orUUID(pk string) string {
	if pk != "" {
		return pk
	}
	h := []byte(randomHex(16))
	h[12] = '4'             // version 4
	h[16] = "89ab"[h[16]%4] // RFC 4122 variant
	s := string(h)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
