import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // statements.ts: the sale statement stays a plain literal (scripts/bench/rush.mjs reads it); its audit
    // row takes the entity type and action as parameters from auditParams().
    ignores: ["lib/audit/**", "lib/registrations/statements.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.property.name='auditLog'][property.name=/^create/]",
          message: "Write audit rows with writeAudit()/writeAudits() from @/lib/audit (typed catalogue).",
        },
        {
          selector: "TemplateElement[value.raw=/INSERT\\s+INTO\\s+\"?audit_logs/i], Literal[value=/INSERT\\s+INTO\\s+\"?audit_logs/i]",
          message: "Write audit rows in SQL with auditInsertSql()/auditParams() from @/lib/audit (typed catalogue).",
        },
      ],
    },
  },
];

export default config;
