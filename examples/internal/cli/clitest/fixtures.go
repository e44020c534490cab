package clitest

// The fixtures are stages as authentik's example blueprints create them
// (blueprints/example/flows-recovery-email-mfa-verification.yaml,
// flows-login-email-magic-link.yaml, flows-invitation-enrollment.yaml and
// blueprints/scribe/scribe-internal-admin-invitation-flow.yaml), in the shape of
// the EmailStage response captured from authentik 2025.10.1
// (terraform-provider-authentik#774): flows carry the pre-2025.12 "background"
// key. Fields a blueprint leaves out have the model's defaults; the UUIDs are
// made up.

// RecoveryEmail is "default-recovery-email", bound to default-recovery-flow.
const RecoveryEmail = `{
  "pk": "4b1a5c2e-8f0d-4e3b-9a67-2d5e1f0c7a31",
  "name": "default-recovery-email",
  "component": "ak-stage-email-form",
  "verbose_name": "Email Stage",
  "verbose_name_plural": "Email Stages",
  "meta_model_name": "authentik_stages_email.emailstage",
  "flow_set": [{
    "pk": "9d3e7f21-5c4b-4a8e-b1f6-0e2d3c4b5a69",
    "policybindingmodel_ptr_id": "c2f0a8e4-7b1d-4c3e-8a59-6f4e3d2c1b07",
    "name": "Default recovery flow",
    "slug": "default-recovery-flow",
    "title": "Reset your password",
    "designation": "recovery",
    "background": "/static/dist/assets/images/flow_background.jpg",
    "policy_engine_mode": "any",
    "compatibility_mode": false,
    "export_url": "/api/v3/flows/instances/default-recovery-flow/export/",
    "layout": "stacked",
    "denied_action": "message_continue"
  }],
  "use_global_settings": true,
  "host": "localhost",
  "port": 25,
  "username": "",
  "use_tls": false,
  "use_ssl": false,
  "timeout": 10,
  "from_address": "system@authentik.local",
  "token_expiry": "minutes=30",
  "subject": "authentik",
  "template": "email/password_reset.html",
  "activate_user_on_success": true,
  "recovery_max_attempts": 5,
  "recovery_cache_timeout": "minutes=5"
}`

// MagicLinkEmail is "default-authentication-email-magic-link", bound to
// default-authentication-flow.
const MagicLinkEmail = `{
  "pk": "e7c91b30-2a6f-4d85-bc14-83f5a0d9e2c6",
  "name": "default-authentication-email-magic-link",
  "component": "ak-stage-email-form",
  "verbose_name": "Email Stage",
  "verbose_name_plural": "Email Stages",
  "meta_model_name": "authentik_stages_email.emailstage",
  "flow_set": [{
    "pk": "1f8b2d47-6e3a-4c91-a5d0-b7c2e9f41d58",
    "policybindingmodel_ptr_id": "5a0e4c93-d1b7-4f26-9e83-2c6b8d0a7f14",
    "name": "Default Authentication Flow",
    "slug": "default-authentication-flow",
    "title": "Welcome to authentik!",
    "designation": "authentication",
    "background": "/static/dist/assets/images/flow_background.jpg",
    "policy_engine_mode": "any",
    "compatibility_mode": false,
    "export_url": "/api/v3/flows/instances/default-authentication-flow/export/",
    "layout": "stacked",
    "denied_action": "message_continue"
  }],
  "use_global_settings": true,
  "host": "localhost",
  "port": 25,
  "username": "",
  "use_tls": false,
  "use_ssl": false,
  "timeout": 10,
  "from_address": "system@authentik.local",
  "token_expiry": "minutes=30",
  "subject": "authentik sign-in link",
  "template": "email/account_confirmation.html",
  "activate_user_on_success": false,
  "recovery_max_attempts": 5,
  "recovery_cache_timeout": "minutes=5"
}`

// ExternalInvitation is "invitation-enrollment-invitation-external", bound to
// invitation-enrollment-flow-external.
const ExternalInvitation = `{
  "pk": "3c6d9e12-4b7a-4f08-8d21-a5e0c3b7f946",
  "name": "invitation-enrollment-invitation-external",
  "component": "ak-stage-invitation-form",
  "verbose_name": "Invitation Stage",
  "verbose_name_plural": "Invitation Stages",
  "meta_model_name": "authentik_stages_invitation.invitationstage",
  "flow_set": [{
    "pk": "8e2a4f60-1d9c-4b37-a6e5-0f3b7c9d2e81",
    "policybindingmodel_ptr_id": "b4d7e1a9-3c6f-4e20-9b58-7a1c0e4f3d62",
    "name": "Invitation Enrollment Flow (External Users)",
    "slug": "invitation-enrollment-flow-external",
    "title": "Welcome! Complete your enrollment",
    "designation": "enrollment",
    "background": "/static/dist/assets/images/flow_background.jpg",
    "policy_engine_mode": "any",
    "compatibility_mode": false,
    "export_url": "/api/v3/flows/instances/invitation-enrollment-flow-external/export/",
    "layout": "stacked",
    "denied_action": "message_continue"
  }],
  "continue_flow_without_invitation": false
}`

// InternalInvitation is "invitation-enrollment-invitation-internal", bound to
// invitation-enrollment-flow-internal.
const InternalInvitation = `{
  "pk": "a1f5c8d3-9e2b-4a64-b07c-5d8e1f2a3b94",
  "name": "invitation-enrollment-invitation-internal",
  "component": "ak-stage-invitation-form",
  "verbose_name": "Invitation Stage",
  "verbose_name_plural": "Invitation Stages",
  "meta_model_name": "authentik_stages_invitation.invitationstage",
  "flow_set": [{
    "pk": "d6b3e9f2-0a4c-4d81-8f57-c2e6a1b9d043",
    "policybindingmodel_ptr_id": "7c1e5a08-b3d6-4f92-a4e0-9d2f6b8c1e75",
    "name": "Invitation Enrollment Flow (Internal Users)",
    "slug": "invitation-enrollment-flow-internal",
    "title": "Welcome! Complete your enrollment",
    "designation": "enrollment",
    "background": "/static/dist/assets/images/flow_background.jpg",
    "policy_engine_mode": "any",
    "compatibility_mode": false,
    "export_url": "/api/v3/flows/instances/invitation-enrollment-flow-internal/export/",
    "layout": "stacked",
    "denied_action": "message_continue"
  }],
  "continue_flow_without_invitation": false
}`

// AdminInvitation is "internal-admin-invitation" from the scribe blueprint,
// bound to internal-admin-invitation, a flow with a non-default layout.
const AdminInvitation = `{
  "pk": "f0e2b7a4-6c1d-4e58-93b6-1a7d4c0e8f25",
  "name": "internal-admin-invitation",
  "component": "ak-stage-invitation-form",
  "verbose_name": "Invitation Stage",
  "verbose_name_plural": "Invitation Stages",
  "meta_model_name": "authentik_stages_invitation.invitationstage",
  "flow_set": [{
    "pk": "2b9d6c41-e8f3-4a07-b5c2-6e0a9d3f1b78",
    "policybindingmodel_ptr_id": "94a3f0e7-5b2c-4d16-8e49-b1c7d2e0a6f3",
    "name": "Internal Admin Invitation",
    "slug": "internal-admin-invitation",
    "title": "Authentik admin sign-up",
    "designation": "enrollment",
    "background": "/static/dist/assets/images/flow_background.jpg",
    "policy_engine_mode": "any",
    "compatibility_mode": false,
    "export_url": "/api/v3/flows/instances/internal-admin-invitation/export/",
    "layout": "sidebar_right",
    "denied_action": "message_continue"
  }],
  "continue_flow_without_invitation": false
}`

// UnboundInvitation is "invitation-stage" from
// flows-invitation-enrollment-minimal.yaml, imported with the context
// continue_flow_without_invitation: true, and not (yet) bound to a flow: the
// one fixture for an empty FLOWS cell and a true CONTINUE WITHOUT INVITATION.
const UnboundInvitation = `{
  "pk": "6e4a2c8f-d0b1-4973-a5e6-3f9c7b1d0e42",
  "name": "invitation-stage",
  "component": "ak-stage-invitation-form",
  "verbose_name": "Invitation Stage",
  "verbose_name_plural": "Invitation Stages",
  "meta_model_name": "authentik_stages_invitation.invitationstage",
  "flow_set": [],
  "continue_flow_without_invitation": true
}`
