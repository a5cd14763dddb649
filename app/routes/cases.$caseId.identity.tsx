import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { readCaseIdentity, writeCaseIdentity } from "../identity/case-identity.server.ts";
import { IDENTITY_FIELDS, IdentitySchema, identityFormValues } from "../identity/identity.ts";
import { todayInputValue, useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { BaseInputs, ChangedMeanwhile, KeptTheirs, keptFields, refusalKey } from "../components/changed-meanwhile.tsx";
import { readBase } from "../utils/field-merge.ts";
import { GROUND_MISSING, erasureGroundFieldsIfDeleting } from "../consent/erasure-grounds.ts";
import { ErasureGroundField } from "../consent/erasure-ground-field.tsx";

// Identity data must never be cached, not even the loader's JSON.
const NO_STORE = { "Cache-Control": "no-store" };

// Emptying a stored field deletes it: the form carries the legal ground, which the save requires only then.
const IdentityFormSchema = IdentitySchema.extend(erasureGroundFieldsIfDeleting);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "identity");
  const caseId = params.caseId ?? "";
  // Scope is checked in the query before decrypting; the read itself is written to the audit log.
  const identity = await readCaseIdentity(request, grant, caseId);
  return json({ caseId, identity, canEdit: hasPermission(grant.user, "write", "identity") }, { headers: NO_STORE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "identity");
  const caseId = params.caseId ?? "";
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: IdentityFormSchema });
  // A refused form keeps the values it was loaded with as its base, even when the page's data is newer by then.
  const base = readBase(form, IDENTITY_FIELDS);
  if (submission.status !== "success") return json({ result: submission.reply(), base, conflict: null }, { status: 400, headers: NO_STORE });
  const { ground, note, ...identity } = submission.value;
  const saved = await writeCaseIdentity(request, grant, caseId, identity, base, { ground, note });
  // A field emptied without a legal ground: nothing saved, the message stands at the ground, the entries stay.
  if ("groundMissing" in saved) return json({ result: submission.reply({ fieldErrors: { ground: [GROUND_MISSING] } }), base, conflict: null }, { status: 400, headers: NO_STORE });
  // Both changed a field: nothing saved, the entries stay in the form beside what was saved meanwhile.
  if ("conflicts" in saved) return json({ result: submission.reply(), base: saved.nextBase, conflict: saved }, { status: 409, headers: NO_STORE });
  return redirect(`/cases/${caseId}/identity?saved=1${saved.keptTheirs.length ? `&kept=${saved.keptTheirs.join(",")}` : ""}`);
}

const INPUT_TYPES: Partial<Record<(typeof IDENTITY_FIELDS)[number], "date" | "tel">> = { dateOfBirth: "date", phone: "tel" };

export default function CaseIdentity() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const conflict = actionData?.conflict;
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const editing = data.canEdit && (searchParams.get("edit") === "1" || actionData !== undefined);
  const formId = conflict ? refusalKey(conflict.proposed) : "identity";
  const [form, fields] = useForm<z.input<typeof IdentityFormSchema>>({
    id: formId,
    lastResult: conflict ? undefined : actionData?.result,
    defaultValue: conflict?.proposed ?? data.identity ?? {},
    onValidate: ({ formData }) => parseWithZod(formData, { schema: IdentityFormSchema }),
    shouldRevalidate: "onInput",
  });
  const identity = data.identity;
  const kept = keptFields(searchParams.get("kept"), IDENTITY_FIELDS);
  const filled = identity ? IDENTITY_FIELDS.filter((f) => (identity[f] ?? "") !== "") : [];
  return (
    <section aria-labelledby="identity-title">
      <h2 id="identity-title">{t("identity.title")}</h2>
      <p className="identity-notice" role="note">
        {t("identity.logged")}
      </p>
      {searchParams.get("saved") === "1" && !editing ? (
        kept.length ? (
          <KeptTheirs labels={kept.map((f) => t(`identity.fields.${f}`))} />
        ) : (
          <p className="notice" role="status">
            {tc("saved")}
          </p>
        )
      ) : null}
      {editing ? (
        <Form method="post" {...getFormProps(form)} key={formId}>
          <CsrfInput />
          <BaseInputs values={actionData?.base ?? identityFormValues(data.identity)} />
          {conflict ? <ChangedMeanwhile rows={conflict.conflicts.map((f) => ({ label: t(`identity.fields.${f}`), value: f === "dateOfBirth" ? formatDate(conflict.current[f]) : conflict.current[f] }))} /> : null}
          <FormErrors errors={form.errors} id={form.errorId} />
          <p className="muted">{t("identity.encryptedHint")}</p>
          {IDENTITY_FIELDS.map((f) => (
            <TextField key={f} field={fields[f]} label={t(`identity.fields.${f}`)} type={INPUT_TYPES[f] ?? "text"} autoComplete="off" max={f === "dateOfBirth" ? todayInputValue() : undefined} />
          ))}
          {filled.length ? <ErasureGroundField ground={fields.ground} note={fields.note} ifDeleting groundHint={t("identity.groundHint")} /> : null}
          <div className="actions-row">
            <button type="submit">{tc("actions.save")}</button>
            <Link to={`/cases/${data.caseId}/identity`} className="button secondary">
              {tc("actions.cancel")}
            </Link>
          </div>
        </Form>
      ) : (
        <>
          {filled.length ? (
            <dl className="facts">
              {filled.map((f) => (
                <div key={f} className="facts-row">
                  <dt>{t(`identity.fields.${f}`)}</dt>
                  <dd>{f === "dateOfBirth" ? formatDate(identity![f]) : identity![f]}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">{t("identity.empty")}</p>
          )}
          {data.canEdit ? (
            <p className="actions-row">
              <Link to="?edit=1" className="button">
                {tc("actions.edit")}
              </Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
