import { useId, type ReactNode } from "react";
import { cn } from "./cn";
import { Input, type InputProps } from "./input";

/** Props a field control needs to be labelled and described. */
export type FieldControlProps = {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
  "aria-required": true | undefined;
};

export type FormFieldProps = {
  label: ReactNode;
  /** Already translated error text; shown under the control and announced. */
  error?: string;
  hint?: ReactNode;
  /** Shown after the label, e.g. "(optional)". */
  labelSuffix?: ReactNode;
  required?: boolean;
  id?: string;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
};

/** Label + control + hint + error, wired with aria-invalid and aria-describedby. */
export function FormField({ label, error, hint, labelSuffix, required, id, className, children }: FormFieldProps) {
  const autoId = useId();
  const controlId = id ?? `field-${autoId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <label htmlFor={controlId} className="text-sm font-medium text-slate-800">
        {label}
        {labelSuffix && <> <span className="font-normal text-slate-500">{labelSuffix}</span></>}
      </label>
      {children({
        id: controlId,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
        "aria-required": required ? true : undefined,
      })}
      {hint && !error && (
        <p id={hintId} className="text-sm text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700" data-field-error>
          {error}
        </p>
      )}
    </div>
  );
}

export type TextFieldProps = Omit<FormFieldProps, "children"> & { inputProps: InputProps };

/** A FormField with a text input (spread react-hook-form's `register(...)` into inputProps). */
export function TextField({ inputProps, ...field }: TextFieldProps) {
  return <FormField {...field}>{(control) => <Input {...inputProps} {...control} />}</FormField>;
}
