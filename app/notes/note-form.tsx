// The biography note form of the new and edit pages: type, date, title, rich text.
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useLeaveWarning } from "../components/leave-warning.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, SubmitButton, TextField } from "../components/forms.tsx";
import { RichTextEditor } from "../rich-text/rich-text-editor.tsx";
import { todayInputValue } from "../cases/format.ts";
import { NOTE_TYPES, noteSchema } from "./note-fields.ts";

type Props = {
  id: string;
  lastResult?: SubmissionResult<string[]> | null | undefined;
  contentErrors?: string[] | undefined;
  defaults?: { type: string; noteDate: string; title: string; contentJson: string; contentText: string; version: number } | undefined;
  submitLabel: string;
  /** Where the form posts (default: the current route). */
  action?: string | undefined;
};

export function NoteForm({ id, lastResult, contentErrors, defaults, submitLabel, action }: Props) {
  const { t } = useTranslation("notes");
  const formRef = useRef<HTMLFormElement>(null);
  const { t: tc } = useTranslation();
  useLeaveWarning(formRef, tc("leaveUnsaved"), action);
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults ? { type: defaults.type, noteDate: defaults.noteDate, title: defaults.title } : { type: "", noteDate: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: noteSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" action={action} className="note-form" {...getFormProps(form)} ref={formRef}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      {defaults ? <input type="hidden" name="version" value={defaults.version} /> : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      <div className="inline-fields">
        <SelectField field={fields.type} label={t("fields.type")} placeholder={t("form.choose")} options={NOTE_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
        <TextField field={fields.noteDate} label={t("fields.noteDate")} type="date" />
      </div>
      <TextField field={fields.title} label={t("fields.title")} maxLength={200} autoComplete="off" />
      <RichTextEditor name="content" label={t("fields.content")} initialJson={defaults?.contentJson} initialText={defaults?.contentText} errors={contentErrors} />
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
