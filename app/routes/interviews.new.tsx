import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createFollowUp, findCaseByPseudonym, researcherOptions } from "../interviews/interviews.server.ts";
import { newInterviewSchema } from "../interviews/interview-schemas.ts";
import { InterviewMetadataFields } from "../interviews/interview-form-parts.tsx";
import { todayInputValue } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/interviews.css";
import { pageTitle } from "../i18n/title.server.ts";
import { mayRecontact } from "../consent/gates.server.ts";
import { RecontactNote, recontactRefusal } from "../interviews/recontact-note.tsx";
import { languageOf } from "../i18n/language.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "write", "interview");
  const researchers = await researcherOptions();
  const casePseudonym = (new URL(request.url).searchParams.get("case") ?? "").trim().toUpperCase().slice(0, 30);
  // Coming from a case (?case=): whether a follow-up may be planned is said before the form is filled in.
  const found = casePseudonym ? await findCaseByPseudonym(casePseudonym) : null;
  return json({
    title: pageTitle(request, "interviews:new.title"),
    researchers,
    recontact: found ? await mayRecontact(found.id) : null,
    defaults: { casePseudonym, interviewerId: researchers.some((r) => r.id === grant.user.id) ? grant.user.id : "" },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "interview");
  const form = await readForm(request, grant.user);
  const researchers = await researcherOptions();
  const submission = parseWithZod(form, { schema: newInterviewSchema(researchers.map((r) => r.id)) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { casePseudonym, interpreterName, ...fields } = submission.value;
  const found = await findCaseByPseudonym(casePseudonym);
  if (!found) return json(submission.reply({ fieldErrors: { casePseudonym: ["interviews:validation.caseNotFound"] } }), { status: 400 });
  // A further interview approaches the person again: only with the recontact scope of their latest consent, asked in
  // the transaction that creates it.
  const result = await createFollowUp(request, grant, found.id, { ...fields, interpreterName });
  if ("refused" in result) {
    // Names what decides: the consent of interview X given on Y, or the withdrawal of X on Y.
    return json(submission.reply({ fieldErrors: { casePseudonym: [recontactRefusal(result.refused, languageOf(request))] } }), { status: 403 });
  }
  const { created } = result;
  return redirect(`/interviews/${created.id}`);
}

export default function NewInterview() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "new-interview",
    lastResult,
    defaultValue: { casePseudonym: data.defaults.casePseudonym, interviewerId: data.defaults.interviewerId, date: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newInterviewSchema() }),
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <h1>{t("new.title")}</h1>
      <p className="muted">{t("new.codeHint")}</p>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="grid-2">
          <fieldset>
            <legend>{t("new.interviewData")}</legend>
            <TextField field={fields.casePseudonym} label={t("fields.case")} hint={t("new.caseHint")} autoComplete="off" spellCheck={false} />
            {data.recontact ? <RecontactNote recontact={data.recontact} /> : null}
            <InterviewMetadataFields fields={fields} researchers={data.researchers} />
          </fieldset>
          <fieldset>
            <legend>{t("new.identityData")}</legend>
            <p className="identity-hint">{t("interpreter.encryptedHint")}</p>
            <TextField field={fields.interpreterName} label={t("fields.interpreterName")} autoComplete="off" />
          </fieldset>
        </div>
        <div className="actions-row">
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("new.submit")}
          </button>
          <Link to="/interviews" className="button secondary">
            {tc("actions.cancel")}
          </Link>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
