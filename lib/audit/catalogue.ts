// The audit catalogue: every entity type and every action an audit_logs row may carry, in one place.
// Entity types are lower snake_case; an action is "<area>.<verb_in_snake_case>" and belongs to exactly
// one entity type (the row's entity_id is that entity). The writers in lib/audit take these types only
// (a typo, or an action written for the wrong entity, fails the type check), and the database checks
// both columns too (CHECK constraints audit_logs_entity_type_check / audit_logs_action_check, created
// in prisma/migrations/*_audit_catalogue). Adding an entry = one line here + a migration that re-creates
// the two constraints with the new lists (tests/integration/audit.test.ts compares the database's
// lists with this file and prints the SQL to paste when they differ).
//
// Pure module (no server imports): the unit tests, the migration check and lib/audit use it.

export const AUDIT_CATALOGUE = {
  user: ["user.email_verified", "user.password_changed", "user.password_reset", "user.deleted", "user.telegram_linked", "user.telegram_unlinked", "user.platform_admin_granted"],
  organization_request: ["organization_request.submitted", "organization_request.approved", "organization_request.rejected"],
  organization: ["organization.created", "organization.updated", "organization.ownership_transferred", "organization.deleted", "payments.exported"],
  organization_member: ["member.joined_by_invite", "member.removed", "member.left"],
  organization_invite: ["invite.created", "invite.revoked"],
  group: ["group.created", "group.updated", "group.code_regenerated", "group.deleted"],
  group_member: ["group_member.joined_by_code", "group_member.removed", "group_member.left"],
  event: [
    "event.created",
    "event.updated",
    "event.published",
    "event.unpublished",
    "event.cancelled",
    "event.completed",
    "event.deleted",
    "ticket_types.reordered",
    "registrations.exported",
  ],
  ticket_type: ["ticket_type.created", "ticket_type.updated", "ticket_type.activated", "ticket_type.deactivated", "ticket_type.deleted"],
  registration: [
    "registration.created",
    "registration.expired",
    "registration.paid",
    "registration.cancelled",
    "registration.cancelled_by_organizer",
    "registration.cancelled_unpaid_prepayment",
    "registration.cancelled_payment_overdue",
    "registration.checked_in",
    "registration.check_in_earlier_scan",
  ],
  waitlist_entry: ["waitlist.joined", "waitlist.offered", "waitlist.offer_expired", "waitlist.left", "waitlist.claimed"],
  payment: ["payment.recorded"],
  prepayment: ["prepayment.completed"],
  refund: ["refund.requested", "refund.completed", "refund.failed"],
  event_staff_access: ["check_in.staff_link_created", "check_in.staff_link_revoked"],
  notification_template: ["notification_template.created", "notification_template.updated", "notification_template.deleted"],
  payment_account: ["payment_account.connected", "payment_account.updated", "payment_account.disconnected", "payment_account.tested"],
  promo_code: ["promo_code.created", "promo_code.deactivated"],
  event_message: ["event_message.scheduled", "event_message.cancelled", "event_message.sent"],
  message_mute: ["message_mute.created", "message_mute.deleted"],
  api_token: ["api_token.created", "api_token.revoked", "api_token.used"],
  webhook_endpoint: [
    "webhook_endpoint.created",
    "webhook_endpoint.updated",
    "webhook_endpoint.deleted",
    "webhook_endpoint.disabled",
    "webhook_endpoint.enabled",
    "webhook_endpoint.secret_rotated",
  ],
  webhook_delivery: ["webhook_delivery.redelivered"],
} as const satisfies Record<string, readonly string[]>;

export type AuditEntityType = keyof typeof AUDIT_CATALOGUE;
/** The actions of one entity type (all of them without an argument). */
export type AuditAction<E extends AuditEntityType = AuditEntityType> = (typeof AUDIT_CATALOGUE)[E][number];

export const AUDIT_ENTITY_TYPES = Object.keys(AUDIT_CATALOGUE) as readonly AuditEntityType[];
export const AUDIT_ACTIONS = Object.values(AUDIT_CATALOGUE).flat() as readonly AuditAction[];

/** Shorthand for the entity types, so code reads `AUDIT_ENTITY.registration` instead of a free string. */
export const AUDIT_ENTITY = Object.fromEntries(AUDIT_ENTITY_TYPES.map((t) => [t, t])) as { readonly [E in AuditEntityType]: E };

export function isAuditEntityType(value: unknown): value is AuditEntityType {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(AUDIT_CATALOGUE, value);
}

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The entity type an action belongs to. */
export function entityTypeOfAction(action: AuditAction): AuditEntityType {
  return AUDIT_ENTITY_TYPES.find((t) => (AUDIT_CATALOGUE[t] as readonly string[]).includes(action))!;
}

/** The two CHECK constraints as SQL, from this catalogue (what a migration writes when the catalogue changes). */
export function auditCheckConstraintsSql(): string {
  const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
  return [
    `ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_entity_type_check";`,
    `ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_entity_type_check" CHECK ("entity_type" IN (${list(AUDIT_ENTITY_TYPES)}));`,
    `ALTER TABLE "audit_logs" DROP CONSTRAINT IF EXISTS "audit_logs_action_check";`,
    `ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_action_check" CHECK ("action" IN (${list(AUDIT_ACTIONS)}));`,
  ].join("\n");
}
