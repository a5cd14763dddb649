import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { decideMany, decideRedaction, getNarrative, redactionOf, requireResearch, setNameMode } from "../narratives/narratives.server.ts";
import { keyOf } from "../narratives/redaction/proposals.ts";
import { MarkedText } from "../narratives/narrative-view.tsx";
import { ProblemList } from "../narratives/problem-list.tsx";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requireResearch(request, "read");
  const n = await getNarrative(request, grant, params.narrativeId ?? "");
  const view = await redactionOf(request, grant.user, n);
  const kinds = Object.fromEntries(n.blocks.map((b) => [b.id, b.kind]));
  return json({
    narrative: { id: n.id, status: n.status, nameMode: n.state.nameMode },
    proposals: view.proposals,
    segments: view.segments.map((s) => ({ ...s, kind: s.id === "title" ? "title" : (kinds[s.id] ?? "text") })),
    problems: view.problems,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "narrative");
  const form = await readForm(request, grant.user);
  const id = params.narrativeId ?? "";
  const intent = String(form.get("intent") ?? "");
  const text = String(form.get("text") ?? "").trim();
  const replacement = String(form.get("replacement") ?? "").trim().slice(0, 200);
  const refuse = (error: string, status = 400) => json({ error: error as string | null }, { status });
  try {
    switch (intent) {
      case "accept":
      case "reject":
        if (!text) return refuse("redaction.errors.invalid");
        await decideRedaction(request, grant, id, { key: keyOf(text), text, action: intent });
        break;
      case "edit":
        if (!text) return refuse("redaction.errors.invalid");
        if (!replacement) return refuse("redaction.errors.noReplacement");
        await decideRedaction(request, grant, id, { key: keyOf(text), text, action: "edit", replacement });
        break;
      case "manual":
        if (!text) return refuse("redaction.errors.invalid");
        if (text.length > 200) return refuse("redaction.errors.manualTooLong");
        if (!replacement) return refuse("redaction.errors.noReplacement");
        await decideRedaction(request, grant, id, { key: keyOf(text), text, action: "edit", replacement, manual: true, category: "manual" });
        break;
      case "acceptAll": {
        const n = await getNarrative(null, grant, id);
        const view = await redactionOf(request, grant.user, n);
        await decideMany(
          request,
          grant,
          id,
          view.proposals.filter((p) => p.status === "pending").map((p) => ({ key: p.key, text: p.text, action: "accept" as const })),
        );
        break;
      }
      case "mode": {
        const mode = form.get("nameMode");
        if (mode !== "placeholder" && mode !== "pseudonym") return refuse("redaction.errors.invalid");
        await setNameMode(request, grant, id, mode);
        break;
      }
      default:
        return refuse("redaction.errors.invalid");
    }
  } catch (e) {
    // Submitted or released from another tab meanwhile: decisions belong to the draft only.
    if (e instanceof Response && e.status === 409) return refuse("compose.noLongerDraft", 409);
    throw e;
  }
  return json({ error: null as string | null });
}

export default function Redaction() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("narratives");
  const editable = data.narrative.status === "draft";
  const pending = t("redaction.statuses.pending");
  return (
    <>
      <section aria-labelledby="redaction-title">
        <h2 id="redaction-title">{t("redaction.title")}</h2>
        <p className="muted">{t("redaction.intro")}</p>
        <p className="muted">{t("redaction.notDetected")}</p>
        {actionData ? (
          <p className={actionData.error ? "form-error" : "notice"} role={actionData.error ? "alert" : "status"}>
            {actionData.error ? t(actionData.error) : t("redaction.decided")}
          </p>
        ) : null}
        {!editable ? <p className="notice">{t("redaction.readOnly")}</p> : null}
        {editable ? (
          <div className="workflow-actions">
            <Form method="post" className="inline-form">
              <CsrfInput />
              <div className="field">
                <label htmlFor="name-mode">{t("redaction.mode")}</label>
                <select id="name-mode" name="nameMode" defaultValue={data.narrative.nameMode} key={data.narrative.nameMode}>
                  <option value="placeholder">{t("redaction.modes.placeholder")}</option>
                  <option value="pseudonym">{t("redaction.modes.pseudonym")}</option>
                </select>
              </div>
              <button type="submit" name="intent" value="mode">
                {t("redaction.modeSubmit")}
              </button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="acceptAll">
                {t("redaction.acceptAll")}
              </button>
            </Form>
          </div>
        ) : null}
        {data.proposals.length === 0 ? (
          <p className="muted">{t("redaction.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="redaction-table">
              <caption>{t("redaction.caption", { count: data.proposals.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("redaction.original")}</th>
                  <th scope="col">{t("redaction.category")}</th>
                  <th scope="col">{t("redaction.source")}</th>
                  <th scope="col" className="num">
                    {t("redaction.count")}
                  </th>
                  <th scope="col">{t("redaction.replacement")}</th>
                  <th scope="col">{t("redaction.status")}</th>
                  {editable ? <th scope="col">{t("redaction.actions")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.proposals.map((p, i) => (
                  <tr key={p.key} data-status={p.status}>
                    <td>{p.text}</td>
                    <td>{t(`redaction.categories.${p.category}`)}</td>
                    <td>{t(`redaction.sources.${p.source}`)}</td>
                    <td className="num">{p.count}</td>
                    <td>{p.replacement ?? p.suggestion}</td>
                    <td>{t(`redaction.statuses.${p.status}`)}</td>
                    {editable ? (
                      <td>
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="text" value={p.text} />
                          <button type="submit" name="intent" value="accept" aria-label={t("redaction.acceptLabel", { text: p.text })}>
                            {t("redaction.accept")}
                          </button>
                          {p.source !== "identity" ? (
                            <button type="submit" name="intent" value="reject" className="secondary" aria-label={t("redaction.rejectLabel", { text: p.text })}>
                              {t("redaction.reject")}
                            </button>
                          ) : null}
                        </Form>
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="text" value={p.text} />
                          <label className="visually-hidden" htmlFor={`edit-${i}`}>
                            {t("redaction.editLabel", { text: p.text })}
                          </label>
                          <input type="text" id={`edit-${i}`} name="replacement" defaultValue={p.replacement ?? p.suggestion} key={p.replacement ?? p.suggestion} required maxLength={200} />
                          <button type="submit" name="intent" value="edit">
                            {t("redaction.editSubmit")}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editable ? (
          <section className="card" aria-labelledby="manual-title">
            <h3 id="manual-title">{t("redaction.manualTitle")}</h3>
            <Form method="post" className="inline-form">
              <CsrfInput />
              <div className="field">
                <label htmlFor="manual-text">{t("redaction.manualText")}</label>
                <input id="manual-text" name="text" required maxLength={200} />
              </div>
              <div className="field">
                <label htmlFor="manual-replacement">{t("redaction.manualReplacement")}</label>
                <input id="manual-replacement" name="replacement" required maxLength={200} defaultValue="[…]" />
              </div>
              <button type="submit" name="intent" value="manual">
                {t("redaction.manualSubmit")}
              </button>
            </Form>
          </section>
        ) : null}
      </section>
      <div className="grid-2">
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">{t("redaction.preview")}</h2>
          <article className="narrative-reading" lang={RESEARCH_LANGUAGE}>
            {data.segments.map((s) =>
              s.kind === "title" ? (
                <h3 key={s.id}>
                  <MarkedText parts={s.parts} pendingLabel={pending} />
                </h3>
              ) : s.kind === "quote" ? (
                <blockquote key={s.id} className="narrative-quote">
                  <p>
                    <MarkedText parts={s.parts} pendingLabel={pending} />
                  </p>
                </blockquote>
              ) : (
                <p key={s.id} style={{ whiteSpace: "pre-line" }}>
                  <MarkedText parts={s.parts} pendingLabel={pending} />
                </p>
              ),
            )}
          </article>
        </section>
        <aside className="card">
          <ProblemList problems={data.problems} order={data.segments.map((s) => s.id)} />
        </aside>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
