// Form fields driven by conform metadata: label, control, error text tied with aria-describedby.
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** Error messages are i18n keys (optionally "key|{json params}") produced by app/utils/validation.ts. */
export function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {errors.map((e) => translateError(t, e)).join(" ")}
    </p>
  );
}

export function translateError(t: (k: string, o?: Record<string, unknown>) => string, e: string) {
  const [key, params] = e.split("|");
  return t(key ?? e, params ? (JSON.parse(params) as Record<string, unknown>) : undefined);
}

type Common = { label: string; hint?: string };

export function TextField({ field, label, hint, type = "text", ...rest }: Common & { field: FieldMetadata<unknown>; type?: "text" | "password" | "date" | "number" | "email" | "tel" } & React.InputHTMLAttributes<HTMLInputElement>) {
  const props = getInputProps(field as FieldMetadata<string>, { type, ariaDescribedBy: hint ? `${field.id}-hint` : undefined });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? <div id={`${field.id}-hint`} className="muted">{hint}</div> : null}
      <input {...props} {...rest} key={props.key} />
      <ErrorText id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function SelectField({ field, label, hint, options, placeholder }: Common & { field: FieldMetadata<unknown>; options: { value: string; label: string }[]; placeholder?: string }) {
  const props = getSelectProps(field as FieldMetadata<string>, { ariaDescribedBy: hint ? `${field.id}-hint` : undefined });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? <div id={`${field.id}-hint`} className="muted">{hint}</div> : null}
      <select {...props} key={props.key}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function TextAreaField({ field, label }: Common & { field: FieldMetadata<unknown> }) {
  const props = getTextareaProps(field as FieldMetadata<string>);
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea {...props} key={props.key} rows={4} />
      <ErrorText id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function FormErrors({ errors, id }: { errors?: string[]; id?: string }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div className="form-error" role="alert" id={id}>
      {errors.map((e) => translateError(t, e)).join(" ")}
    </div>
  );
}

/** A select in a GET filter form: "all" first, keeps the URL's value, remounts when the URL changes. */
/**
 * A list's filter bar: a GET form (the filters stay in the address, so a filtered list can be bookmarked, shared and
 * reloaded), named for screen readers by a hidden heading (or by `label` alone where the page has no room for one),
 * its fields, and the filter and reset buttons. `keep`: query values the bar does not show but must keep (sorting).
 */
export function FilterForm({ title, titleId, keep, children }: { title: string; titleId?: string; keep?: Record<string, string>; children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="get" className="filters" {...(titleId ? { "aria-labelledby": titleId } : { "aria-label": title })}>
      {titleId ? (
        <h2 id={titleId} className="visually-hidden">
          {title}
        </h2>
      ) : null}
      {Object.entries(keep ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="inline-fields">
        {children}
        <div className="field actions-row">
          <button type="submit">{t("actions.filter")}</button>
          <Link to={location.pathname} className="button secondary">
            {t("actions.reset")}
          </Link>
        </div>
      </div>
    </Form>
  );
}

export function FilterSelect({ id, name, label, value, emptyLabel, options }: { id: string; name: string; label: string; value: string; emptyLabel: string; options: { value: string; label: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value} key={`${name}-${value}`}>
        <option value="">{emptyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A form's submit button, disabled while a submission is on its way: a second click shortly after the first
 * (not a double click, which the browser merges) would otherwise post the form again and create a duplicate.
 */
export function SubmitButton({ children, disabled, ...rest }: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const busy = useNavigation().state === "submitting";
  return (
    <button type="submit" {...rest} disabled={busy || disabled} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}
