// Form parts shared by the new and edit pages and the consent form: checkbox groups and single checkboxes
// driven by conform metadata, with fieldset/legend and errors tied to the controls.
import { getCollectionProps, getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { ErrorText, SelectField, TextField } from "../components/forms.tsx";
import { INTERVIEW_LANGUAGES, PLACE_TYPES } from "./interview-fields.ts";

export function CheckboxGroup({ field, legend, options, hint }: { field: FieldMetadata<unknown>; legend: string; options: { value: string; label: string }[]; hint?: string }) {
  const items = getCollectionProps(field as FieldMetadata<string[]>, { type: "checkbox", options: options.map((o) => o.value) });
  const label = new Map(options.map((o) => [o.value, o.label]));
  return (
    <fieldset className="checkbox-group" aria-describedby={field.errors?.length ? field.errorId : undefined}>
      <legend>{legend}</legend>
      {hint ? <p className="muted">{hint}</p> : null}
      <div className="checkbox-grid">
        {items.map((props) => (
          <label key={props.key} className="checkbox-row" htmlFor={props.id}>
            <input {...props} key={props.key} />
            {label.get(props.value)}
          </label>
        ))}
      </div>
      <ErrorText id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}

export function CheckboxField({ field, label, hint }: { field: FieldMetadata<unknown>; label: string; hint?: string }) {
  const props = getInputProps(field as FieldMetadata<boolean>, { type: "checkbox", ariaDescribedBy: hint ? `${field.id}-hint` : undefined });
  return (
    <div className="field">
      <label className="checkbox-row" htmlFor={field.id}>
        <input {...props} key={props.key} />
        {label}
      </label>
      {hint ? (
        <div id={`${field.id}-hint`} className="muted">
          {hint}
        </div>
      ) : null}
      <ErrorText id={field.errorId} errors={field.errors} />
    </div>
  );
}

type InterviewFieldSet = {
  date: FieldMetadata<unknown>;
  placeType: FieldMetadata<unknown>;
  languages: FieldMetadata<unknown>;
  interviewerId: FieldMetadata<unknown>;
  durationMinutes: FieldMetadata<unknown>;
};

/** Date, place, languages, interviewer and duration: the same on the new and the edit page. */
export function InterviewMetadataFields({ fields, researchers }: { fields: InterviewFieldSet; researchers: { id: string; displayName: string }[] }) {
  const { t } = useTranslation("interviews");
  return (
    <>
      <TextField field={fields.date} label={t("fields.date")} type="date" />
      <SelectField field={fields.placeType} label={t("fields.placeType")} placeholder={t("form.choose")} options={PLACE_TYPES.map((p) => ({ value: p, label: t(`placeTypes.${p}`) }))} />
      <CheckboxGroup field={fields.languages} legend={t("fields.languages")} options={INTERVIEW_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
      <SelectField field={fields.interviewerId} label={t("fields.interviewer")} placeholder={t("form.choose")} options={researchers.map((r) => ({ value: r.id, label: r.displayName }))} />
      <TextField field={fields.durationMinutes} label={t("fields.durationField")} type="number" min={1} max={600} inputMode="numeric" />
    </>
  );
}
