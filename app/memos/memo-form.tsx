// The memo form of the new and edit pages: title, type, rich text.
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useLeaveWarning } from "../components/leave-warning.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, SubmitButton, TextField } from "../components/forms.tsx";
import { RichTextEditor } from "../rich-text/rich-text-editor.tsx";
import { MEMO_TYPES, memoSchema } from "./memo-fields.ts";

type Props = {
  id: string;
  lastResult?: SubmissionResult<string[]> | null | undefined;
  contentErrors?: string[] | undefined;
  defaults?: { title: string; type: string; contentJson: string; contentText: string } | undefined;
  submitLabel: string;
  /** When the edited memo was loaded (its updatedAt): a save based on an older state is refused. */
  base?: string | undefined;
  /** Where the form posts (default: the current route). */
  action?: string | undefined;
  /** A new memo's type when its target suggests one (a memo on a code is a code memo). */
  defaultType?: string | undefined;
};

export function MemoForm({ id, lastResult, contentErrors, defaults, submitLabel, base, action, defaultType }: Props) {
  const { t } = useTranslation("memos");
  const formRef = useRef<HTMLFormElement>(null);
  const { t: tc } = useTranslation();
  useLeaveWarning(formRef, tc("leaveUnsaved"), action);
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults ? { title: defaults.title, type: defaults.type } : { type: defaultType ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: memoSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" action={action} className="memo-form" {...getFormProps(form)} ref={formRef}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      {base ? <input type="hidden" name="base" value={base} /> : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      <TextField field={fields.title} label={t("fields.title")} maxLength={200} autoComplete="off" />
      <SelectField field={fields.type} label={t("fields.type")} placeholder={t("form.choose")} options={MEMO_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
      <RichTextEditor name="content" label={t("fields.content")} initialJson={defaults?.contentJson} initialText={defaults?.contentText} errors={contentErrors} />
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
