import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import boundaries from "eslint-plugin-boundaries";
import { clientBoundaryPlugin } from "./scripts/lint/client-boundary.mjs";

// ---------------------------------------------------------------------------------------------------
// Boundaries (docs/architecture.md → "Boundaries"). Layers: app → components → lib. Inside lib:
// - kernels (shared by every layer, each module public): lib/db, lib/http, lib/i18n, lib/validation,
//   lib/generated, lib/cache, and the single modules at the root of lib/ (errors, env, idempotency, rate-limit);
// - areas (lib/<area>/): one area reaches another only through its index.ts (server API) or one of
//   the area's pure modules listed in AREA_PURE_MODULES (no "server-only", no database: safe for
//   client components and for any layer, and never the start of an import cycle);
// - client code: lib/<area>/client/ (its own element, not part of the area's server modules);
// - entry points (app/, components/, server actions) may import an area's modules directly; the
//   lib/http route/action wrappers may reach identity's session modules, lib/startup.ts the runtimes.
// Import cycles of value imports are errors (import/no-cycle; type-only imports are erased at build).
// ---------------------------------------------------------------------------------------------------

/** Pure modules of an area that other areas, kernels and client code may import besides index.ts. */
export const AREA_PURE_MODULES = {
  events: ["time.ts", "status.ts", "slug.ts", "paths.ts", "messages.ts", "seats.ts"],
  analytics: ["types.ts", "paths.ts"],
  api: ["scopes.ts", "operation.ts", "pagination.ts"],
  webhooks: ["types.ts", "payloads.ts"],
  organizations: ["slug.ts"],
  tickets: ["codes.ts", "ticket-format.ts"],
  telegram: ["texts.ts", "format.ts"],
  notifications: ["render.ts", "email/index.ts"],
  mail: ["render.ts"],
  media: ["urls.ts", "constants.ts"],
  "check-in": ["offline-verify.ts", "manifest-format.ts"],
  identity: ["types.ts", "constants.ts"],
  promo: ["rules.ts", "rules-sql.ts"],
};

/**
 * Modules an area shares with named neighbour areas only, where going through index.ts would close an
 * import cycle: the neighbour is called back by the area (registrations offers freed seats to the
 * waitlist and lets payments plan a first payment), so it cannot load the area's whole index.
 */
export const AREA_SHARED_MODULES = [
  {
    area: "registrations",
    with: ["api"],
    // REST API v1 (lib/api/v1) reads what the organizer's pages read: the registrations view (keyset
    // pages) and the participant's tickets. They stay out of registrations' index, which would close a
    // cycle (admin.ts plans payments; payments' index loads registrations).
    modules: ["admin.ts", "queries.ts"],
  },
  {
    area: "payments",
    with: ["api"],
    // REST API v1 lists payments with the payments view's rows (report.ts is not in payments' index)
    modules: ["report.ts"],
  },
  {
    area: "registrations",
    with: ["waitlist"],
    // the one sale path: the waitlist claim runs the same sale statement, context and notices
    modules: ["sale.ts", "shared.ts", "tokens.ts", "transitions.ts", "availability.ts"],
  },
  {
    area: "registrations",
    with: ["payments"],
    // an overdue prepayment cancels the registration the same way; confirmation notices
    modules: ["cancel.ts", "shared.ts"],
  },
  {
    area: "payments",
    with: ["events"],
    // the publish guard: a paid type on sale needs a way to pay (payments' index loads registrations,
    // which loads events: the index would close a cycle)
    modules: ["guard.ts"],
  },
  {
    area: "payments",
    with: ["registrations", "events"],
    // a cancellation (of a registration, of an event) requests its refunds in the same transaction
    modules: ["refunds.ts", "transitions.ts"],
  },
  {
    area: "messages",
    with: ["notifications"],
    // the delivery-time variables of organizer.message, registered by notifications (photo-resolvers.ts);
    // messages' index loads notifications (delivery), so the index would close a cycle
    modules: ["variables.ts"],
  },
  {
    area: "registrations",
    with: ["events", "payments"],
    // a registration as a notice recipient (user or guest) and its ticket link: event and payment
    // notices reach guests too (issue 15; the index would close a cycle through payments' refunds)
    modules: ["recipients.ts"],
  },
  {
    area: "registrations",
    with: ["analytics"],
    // the analytics exports stream the registrations CSV's own columns (registrationCsvColumns); the
    // index would close a cycle (admin loads payments, whose settle loads the registrations index)
    modules: ["admin.ts"],
  },
  {
    area: "payments",
    with: ["analytics"],
    // the analytics exports stream the payments CSV's own columns (paymentCsvColumns), one event's payments
    modules: ["report.ts"],
  },
];

const LIB = ["lib-area", "lib-kernel", "lib-client"];

function boundaryConfig() {
  return {
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    plugins: { boundaries, aq: clientBoundaryPlugin },
    settings: {
      // Paths are relative to the folder ESLint runs in (the repository, or a fixture root in tests).
      "boundaries/root-path": process.cwd(),
      "boundaries/elements": [
        { type: "lib-client", pattern: "lib/*/client", capture: ["area"], partialMatch: false },
        { type: "lib-kernel", pattern: "lib/(db|http|i18n|validation|generated|cache)", capture: ["kernel"], partialMatch: false },
        { type: "lib-area", pattern: "lib/*", capture: ["area"], partialMatch: false },
        // the single modules at the root of lib/ (errors.ts, env.ts, idempotency.ts, rate-limit.ts, startup.ts)
        { type: "lib-kernel", pattern: "lib", partialMatch: false },
        { type: "components", pattern: "components", partialMatch: false },
        { type: "app", pattern: "app", partialMatch: false },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          policies: [
            {
              from: { element: { types: LIB } },
              disallow: { to: { element: { types: ["app", "components"] } } },
              message: "lib/ never imports app/ or components/ (docs/architecture.md → Boundaries).",
            },
            {
              from: { element: { type: "components" } },
              disallow: { to: { element: { type: "app" } } },
              message: "components/ never imports app/: put the code in lib/<area>/ (docs/architecture.md → Boundaries).",
            },
            {
              from: { element: { types: LIB } },
              disallow: { to: { element: { type: "lib-area", fileInternalPath: "!index.ts" } } },
              message:
                "Another area of lib/ is reached through its index.ts (or a pure module listed in AREA_PURE_MODULES): {{ to.element.captured.area }}/{{ to.element.fileInternalPath }} is internal.",
            },
            ...Object.entries(AREA_PURE_MODULES).map(([area, modules]) => ({
              from: { element: { types: LIB } },
              allow: { to: { element: { type: "lib-area", captured: { area }, fileInternalPath: modules } } },
            })),
            ...AREA_SHARED_MODULES.map(({ area, with: neighbours, modules }) => ({
              from: { element: { type: "lib-area", captured: { area: neighbours } } },
              allow: { to: { element: { type: "lib-area", captured: { area }, fileInternalPath: modules } } },
            })),
            {
              // Server actions are entry points like app/ and may import any module of an area (the
              // session, for one, is not in identity's index: services never load next/*): a "use server"
              // actions.ts or actions/<page>.ts anywhere in lib/ (lib/i18n/actions.ts, lib/<area>/actions).
              from: { element: { types: LIB, fileInternalPath: ["actions.ts", "**/actions.ts", "actions/**", "**/actions/**"] } },
              allow: { to: { element: { type: "lib-area" } } },
            },
            {
              // The two edges (lib/http/route.ts for route handlers, lib/http/action.ts for server
              // actions) resolve the caller: they are the entry points' plumbing and use identity's
              // session modules, which its index leaves out.
              from: { element: { type: "lib-kernel", captured: { kernel: "http" }, fileInternalPath: ["route.ts", "action.ts"] } },
              allow: { to: { element: { type: "lib-area", captured: { area: "identity" }, fileInternalPath: ["session.ts", "user-sessions.ts"] } } },
            },
            {
              // The composition root (started by instrumentation.ts) starts each area's runtime.
              from: { element: { type: "lib-kernel", fileInternalPath: "startup.ts" } },
              allow: { to: { element: { type: "lib-area", fileInternalPath: "runtime.ts" } } },
            },
          ],
        },
      ],
      "aq/client-placement": "error",
      "aq/client-no-server-only": "error",
    },
  };
}

/**
 * Import cycles are looked for from lib/ and components/ only: lib never imports components or app
 * (the boundaries above), and nothing imports app/, tests/ or scripts/, so every cycle has a file in
 * lib/ or components/ and is reported there. Walking the graph again from each page, test and script
 * cost most of the lint time (three quarters of it was this rule).
 */
function cycleConfig() {
  return {
    files: ["lib/**/*.{js,jsx,mjs,ts,tsx,mts,cts}", "components/**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  };
}

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "lib/generated/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      // Fixtures that break the boundaries on purpose; tests/unit/boundaries.test.ts lints them itself.
      "tests/fixtures/boundaries/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Audit rows are written through lib/audit only (typed catalogue: docs/data-model.md → "Audit").
    files: ["app/**", "components/**", "lib/**", "prisma/**", "scripts/**"],
    ignores: ["lib/audit/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.property.name='auditLog'][property.name=/^create/]",
          message: "Write audit rows with writeAudit()/writeAudits() from @/lib/audit (typed catalogue).",
        },
        {
          selector: "TemplateElement[value.raw=/INSERT\\s+INTO\\s+\"?audit_logs/i], Literal[value=/INSERT\\s+INTO\\s+\"?audit_logs/i]",
          message: "Write audit rows in SQL with the auditInsert() fragment from @/lib/audit (typed catalogue).",
        },
      ],
    },
  },
  boundaryConfig(),
  cycleConfig(),
];

export default config;
