import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { db } from "../db/client.server.ts";
import { getInterviewHeader, researcherOptions } from "../interviews/interviews.server.ts";
import { consentDocuments, consentHistory, recordConsent } from "../interviews/consent.server.ts";
import { auditView } from "../audit/audit.server.ts";
import { consentSchema } from "../interviews/interview-schemas.ts";
import { INTERVIEW_LANGUAGES } from "../interviews/interview-fields.ts";
import { CONSENT_FORMS, CONSENT_GIVERS, CONSENT_SCOPES, scopeColumn } from "../consent/scopes.ts";
import { CheckboxField } from "../interviews/interview-form-parts.tsx";
import { ScopeList } from "../interviews/scope-list.tsx";
import { formatBytes, formatDateTime as formatDateAndTime } from "../interviews/format.ts";
import { dateInputValue, todayInputValue, useFormatDate } from "../cases/format.ts";
import { RecordingUpload } from "../recordings/recording-upload.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

/** Researchers, plus whoever took an earlier version (so a copied default stays valid). */
async function takerChoices(interviewId: string) {
  const researchers = await researcherOptions();
  const earlier = await db.consentRecord.findMany({ where: { interviewId, takenById: { not: null } }, select: { takenById: true }, distinct: ["takenById"] });
  const missing = earlier.map((e) => e.takenById!).filter((id) => !researchers.some((r) => r.id === id));
  if (!missing.length) return researchers;
  const others = await db.user.findMany({ where: { id: { in: missing } }, select: { id: true, displayName: true } });
  return [...researchers, ...others];
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "interview");
  const interviewId = params.interviewId ?? "";
  const header = await getInterviewHeader(interviewId);
  const canWrite = hasPermission(grant.user, "write", "interview") && header.status !== "withdrawn";
  const [history, documents, takers] = await Promise.all([consentHistory(interviewId), consentDocuments(interviewId), canWrite ? takerChoices(interviewId) : Promise.resolve([])]);
  const current = history.find((v) => v.current) ?? null;
  await auditView(request, grant.user, { action: "consent.view", entity: "interview", entityId: interviewId, detail: { versions: history.length } });
  const defaults = current
    ? {
        givenBy: current.givenBy,
        givenAt: dateInputValue(current.givenAt),
        takenById: current.takenById ?? "",
        form: current.form,
        language: current.language,
        infoSheetVersion: current.infoSheetVersion,
        copyHandedOver: current.copyHandedOver,
        interpreterPresent: current.interpreterPresent,
        interpreterConfidentiality: current.interpreterConfidentiality,
        ...Object.fromEntries(CONSENT_SCOPES.map((s) => [scopeColumn(s), current[scopeColumn(s)]])),
      }
    : { givenAt: todayInputValue(), takenById: takers.some((r) => r.id === grant.user.id) ? grant.user.id : "" };
  // Consent must come first: when even the earliest recorded consent date lies after the interview, the recording
  // had none. Later versions (a scope changed afterwards) are naturally later; a version with the right date fixes it.
  const earliest = history.map((v) => dateInputValue(v.givenAt)).sort()[0] ?? null;
  const consentAfterInterview = earliest && earliest > dateInputValue(header.date) ? { givenAt: earliest, interviewDate: header.date } : null;
  return json({
    interviewId,
    consentAfterInterview,
    history: history.map((v) => ({
      id: v.id,
      version: v.version,
      current: v.current,
      givenBy: v.givenBy,
      givenAt: v.givenAt,
      takenBy: v.takenBy,
      form: v.form,
      language: v.language,
      infoSheetVersion: v.infoSheetVersion,
      note: v.note,
      copyHandedOver: v.copyHandedOver,
      interpreterPresent: v.interpreterPresent,
      interpreterConfidentiality: v.interpreterConfidentiality,
      scopes: v.scopes,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    })),
    documents,
    canWrite,
    takers,
    defaults,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "interview");
  const interviewId = params.interviewId ?? "";
  const form = await readForm(request, grant.user);
  await getInterviewHeader(interviewId);
  const takers = await takerChoices(interviewId);
  const submission = parseWithZod(form, { schema: consentSchema(takers.map((r) => r.id)) });
  // The version the form was filled from: a refused form keeps it (and its entries) until the person has seen
  // the newer version; then it is based on that one.
  const posted = Number(form.get("basedOn"));
  const basedOn = form.has("basedOn") && Number.isInteger(posted) && posted >= 0 ? posted : null;
  const none = { version: null, newer: null, unchanged: null, needsWithdrawal: null };
  if (submission.status !== "success") return json({ ...none, result: submission.reply(), basedOn }, { status: 400 });
  const created = await recordConsent(request, grant, interviewId, submission.value, basedOn);
  if ("newer" in created) return json({ ...none, result: submission.reply(), basedOn, newer: created.newer }, { status: 409 });
  if ("unchanged" in created) return json({ ...none, result: submission.reply(), basedOn: null, unchanged: created.unchanged });
  // Taking back a scope whose data must be erased goes through the withdrawal (the form keeps its entries).
  if ("needsWithdrawal" in created) return json({ ...none, result: submission.reply(), basedOn, needsWithdrawal: created.needsWithdrawal }, { status: 409 });
  return json({ ...none, result: submission.reply(), basedOn: null, version: created.version });
}

export default function InterviewConsent() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("interviews");
  const formatDate = useFormatDate();
  const current = data.history.find((v) => v.current);
  const formatDateTime = (value: string) => formatDateAndTime(value, i18n.language);
  // After a refused save the form stays the one the person filled (not rebuilt from the newer version).
  const formBase = actionData && !actionData.version ? actionData.basedOn : null;
  return (
    <>
      <section aria-labelledby="current-title">
        <h2 id="current-title">{t("consent.currentTitle")}</h2>
        {actionData?.version ? (
          <p className="notice" role="status">
            {t("consent.saved", { version: actionData.version })}
          </p>
        ) : actionData?.unchanged ? (
          <p className="notice" role="status">
            {t("consent.unchanged", { version: actionData.unchanged })}
          </p>
        ) : actionData?.needsWithdrawal ? (
          <div className="form-error" role="alert">
            <p>{t("consent.needsWithdrawal", { scopes: actionData.needsWithdrawal.map((s) => t(`scopes.${s}`)).join(", ") })}</p>
            <p>
              <Link to={`/interviews/${data.interviewId}/withdraw`}>{t("consent.toWithdrawal")}</Link>
            </p>
          </div>
        ) : null}
        {data.consentAfterInterview ? (
          <p className="notice warning" role="note">
            {t("consent.afterInterview", { given: formatDate(data.consentAfterInterview.givenAt), interview: formatDate(data.consentAfterInterview.interviewDate) })}
          </p>
        ) : null}
        {current ? (
          <div className="grid-2">
            <div className="card">
              <ConsentFacts version={current} />
            </div>
            <div className="card">
              <h3>{t("consent.scopesTitle")}</h3>
              <ScopeList granted={current.scopes} />
            </div>
          </div>
        ) : (
          <p>{t("consent.none")}</p>
        )}
      </section>

      {data.canWrite ? <ConsentForm key={`consent-form-${formBase ?? current?.version ?? 0}`} basedOn={actionData?.newer ?? formBase ?? current?.version ?? 0} /> : null}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("consent.historyTitle")}</h2>
        {data.history.length ? (
          <div className="table-wrap">
            <table>
              <caption>{t("consent.historyCaption", { count: data.history.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("consent.version")}</th>
                  <th scope="col">{t("consent.fields.givenAt")}</th>
                  <th scope="col">{t("consent.fields.form")}</th>
                  <th scope="col">{t("consent.scopesTitle")}</th>
                  <th scope="col">{t("consent.recordedBy")}</th>
                  <th scope="col">{t("consent.recordedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((v) => (
                  <tr key={v.id}>
                    <th scope="row">
                      {v.version}
                      {v.current ? <span className="badge interview-current"> {t("consent.currentBadge")}</span> : null}
                    </th>
                    <td>{formatDate(v.givenAt)}</td>
                    <td>{t(`consent.forms.${v.form}`)}</td>
                    <td>{v.scopes.length ? v.scopes.map((s) => t(`scopes.${s}`)).join(", ") : t("consent.noScopes")}</td>
                    <td>{v.createdBy ?? t("consent.unknownUser")}</td>
                    <td>{formatDateTime(v.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">{t("consent.noHistory")}</p>
        )}
        {data.history
          .filter((v) => !v.current)
          .map((v) => (
            <details key={v.id} className="consent-version">
              <summary>{t("consent.versionDetails", { version: v.version })}</summary>
              <ConsentFacts version={v} />
              <ScopeList granted={v.scopes} />
            </details>
          ))}
      </section>

      <section aria-labelledby="documents-title">
        <h2 id="documents-title">{t("documents.title")}</h2>
        {data.documents.length ? (
          <ul>
            {data.documents.map((d) => (
              <li key={d.id}>
                <a href={`/consent-documents/${d.id}`}>
                  {d.displayName}
                </a>{" "}
                <span className="muted">
                  ({formatBytes(d.sizeBytes, i18n.language)}, {formatDate(d.createdAt)}
                  {d.version ? `, ${t("documents.forVersion", { version: d.version })}` : ""})
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("documents.none")}</p>
        )}
        {data.canWrite ? (
          <div className="card">
            <h3>{t("documents.upload")}</h3>
            <RecordingUpload interviewId={data.interviewId} kind="consent-document" />
          </div>
        ) : null}
      </section>
    </>
  );
}

type VersionView = ReturnType<typeof useLoaderData<typeof loader>>["history"][number];

function ConsentFacts({ version: v }: { version: VersionView }) {
  const { t, i18n } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const formatDate = useFormatDate();
  const yesNo = (b: boolean) => (b ? tc("yes") : tc("no"));
  return (
    <dl className="facts">
      <dt>{t("consent.version")}</dt>
      <dd>{v.version}</dd>
      <dt>{t("consent.fields.givenBy")}</dt>
      <dd>{t(`consent.givers.${v.givenBy}`)}</dd>
      <dt>{t("consent.fields.givenAt")}</dt>
      <dd>{formatDate(v.givenAt)}</dd>
      <dt>{t("consent.fields.takenBy")}</dt>
      <dd>{v.takenBy ?? tc("none")}</dd>
      <dt>{t("consent.fields.form")}</dt>
      <dd>{t(`consent.forms.${v.form}`)}</dd>
      <dt>{t("consent.fields.language")}</dt>
      <dd>{t(`languages.${v.language}`, { defaultValue: v.language })}</dd>
      <dt>{t("consent.fields.infoSheetVersion")}</dt>
      <dd>{v.infoSheetVersion}</dd>
      {v.note ? (
        <>
          <dt>{t("consent.fields.note")}</dt>
          <dd>{v.note === "declared at REFI-QDA import" ? t("consent.notes.refiImport") : v.note}</dd>
        </>
      ) : null}
      <dt>{t("consent.fields.copyHandedOver")}</dt>
      <dd>{yesNo(v.copyHandedOver)}</dd>
      <dt>{t("consent.fields.interpreterPresent")}</dt>
      <dd>{yesNo(v.interpreterPresent)}</dd>
      <dt>{t("consent.fields.interpreterConfidentiality")}</dt>
      <dd>{yesNo(v.interpreterConfidentiality)}</dd>
      <dt>{t("consent.recordedBy")}</dt>
      <dd>
        {v.createdBy ?? t("consent.unknownUser")}, {formatDateAndTime(v.createdAt, i18n.language)}
      </dd>
    </dl>
  );
}

function ConsentForm({ basedOn }: { basedOn: number }) {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("interviews");
  const [form, fields] = useForm<z.input<ReturnType<typeof consentSchema>>, z.output<ReturnType<typeof consentSchema>>>({
    id: "consent",
    lastResult: actionData?.version ? undefined : actionData?.result,
    defaultValue: data.defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: consentSchema() }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card consent-form" aria-labelledby="consent-form-title">
      <h2 id="consent-form-title">{t("consent.formTitle")}</h2>
      <p className="muted">{t("consent.formHint")}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="basedOn" value={basedOn} readOnly />
        {actionData?.newer != null ? (
          <p className="form-error" role="alert">
            {t("consent.changedMeanwhile", { version: actionData.newer })}
          </p>
        ) : null}
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <fieldset>
            <legend>{t("consent.whoWhen")}</legend>
            <SelectField field={fields.givenBy} label={t("consent.fields.givenBy")} placeholder={t("form.choose")} options={CONSENT_GIVERS.map((g) => ({ value: g, label: t(`consent.givers.${g}`) }))} />
            <TextField field={fields.givenAt} label={t("consent.fields.givenAt")} type="date" max={todayInputValue()} />
            <SelectField field={fields.takenById} label={t("consent.fields.takenBy")} placeholder={t("form.choose")} options={data.takers.map((r) => ({ value: r.id, label: r.displayName }))} />
            <SelectField field={fields.form} label={t("consent.fields.form")} placeholder={t("form.choose")} options={CONSENT_FORMS.map((f) => ({ value: f, label: t(`consent.forms.${f}`) }))} />
            <SelectField field={fields.language} label={t("consent.fields.language")} placeholder={t("form.choose")} options={INTERVIEW_LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
            <TextField field={fields.infoSheetVersion} label={t("consent.fields.infoSheetVersion")} hint={t("consent.infoSheetHint")} autoComplete="off" />
            <CheckboxField field={fields.copyHandedOver} label={t("consent.fields.copyHandedOver")} />
            <CheckboxField field={fields.interpreterPresent} label={t("consent.fields.interpreterPresent")} />
            <CheckboxField field={fields.interpreterConfidentiality} label={t("consent.fields.interpreterConfidentiality")} />
          </fieldset>
          <fieldset>
            <legend>{t("consent.scopesLegend")}</legend>
            <p className="muted">{t("consent.scopesHint")}</p>
            {CONSENT_SCOPES.map((s) => (
              <CheckboxField key={s} field={fields[scopeColumn(s)]} label={t(`scopes.${s}`)} hint={t(`scopeHints.${s}`)} />
            ))}
          </fieldset>
        </div>
        <div className="actions-row">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("consent.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
