// The legal ground and the optional note of a deletion for good (ERASURE_GROUNDS), as every confirm form asks for
// them: the same labels, choices and limit everywhere, so the log's entries read alike whatever was deleted.
import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "../components/csrf-input.tsx";
import { SelectField, TextField } from "../components/forms.tsx";
import { ERASURE_GROUNDS, erasureSchema } from "./erasure-grounds.ts";

/**
 * `groundHint`/`noteHint`: what the ground usually is and what the note must not name, for this kind of data.
 * `ifDeleting`: inside a form that deletes only with some entries (erasureGroundFieldsIfDeleting), so the label
 * says when the ground is needed.
 */
export function ErasureGroundField({ ground, note, groundHint, noteHint, ifDeleting }: { ground: FieldMetadata<unknown>; note: FieldMetadata<unknown>; groundHint?: string; noteHint?: string; ifDeleting?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        field={ground}
        label={t(ifDeleting ? "erasure.groundIfDeleting" : "erasure.ground")}
        hint={groundHint ?? t("erasure.groundHint")}
        placeholder={t("cases:form.choose")}
        options={ERASURE_GROUNDS.map((g) => ({ value: g, label: t(`erasureGrounds.${g}`) }))}
      />
      <TextField field={note} label={t("erasure.note")} hint={noteHint ?? t("erasure.noteHint")} maxLength={200} />
    </>
  );
}

type ErasureFormProps = {
  id: string;
  /** The refused attempt of this form (the action's reply), so the message stands at the field and the note stays. */
  lastResult: SubmissionResult<string[]> | null | undefined;
  /** What the action needs besides ground and note: its intent, the id of the row. */
  hidden: Record<string, string>;
  confirm: string;
  label?: string;
  busy?: boolean;
  groundHint?: string;
  noteHint?: string;
};

/** A confirm form that deletes only with a legal ground: ground, note and the button that deletes for good. */
export function ErasureForm({ id, lastResult, hidden, confirm, label, busy, groundHint, noteHint }: ErasureFormProps) {
  const [form, fields] = useForm({
    id,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: erasureSchema }),
    // Checked when sent, then as typed: a check on leaving a field showed its message and moved the button away
    // from under the pointer, so the click that left the field was lost (and focus stayed on the button).
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={label}>
      <CsrfInput />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ErasureGroundField ground={fields.ground} note={fields.note} groundHint={groundHint} noteHint={noteHint} />
      <button type="submit" className="danger" disabled={busy}>
        {confirm}
      </button>
    </Form>
  );
}
