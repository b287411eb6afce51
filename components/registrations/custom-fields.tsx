"use client";
// The event's extra questions (settings.registrationFields) as form controls: text, select, checkbox.
// Values live under `customFields.<key>` of the react-hook-form form, which is also the name the
// server's field errors use, so errors land on the same control.
import type { FieldErrors, FieldValues, Path, UseFormRegister } from "react-hook-form";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useT } from "@/lib/i18n/client";
import type { RegistrationFieldDefinition } from "@/lib/validation/events";
import { registrationMessage } from "./messages";

type WithAnswers = FieldValues & { customFields?: Record<string, string | boolean> };

export function CustomFields<T extends WithAnswers>({
  fields,
  register,
  errors,
}: {
  fields: readonly RegistrationFieldDefinition[];
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
}) {
  const t = useT();
  if (fields.length === 0) return null;
  const answerErrors = (errors.customFields ?? {}) as Record<string, { message?: string } | undefined>;
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-3 text-base font-semibold text-slate-900">{t("registrations.register.extraTitle")}</legend>
      {fields.map((field) => {
        const name = `customFields.${field.key}` as Path<T>;
        const error = registrationMessage(t, answerErrors[field.key]?.message) || undefined;
        const suffix = field.required ? undefined : t("registrations.register.optional");
        if (field.type === "checkbox") {
          const id = `cf-${field.key}`;
          return (
            <div key={field.key} className="flex flex-col gap-1.5">
              <label htmlFor={id} className="flex min-h-11 cursor-pointer items-start gap-3 text-sm text-slate-800">
                <input
                  id={id}
                  type="checkbox"
                  className="mt-0.5 size-5 shrink-0 accent-brand-600"
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  aria-required={field.required || undefined}
                  {...register(name)}
                />
                <span>
                  {field.label}
                  {suffix && <span className="text-slate-500"> ({suffix})</span>}
                </span>
              </label>
              {error && (
                <p id={`${id}-error`} className="text-sm font-medium text-red-700" data-field-error>
                  {error}
                </p>
              )}
            </div>
          );
        }
        return (
          <FormField key={field.key} label={field.label} labelSuffix={suffix} required={field.required} error={error} id={`cf-${field.key}`}>
            {(control) =>
              field.type === "select" ? (
                <select
                  {...control}
                  {...register(name)}
                  className="block min-h-12 w-full rounded-xl border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-500/40 aria-invalid:border-red-600"
                >
                  <option value="">{t("registrations.register.selectPlaceholder")}</option>
                  {field.options.map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              ) : (
                <Input {...control} {...register(name)} maxLength={1000} />
              )
            }
          </FormField>
        );
      })}
    </fieldset>
  );
}
