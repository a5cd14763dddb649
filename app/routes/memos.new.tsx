import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { createMemo, resolveTarget, type MemoTargetInput } from "../memos/memos.server.ts";
import { memoSchema } from "../memos/memo-fields.ts";
import { MemoForm } from "../memos/memo-form.tsx";
import { MemoTargetLabel } from "../memos/memo-list.tsx";
import { readRichText } from "../rich-text/sanitize.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/memos-notes.css";
import richTextStyles from "../styles/rich-text.css";
import { pageTitle } from "../i18n/title.server.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: richTextStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

function targetInput(request: Request): MemoTargetInput {
  const p = new URL(request.url).searchParams;
  return { codingId: p.get("codingId"), interviewId: p.get("interviewId"), codeId: p.get("codeId"), caseId: p.get("caseId") };
}

/** A refused consent is shown on the page (which scope is missing), not as a bare 403. */
async function targetOrConsentMissing(request: Request) {
  try {
    return { target: await resolveTarget(targetInput(request)), consentMissing: false as const };
  } catch (e) {
    if (e instanceof Response && e.status === 403 && e.headers.get("Content-Type")?.includes("json")) return { target: null, consentMissing: true as const };
    throw e;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "write", "memo");
  const { target, consentMissing } = await targetOrConsentMissing(request);
  return json({ title: pageTitle(request, "memos:new.title"), target: target?.view ?? null, consentMissing });
}

export async function action({ request }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "memo");
  const form = await readForm(request, grant.user);
  const target = await resolveTarget(targetInput(request));
  const submission = parseWithZod(form, { schema: memoSchema });
  const content = readRichText(form, "content");
  if (submission.status !== "success" || !content.ok) {
    return json({ result: submission.reply(), contentErrors: content.ok ? undefined : [content.error] }, { status: 400 });
  }
  const memo = await createMemo(request, grant, target.ids, submission.value, content.value);
  return redirect(`/memos/${memo.id}`);
}

export default function NewMemo() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("memos");
  return (
    <>
      <h1>{t("new.title")}</h1>
      {data.consentMissing ? (
        <p className="form-error" role="alert">
          {t("new.consentMissing")}
        </p>
      ) : (
        <>
          <p>
            {t("fields.target")}: <MemoTargetLabel target={data.target ?? { kind: "project", label: "", href: null }} />
          </p>
          {data.target?.quote ? <blockquote className="muted">{t("common:quoted", { text: data.target.quote })}</blockquote> : null}
          <MemoForm id="new-memo" defaultType={data.target?.kind === "code" ? "code" : undefined} lastResult={actionData?.result} contentErrors={actionData?.contentErrors} submitLabel={t("new.submit")} />
        </>
      )}
      <p>
        <Link to="/memos">{t("backToList")}</Link>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
