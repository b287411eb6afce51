-- Audit entity types and actions are one catalogue (lib/audit/catalogue.ts) that the database checks too.
-- tests/integration/audit.test.ts compares these lists with the catalogue: a new entry there needs a new
-- migration that drops and re-creates both constraints (the test prints the SQL).

-- ── one spelling for the rows written so far ──────────────────────────────────────────────────────
-- Entity types are lower snake_case ("Registration" → "registration", "OrganizationRequest" →
-- "organization_request", "Payment" → "payment"), as the event's Activity tab reads them; actions are
-- "<area>.<snake_case>" ("registration.cancelledByOrganizer" → "registration.cancelled_by_organizer").
UPDATE "audit_logs"
   SET "entity_type" = lower(regexp_replace("entity_type", '([a-z0-9])([A-Z])', '\1_\2', 'g'))
 WHERE "entity_type" ~ '[A-Z]';
UPDATE "audit_logs"
   SET "action" = lower(regexp_replace("action", '([a-z0-9])([A-Z])', '\1_\2', 'g'))
 WHERE "action" ~ '[A-Z]';

-- ── the catalogue ─────────────────────────────────────────────────────────────────────────────────
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_entity_type_check" CHECK ("entity_type" IN (
  'user', 'organization_request', 'organization', 'organization_member', 'organization_invite', 'group',
  'group_member', 'event', 'ticket_type', 'registration', 'waitlist_entry', 'payment', 'prepayment',
  'event_staff_access', 'notification_template'
));

ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_action_check" CHECK ("action" IN (
  -- user
  'user.email_verified', 'user.password_changed', 'user.password_reset', 'user.deleted', 'user.telegram_linked',
  'user.telegram_unlinked',
  -- organization_request
  'organization_request.submitted', 'organization_request.approved', 'organization_request.rejected',
  -- organization
  'organization.created', 'organization.updated', 'organization.ownership_transferred', 'organization.deleted',
  -- organization_member
  'member.joined_by_invite', 'member.removed', 'member.left',
  -- organization_invite
  'invite.created', 'invite.revoked',
  -- group
  'group.created', 'group.updated', 'group.code_regenerated', 'group.deleted',
  -- group_member
  'group_member.joined_by_code', 'group_member.removed', 'group_member.left',
  -- event
  'event.created', 'event.updated', 'event.published', 'event.unpublished', 'event.cancelled', 'event.completed',
  'event.deleted', 'ticket_types.reordered', 'registrations.exported',
  -- ticket_type
  'ticket_type.created', 'ticket_type.updated', 'ticket_type.activated', 'ticket_type.deactivated', 'ticket_type.deleted',
  -- registration
  'registration.created', 'registration.expired', 'registration.paid', 'registration.cancelled',
  'registration.cancelled_by_organizer', 'registration.cancelled_unpaid_prepayment', 'registration.checked_in',
  'registration.check_in_earlier_scan',
  -- waitlist_entry
  'waitlist.joined', 'waitlist.offered', 'waitlist.offer_expired', 'waitlist.left', 'waitlist.claimed',
  -- payment, prepayment
  'payment.recorded', 'prepayment.completed',
  -- event_staff_access
  'check_in.staff_link_created', 'check_in.staff_link_revoked',
  -- notification_template
  'notification_template.created', 'notification_template.updated', 'notification_template.deleted'
));
