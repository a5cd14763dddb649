import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { getInterviewHeader } from "../interviews/interviews.server.ts";
import { PARTIAL_PARTS, withdrawalSchema } from "../interviews/interview-schemas.ts";
import { getWithdrawal, partsOf, pendingWithdrawal, previewWithdrawal, scopesWithdrawn, withdrawalsOf, withdrawInterview, type WithdrawalRequest } from "../withdrawal/withdraw.server.ts";
import { EraseTable, WithdrawalSummary, useEraseLabels } from "../interviews/withdrawal-summary.tsx";
import { useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";

/** The withdrawal named by a query string or form: scope and (for a partial one) its parts. */
function readRequest(source: URLSearchParams | FormData) {
  return withdrawalSchema.safeParse({ scope: source.get("scope") ?? undefined, parts: source.getAll("parts").map(String) });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "withdraw", "interview");
  const interviewId = params.interviewId ?? "";
  const header = await getInterviewHeader(interviewId);
  const search = new URL(request.url).searchParams;
  const [pending, history] = await Promise.all([pendingWithdrawal(interviewId), withdrawalsOf(interviewId)]);
  const doneId = search.get("done");
  const done = doneId ? await getWithdrawal(doneId) : null;

  let preview: { request: { scope: "whole" | "partial"; parts: string[] }; counts: Record<string, Record<string, number>>; scopes: string[] } | null = null;
  let errors: { scope?: string[]; parts?: string[] } | null = null;
  // "preview": the form was sent (with nothing chosen, the browser sends no scope at all).
  if (!pending && (search.has("scope") || search.has("preview"))) {
    const parsed = readRequest(search);
    if (parsed.success) {
      const req: WithdrawalRequest = parsed.data;
      const result = await previewWithdrawal(interviewId, req);
      preview = {
        request: { scope: req.scope, parts: req.scope === "partial" ? partsOf(req) : [] },
        counts: Object.fromEntries(result.map((p) => [p.eraser, p.counts])),
        scopes: req.scope === "partial" ? scopesWithdrawn(partsOf(req)) : [],
      };
    } else {
      errors = parsed.error.flatten().fieldErrors;
    }
  }
  return json({
    interview: { id: header.id, code: header.code, status: header.status },
    pending: pending ? { scope: pending.scope, parts: pending.parts, status: pending.status, erased: pending.erased } : null,
    failed: search.get("failed") === "1",
    done: done && done.interviewId === interviewId ? { scope: done.scope, parts: done.parts, status: done.status, erased: done.erased } : null,
    history: history.map((w) => ({ id: w.id, scope: w.scope, parts: w.parts, status: w.status, requestedAt: w.requestedAt, completedAt: w.completedAt })),
    chosen: { scope: search.get("scope") ?? "", parts: search.getAll("parts") },
    preview,
    errors,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "withdraw", "interview");
  const interviewId = params.interviewId ?? "";
  const form = await readForm(request, grant.user);
  let req: WithdrawalRequest | null = null;
  if (form.get("intent") === "confirm") {
    const parsed = readRequest(form);
    if (!parsed.success) throw new Response("invalid withdrawal", { status: 400 });
    req = parsed.data;
  } else if (form.get("intent") !== "resume") {
    throw new Response("unknown intent", { status: 400 });
  }
  try {
    const { withdrawal } = await withdrawInterview(request, grant.user, interviewId, req);
    // After a whole withdrawal the interview no longer exists: its minimal record is shown on the list.
    if (withdrawal.scope === "whole") return redirect(`/interviews?withdrawal=${withdrawal.id}`);
    return redirect(`/interviews/${interviewId}/withdraw?done=${withdrawal.id}`);
  } catch (error) {
    if (error instanceof Response) throw error;
    // The withdrawal stays pending (processing is already stopped); the page offers to finish it.
    console.error("withdrawal interrupted", error);
    return redirect(`/interviews/${interviewId}/withdraw?failed=1`);
  }
}

export default function WithdrawInterview() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useTranslation("interviews");
  const { t: tc } = useTranslation();
  const labels = useEraseLabels();
  const formatDate = useFormatDate();
  const busy = navigation.state === "submitting";
  const base = `/interviews/${data.interview.id}/withdraw`;

  return (
    <>
      <h2>{t("withdraw.title")}</h2>
      <p>{t("withdraw.intro")}</p>
      {data.done ? <WithdrawalSummary withdrawal={data.done} /> : null}

      {data.pending ? (
        <section className="card danger-card" aria-labelledby="pending-title">
          <h3 id="pending-title">{t("withdraw.pendingTitle")}</h3>
          {data.failed ? (
            <p className="form-error" role="alert">
              {t("withdraw.failed")}
            </p>
          ) : null}
          <p>{t("withdraw.pendingHint")}</p>
          {data.pending.scope === "partial" ? <p>{t("withdraw.partsWithdrawn", { parts: data.pending.parts.map(labels.part).join(", ") })}</p> : null}
          <EraseTable counts={data.pending.erased} caption={t("withdraw.erasedSoFar")} />
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="resume" className="danger" disabled={busy}>
              {t("withdraw.resume")}
            </button>
          </Form>
        </section>
      ) : data.preview ? (
        <section className="card danger-card" aria-labelledby="preview-title">
          <h3 id="preview-title">{t(data.preview.request.scope === "whole" ? "withdraw.previewWhole" : "withdraw.previewPartial")}</h3>
          {data.preview.request.scope === "partial" ? (
            <>
              <p>{t("withdraw.partsWithdrawn", { parts: data.preview.request.parts.map(labels.part).join(", ") })}</p>
              <p>{data.preview.scopes.length ? t("withdraw.scopesRemoved", { scopes: data.preview.scopes.map((s) => t(`scopes.${s}`)).join(", ") }) : t("withdraw.noScopesRemoved")}</p>
            </>
          ) : (
            <p>{t("withdraw.wholeHint")}</p>
          )}
          <EraseTable counts={data.preview.counts} caption={t("withdraw.previewCaption")} />
          <Form method="post" className="actions-row">
            <CsrfInput />
            <input type="hidden" name="scope" value={data.preview.request.scope} />
            {data.preview.request.parts.map((p) => (
              <input key={p} type="hidden" name="parts" value={p} />
            ))}
            <button type="submit" name="intent" value="confirm" className="danger" disabled={busy}>
              {t(data.preview.request.scope === "whole" ? "withdraw.confirmWhole" : "withdraw.confirmPartial")}
            </button>
            <Link to={base} className="button secondary">
              {tc("actions.cancel")}
            </Link>
          </Form>
        </section>
      ) : data.interview.status === "withdrawn" ? null : (
        <section className="card" aria-labelledby="choose-title">
          <h3 id="choose-title">{t("withdraw.chooseTitle")}</h3>
          {/* GET: choosing only shows the preview; nothing is erased before the confirmation below it. */}
          <Form method="get">
            <input type="hidden" name="preview" value="1" />
            <fieldset aria-describedby={data.errors?.scope ? "scope-error" : undefined}>
              <legend>{t("withdraw.scopeLegend")}</legend>
              <label className="checkbox-row">
                <input type="radio" name="scope" value="whole" defaultChecked={data.chosen.scope === "whole"} />
                {t("withdraw.scopes.whole")}
              </label>
              <label className="checkbox-row">
                <input type="radio" name="scope" value="partial" defaultChecked={data.chosen.scope === "partial"} />
                {t("withdraw.scopes.partial")}
              </label>
              <ErrorText id="scope-error" errors={data.errors?.scope} />
            </fieldset>
            <fieldset aria-describedby={data.errors?.parts ? "parts-error" : "parts-hint"}>
              <legend>{t("withdraw.partsLegend")}</legend>
              <p id="parts-hint" className="muted">
                {t("withdraw.partsHint")}
              </p>
              {PARTIAL_PARTS.map((p) => (
                <label key={p} className="checkbox-row">
                  <input type="checkbox" name="parts" value={p} defaultChecked={data.chosen.parts.includes(p)} />
                  {labels.part(p)}
                </label>
              ))}
              <ErrorText id="parts-error" errors={data.errors?.parts} />
            </fieldset>
            <button type="submit">{t("withdraw.showPreview")}</button>
          </Form>
        </section>
      )}

      {data.history.length ? (
        <section aria-labelledby="history-title">
          <h3 id="history-title">{t("withdraw.historyTitle")}</h3>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t("withdraw.historyTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("withdraw.requestedAt")}</th>
                  <th scope="col">{t("withdraw.scopeLegend")}</th>
                  <th scope="col">{t("withdraw.partsLegend")}</th>
                  <th scope="col">{t("fields.status")}</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((w) => (
                  <tr key={w.id}>
                    <td>{formatDate(w.requestedAt)}</td>
                    <td>{t(`withdraw.scopes.${w.scope}`)}</td>
                    <td>{w.parts.map(labels.part).join(", ")}</td>
                    <td>{t(`withdraw.statuses.${w.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
