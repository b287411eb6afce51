import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { FieldErrors } from "@/lib/errors";

/**
 * Puts the server's field errors (message keys) on the same fields of the form; returns the fields
 * it could place. Unknown fields are left to the form-level message.
 */
export function applyServerFieldErrors<T extends FieldValues>(
  fieldErrors: FieldErrors | undefined,
  fields: readonly Path<T>[],
  setError: UseFormSetError<T>,
): number {
  let placed = 0;
  let first = true;
  for (const [name, message] of Object.entries(fieldErrors ?? {})) {
    const field = fields.find((f) => f === name);
    if (!field) continue;
    setError(field, { type: "server", message }, { shouldFocus: first });
    first = false;
    placed += 1;
  }
  return placed;
}
