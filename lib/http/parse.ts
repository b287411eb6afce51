// zod at the edges: a schema's verdict, or AppError VALIDATION whose field errors are message keys
// keyed like the form's fields (the route edge answers them as 400, the action edge as fieldErrors).
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/identity";

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("VALIDATION", "errors.validation", fieldErrorsOf(parsed.error));
  return parsed.data;
}
