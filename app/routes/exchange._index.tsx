import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { findCaseByPseudonym } from "../interviews/interviews.server.ts";
import { INTERVIEW_LANGUAGES, PLACE_TYPES } from "../interviews/interview-fields.ts";
import { CONSENT_FORMS, CONSENT_GIVERS, CONSENT_SCOPES } from "../consent/scopes.ts";
import { exchangeOverview } from "../refi/overview.server.ts";
import { readImportForm } from "../refi/upload.server.ts";
import { auditRefusal, importCodebook, importProject, RefiDuplicates, type ImportReport } from "../refi/import.server.ts";
import { RefiRefusal } from "../refi/refusal.ts";
import { REFI_LIMITS } from "../refi/limits.ts";
import { codebookImportSchema, projectImportSchema, REQUIRED_SCOPES } from "../refi/schemas.ts";
import { todayInputValue } from "../cases/format.ts";
import { CheckboxField, CheckboxGroup } from "../interviews/interview-form-parts.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, SelectField, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/exchange.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "export", "refi");
  const overview = await exchangeOverview();
  return json({ title: pageTitle(request, "refi:title"), overview, canImport: hasPermission(grant.user, "import", "refi"), emptyCodebook: new URL(request.url).searchParams.get("empty") === "codebook" });
}

type Refusal = { code: string; detail: string };
type Duplicate = { source: string; interviewCode: string };

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "import", "refi");
  const form = await readImportForm(request, grant.user);
  const intent = form.get("intent") === "codebook" ? "codebook" : "project";
  const submission = parseWithZod(form, { schema: intent === "codebook" ? codebookImportSchema : projectImportSchema });
  const reply = (status: number, extra: { report?: ImportReport | null; refusal?: Refusal | null; duplicates?: Duplicate[] | null; result?: ReturnType<typeof submission.reply> }) =>
    json({ intent, result: extra.result ?? submission.reply({ hideFields: ["file"] }), report: extra.report ?? null, refusal: extra.refusal ?? null, duplicates: extra.duplicates ?? null }, { status });
  if (submission.status !== "success") return reply(400, {});
  const value = submission.value;
  const bytes = Buffer.from(await value.file.arrayBuffer());
  try {
    if (value.intent === "codebook") {
      const report = await importCodebook(request, grant, bytes, value.file.name);
      return reply(200, { report, result: submission.reply({ resetForm: true }) });
    }
    const found = await findCaseByPseudonym(value.casePseudonym);
    if (!found) return reply(400, { result: submission.reply({ fieldErrors: { casePseudonym: ["refi:import.errors.caseNotFound"] }, hideFields: ["file"] }) });
    const report = await importProject(request, grant, bytes, value.file.name, {
      caseId: found.id,
      placeType: value.placeType,
      consent: { givenBy: value.givenBy, givenAt: value.givenAt, form: value.form, language: value.language, infoSheetVersion: value.infoSheetVersion, scopes: value.scopes },
      importAgain: value.importAgain,
    });
    return reply(200, { report, result: submission.reply({ resetForm: true }) });
  } catch (error) {
    // Nothing written; the form keeps its entries (and the chosen file) and offers to import again on purpose.
    if (error instanceof RefiDuplicates) return reply(409, { duplicates: error.duplicates });
    if (!(error instanceof RefiRefusal)) throw error;
    await auditRefusal(request, grant, value.intent === "codebook" ? "qdc" : "qdpx", error);
    return reply(422, { refusal: { code: error.code, detail: error.detail } });
  }
}

export default function Exchange() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("refi");
  const { overview } = data;
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {actionData?.refusal ? <RefusalNotice refusal={actionData.refusal} /> : null}
      {actionData?.duplicates ? <DuplicatesNotice duplicates={actionData.duplicates} /> : null}
      {actionData?.report ? <ReportView report={actionData.report} /> : null}
      <div className="exchange-grid">
        <section className="card" aria-labelledby="export-title">
          <h2 id="export-title">{t("export.title")}</h2>
          <p>{t("export.interviews", { count: overview.exportable })}</p>
          {overview.withoutArchiving ? <p className="muted">{t("export.withoutArchiving", { count: overview.withoutArchiving })}</p> : null}
          <p className="muted">{t("export.privacy")}</p>
          <Form method="get" action="/exchange/project.qdpx" reloadDocument className="export-form">
            <div className="field">
              <label className="checkbox-row" htmlFor="export-audio">
                <input type="checkbox" id="export-audio" name="audio" value="1" aria-describedby="export-audio-hint" />
                {t("export.audio")}
              </label>
              <div id="export-audio-hint" className="muted">
                {t("export.audioHint", { count: overview.recordings })}
              </div>
            </div>
            <div className="field">
              {/* An unticked box sends nothing; the hidden 0 says "keep the text", the ticked box's 1 comes last and wins. */}
              <input type="hidden" name="redact" value="0" />
              <label className="checkbox-row" htmlFor="export-redact">
                <input type="checkbox" id="export-redact" name="redact" value="1" defaultChecked aria-describedby="export-redact-hint" />
                {t("export.redact")}
              </label>
              <div id="export-redact-hint" className="muted">
                {t("export.redactHint")}
              </div>
            </div>
            <button type="submit" disabled={overview.exportable === 0}>
              {t("export.project")}
            </button>
          </Form>
          <h3>{t("export.codebookTitle")}</h3>
          {data.emptyCodebook || overview.codes === 0 ? (
            <p className="muted">{t("export.codebookEmpty")}</p>
          ) : (
            <p>
              <a className="button secondary" href="/exchange/codebook.qdc">
                {t("export.codebook", { count: overview.codes })}
              </a>
            </p>
          )}
        </section>
        {data.canImport ? (
          <>
            <CodebookImport />
            <ProjectImport />
          </>
        ) : null}
      </div>
    </>
  );
}

function useLastResult(intent: "codebook" | "project") {
  const actionData = useActionData<typeof action>();
  return actionData?.intent === intent ? actionData.result : undefined;
}

function FileField({ field, label, hint, accept }: { field: Parameters<typeof getInputProps>[0]; label: string; hint: string; accept: string }) {
  const props = getInputProps(field, { type: "file", ariaDescribedBy: `${field.id}-hint` });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <div id={`${field.id}-hint`} className="muted">
        {hint}
      </div>
      <input {...props} key={props.key} accept={accept} />
      <ErrorText id={field.errorId} errors={field.errors} />
    </div>
  );
}

function CodebookImport() {
  const { t } = useTranslation("refi");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "import-codebook",
    lastResult: useLastResult("codebook"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: codebookImportSchema }),
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "codebook";
  return (
    <section className="card" aria-labelledby="import-codebook-title">
      <h2 id="import-codebook-title">{t("import.codebookTitle")}</h2>
      <p>{t("import.codebookIntro")}</p>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="codebook" />
        <FormErrors errors={form.errors} id={form.errorId} />
        <FileField field={fields.file} label={t("import.file")} hint={t("import.fileHint", { extension: ".qdc", mb: REFI_LIMITS.uploadBytes / 1024 / 1024 })} accept=".qdc,application/xml,text/xml" />
        <button type="submit" disabled={busy}>
          {busy ? t("import.busy") : t("import.codebookSubmit")}
        </button>
      </Form>
    </section>
  );
}

function ProjectImport() {
  const { t } = useTranslation("refi");
  const { t: ti } = useTranslation("interviews");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "import-project",
    lastResult: useLastResult("project"),
    defaultValue: { givenAt: todayInputValue(), language: "de", placeType: "office", scopes: [...REQUIRED_SCOPES] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: projectImportSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "project";
  const duplicatesShown = Boolean(useActionData<typeof action>()?.duplicates);
  return (
    <section className="card project-import" aria-labelledby="import-project-title">
      <h2 id="import-project-title">{t("import.projectTitle")}</h2>
      <p>{t("import.projectIntro")}</p>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="project" />
        <FormErrors errors={form.errors} id={form.errorId} />
        <FileField field={fields.file} label={t("import.file")} hint={t("import.fileHint", { extension: ".qdpx", mb: REFI_LIMITS.uploadBytes / 1024 / 1024 })} accept=".qdpx,application/zip" />
        <fieldset>
          <legend>{t("import.interviewsLegend")}</legend>
          <TextField field={fields.casePseudonym} label={t("import.case")} hint={t("import.caseHint")} autoComplete="off" spellCheck={false} />
          <SelectField field={fields.placeType} label={ti("fields.placeType")} options={PLACE_TYPES.map((p) => ({ value: p, label: ti(`placeTypes.${p}`) }))} />
          {duplicatesShown || fields.importAgain.value === "on" ? <CheckboxField field={fields.importAgain} label={t("duplicates.importAgain")} hint={t("duplicates.importAgainHint")} /> : null}
        </fieldset>
        <fieldset>
          <legend>{t("import.consentLegend")}</legend>
          <p className="muted">{t("import.consentHint")}</p>
          <SelectField field={fields.givenBy} label={ti("consent.fields.givenBy")} placeholder={ti("form.choose")} options={CONSENT_GIVERS.map((g) => ({ value: g, label: ti(`consent.givers.${g}`) }))} />
          <TextField field={fields.givenAt} label={ti("consent.fields.givenAt")} type="date" max={todayInputValue()} />
          <SelectField field={fields.form} label={ti("consent.fields.form")} placeholder={ti("form.choose")} options={CONSENT_FORMS.map((f) => ({ value: f, label: ti(`consent.forms.${f}`) }))} />
          <SelectField field={fields.language} label={ti("consent.fields.language")} options={INTERVIEW_LANGUAGES.map((l) => ({ value: l, label: ti(`languages.${l}`) }))} />
          <TextField field={fields.infoSheetVersion} label={ti("consent.fields.infoSheetVersion")} hint={ti("consent.infoSheetHint")} />
          <CheckboxGroup field={fields.scopes} legend={ti("consent.scopesLegend")} hint={t("import.scopesHint")} options={CONSENT_SCOPES.map((s) => ({ value: s, label: ti(`scopes.${s}`) }))} />
          <CheckboxField field={fields.confirmConsent} label={t("import.confirm")} />
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t("import.busy") : t("import.projectSubmit")}
        </button>
      </Form>
    </section>
  );
}

function DuplicatesNotice({ duplicates }: { duplicates: Duplicate[] }) {
  const { t } = useTranslation("refi");
  return (
    <div className="form-error refusal" role="alert">
      <h2>{t("duplicates.title", { count: duplicates.length })}</h2>
      <ul>
        {duplicates.map((d) => (
          <li key={`${d.source}|${d.interviewCode}`}>{t("duplicates.item", { source: d.source, interview: d.interviewCode })}</li>
        ))}
      </ul>
      <p>{t("duplicates.hint")}</p>
    </div>
  );
}

function RefusalNotice({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation("refi");
  return (
    <div className="form-error refusal" role="alert">
      <h2>{t("refusal.title")}</h2>
      <p>{t(`refusal.${refusal.code}`)}</p>
      {refusal.detail ? (
        <p>
          {t("refusal.where")} <code>{refusal.detail}</code>
        </p>
      ) : null}
      <p>{t("refusal.nothingChanged")}</p>
    </div>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation("refi");
  return (
    <section className="notice import-report" role="status" aria-labelledby="report-title">
      <h2 id="report-title">{t(`report.title.${report.kind}`)}</h2>
      <ul>
        {report.kind === "project" ? <li>{t("report.interviews", { count: report.interviews.length })}</li> : null}
        <li>{t("report.codesCreated", { count: report.codesCreated.length })}</li>
        <li>{t("report.codesMerged", { count: report.codesMerged.length })}</li>
        {report.kind === "project" ? (
          <>
            <li>{t("report.codings", { count: report.codings })}</li>
            <li>{t("report.memos", { count: report.memos })}</li>
          </>
        ) : null}
      </ul>
      {report.interviews.length ? (
        <div className="table-wrap">
          <table>
            <caption>{t("report.interviewsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("report.source")}</th>
                <th scope="col">{t("report.interview")}</th>
                <th scope="col" className="num">
                  {t("report.paragraphs")}
                </th>
                <th scope="col" className="num">
                  {t("report.codingsColumn")}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.interviews.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td>
                    <Link to={`/interviews/${i.id}`}>{i.code}</Link>
                  </td>
                  <td className="num">{i.paragraphs}</td>
                  <td className="num">{i.codings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.codesMerged.length ? (
        <details>
          <summary>{t("report.mergedList")}</summary>
          <ul>
            {report.codesMerged.map((name, i) => (
              <li key={`${name}-${i}`}>{name}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <h3>{t("report.skippedTitle")}</h3>
      {report.skipped.length ? (
        <div className="table-wrap">
          <table>
            <caption>{t("report.skippedCaption", { count: report.skipped.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("report.what")}</th>
                <th scope="col">{t("report.name")}</th>
              </tr>
            </thead>
            <tbody>
              {report.skipped.map((s, i) => (
                <tr key={`${s.reason}-${i}`}>
                  <td>{t(`report.reasons.${s.reason}`, { count: s.count ?? 1 })}</td>
                  <td>{s.name || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("report.nothingSkipped")}</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
