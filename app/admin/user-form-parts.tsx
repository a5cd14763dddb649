// Checkbox groups of the user forms (roles, municipalities), driven by conform metadata.
import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { ROLES } from "../permissions/roles.ts";
import { ErrorText } from "../components/forms.tsx";

type Props = { field: FieldMetadata<unknown> };

function CheckboxGroup({ field, legend, hint, options }: Props & { legend: string; hint?: string; options: { value: string; label: string }[] }) {
  const inputs = getCollectionProps(field as FieldMetadata<string[]>, { type: "checkbox", options: options.map((o) => o.value) });
  const hintId = `${field.id}-hint`;
  return (
    <fieldset aria-describedby={[hint ? hintId : "", field.errors?.length ? field.errorId : ""].join(" ").trim() || undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="muted">
          {hint}
        </p>
      ) : null}
      <div className="checkbox-grid">
        {inputs.map(({ key, ...input }, i) => (
          <label key={key ?? input.value} className="checkbox-row" htmlFor={input.id}>
            <input {...input} />
            {options[i]!.label}
          </label>
        ))}
      </div>
      <ErrorText id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}

export function RolesField({ field }: Props) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  return <CheckboxGroup field={field} legend={t("users.roles")} options={ROLES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} />;
}

export function MunicipalitiesField({ field, municipalities }: Props & { municipalities: { id: string; name: string; active: boolean }[] }) {
  const { t } = useTranslation("admin");
  return (
    <CheckboxGroup
      field={field}
      legend={t("users.municipalities")}
      hint={t("users.municipalitiesHint")}
      options={municipalities.map((m) => ({ value: m.id, label: m.active ? m.name : `${m.name} (${t("municipalities.inactive")})` }))}
    />
  );
}
