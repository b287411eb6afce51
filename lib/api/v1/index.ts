// Every REST API v1 operation, in one array: the OpenAPI document (lib/api/openapi.ts) registers these,
// the contract tests find an operation here by method + path, and tests/unit/openapi.test.ts checks that
// each is exported by a route file under app/api/v1. Adding a resource = its operations file in
// lib/api/v1 + ONE spread line below (keep it additive: one line per resource file).
import type { ApiOperation } from "@/lib/api/operation";
import * as organization from "./organization";
import * as events from "./events";
import * as ticketTypes from "./ticket-types";
import * as promoCodes from "./promo-codes";
import * as checkInsOps from "./check-ins";
import * as meOps from "./me";
import * as paymentsOps from "./payments";
import * as registrationsOps from "./registrations";
import * as waitlistOps from "./waitlist";

/** The operations of a module: its exports that are operations (defineOperation results). */
export function operationsOf(module: Record<string, unknown>): ApiOperation[] {
  return Object.values(module).filter(
    (value): value is ApiOperation =>
      typeof value === "object" && value !== null && "id" in value && "method" in value && "path" in value && "handler" in value,
  );
}

export const API_OPERATIONS: readonly ApiOperation[] = [
  ...operationsOf(organization),
  ...operationsOf(events),
  ...operationsOf(ticketTypes),
  ...operationsOf(promoCodes),
  ...operationsOf(registrationsOps),
  ...operationsOf(checkInsOps),
  ...operationsOf(waitlistOps),
  ...operationsOf(paymentsOps),
  ...operationsOf(meOps),
];
