import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, hasPermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import {
  deleteNarrative,
  getNarrative,
  getReleased,
  isOwnWork,
  isResearchGrant,
  redactionOf,
  releaseNarrative,
  reopenNarrative,
  retractNarrative,
  sendBack,
  submitForReview,
  withdrawSubmission,
  type WorkflowResult,
} from "../narratives/narratives.server.ts";
import { fromHtml } from "../narratives/render.ts";
import { MarkedText, SectionsView } from "../narratives/narrative-view.tsx";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";
import { ProblemList } from "../narratives/problem-list.tsx";
import { useFormatDate } from "../cases/format.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { pageTitle } from "../i18n/title.server.ts";
import { erasureSchema } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";
import { parseWithZod } from "@conform-to/zod";
import type { SubmissionResult } from "@conform-to/react";

// The commissioner's page is named by the narrative's (anonymized) title; the layout knows it only on the research side.
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data && !data.research ? [{ title: data.title }] : (matches.find((m) => m.id === "routes/narratives.$narrativeId")?.meta ?? []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "narrative");
  const id = params.narrativeId ?? "";
  if (!isResearchGrant(grant)) {
    const released = await getReleased(request, grant, id);
    return json({ research: false as const, title: `${released.rendered.title} – ${pageTitle(request, "narratives:list.title")}`, released: { id: released.id, title: released.rendered.title, sections: released.rendered.sections, releasedAt: released.releasedAt }, narrative: null });
  }
  const n = await getNarrative(request, grant, id);
  const frozen = n.status === "released" && n.releasedHtml ? fromHtml(n.releasedHtml) : null;
  const view = frozen ? null : await redactionOf(request, grant.user, n);
  const kinds = Object.fromEntries(n.blocks.map((b) => [b.id, b.kind]));
  return json({
    research: true as const,
    released: frozen ? { id: n.id, title: frozen.title, sections: frozen.sections, releasedAt: n.releasedAt } : null,
    narrative: {
      id: n.id,
      status: n.status,
      pseudonym: n.case.pseudonym,
      authorName: n.authorName,
      reviewerName: n.reviewerName,
      submittedAt: n.submittedAt,
      releasedAt: n.releasedAt,
      blockCount: n.blocks.length,
      reviewComment: n.state.reviewComment,
      own: isOwnWork(n, grant.user.id),
      canWrite: hasPermission(grant.user, "write", "narrative"),
      canRelease: hasPermission(grant.user, "release", "narrative"),
      preview: view ? view.segments.map((s) => ({ id: s.id, kind: s.id === "title" ? "title" : (kinds[s.id] ?? "text"), parts: s.parts })) : null,
      problems: view ? view.problems : [],
    },
  });
}

const RELEASE_INTENTS = new Set(["release", "sendBack", "retract"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const probe = await requirePermission(request, "write", "narrative");
  const form = await readForm(request, probe.user);
  const intent = String(form.get("intent") ?? "");
  const grant = RELEASE_INTENTS.has(intent) ? await requirePermission(request, "release", "narrative") : probe;
  const id = params.narrativeId ?? "";
  let result: WorkflowResult = { ok: true };
  switch (intent) {
    case "submit":
      result = await submitForReview(request, grant, id);
      break;
    case "release":
      result = await releaseNarrative(request, grant, id);
      break;
    case "sendBack": {
      const comment = String(form.get("comment") ?? "").trim().slice(0, 2000);
      if (!comment) return json({ intent, ok: false as const, reason: "comment" as const }, { status: 400 });
      result = await sendBack(request, grant, id, comment);
      break;
    }
    case "unsubmit":
      await withdrawSubmission(request, grant, id);
      break;
    case "retract":
      await retractNarrative(request, grant, id);
      break;
    case "reopen":
      await reopenNarrative(request, grant, id);
      break;
    case "delete": {
      const erasure = parseWithZod(form, { schema: erasureSchema });
      // No legal ground: nothing is deleted; the message stands at the field, the note typed comes back.
      if (erasure.status !== "success") return json({ intent, ok: false as const, reason: "ground" as const, deleteResult: erasure.reply() as SubmissionResult<string[]> }, { status: 400 });
      await deleteNarrative(request, grant, id, erasure.value);
      return redirect("/narratives");
    }
    default:
      return json({ intent, ok: false as const, reason: "unknown" as const }, { status: 400 });
  }
  if (!result.ok) return json({ intent, ok: false as const, reason: result.reason }, { status: result.reason === "own" ? 403 : 409 });
  return json({ intent, ok: true as const, reason: null });
}

export default function NarrativeOverview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("narratives");
  const formatDate = useFormatDate();
  const n = data.narrative;
  const id = n?.id;

  if (!data.research || !n) {
    const r = data.released!;
    return (
      <>
        <p>
          <Link to="/narratives">{t("released.back")}</Link>
        </p>
        <h1 className="visually-hidden">{t("released.title")}</h1>
        <p className="muted">{t("released.releasedOn", { date: formatDate(r.releasedAt) })}</p>
        <SectionsView title={r.title} sections={r.sections} />
        <Downloads base={`/narratives/${r.id}`} draft={false} />
      </>
    );
  }

  return (
    <div className="grid-2">
      <section aria-labelledby="narrative-text-title">
        {data.released ? (
          <>
            <h2 id="narrative-text-title">{t("released.title")}</h2>
            <SectionsView title={data.released.title} sections={data.released.sections} headingLevel={3} />
          </>
        ) : (
          <>
            <h2 id="narrative-text-title">{t("overview.preview")}</h2>
            <p className="muted">{t("overview.previewHint")}</p>
            {n.blockCount === 0 ? <p className="muted">{t("overview.empty")}</p> : null}
            <article className="narrative-reading" lang={RESEARCH_LANGUAGE}>
              {n.preview?.map((s) =>
                s.kind === "title" ? (
                  <h3 key={s.id} className="narrative-title">
                    <MarkedText parts={s.parts} pendingLabel={t("redaction.statuses.pending")} />
                  </h3>
                ) : s.kind === "quote" ? (
                  <blockquote key={s.id} className="narrative-quote">
                    <p>
                      <MarkedText parts={s.parts} pendingLabel={t("redaction.statuses.pending")} />
                    </p>
                  </blockquote>
                ) : (
                  <div key={s.id} className={s.kind === "indicator" ? "narrative-indicator" : "narrative-text"}>
                    <p style={{ whiteSpace: "pre-line" }}>
                      <MarkedText parts={s.parts} pendingLabel={t("redaction.statuses.pending")} />
                    </p>
                  </div>
                ),
              )}
            </article>
          </>
        )}
      </section>
      <aside>
        <section className="card" aria-labelledby="workflow-title">
          <h2 id="workflow-title">{t("workflow.title")}</h2>
          {actionData && actionData.intent !== "delete" ? (
            <p className={actionData.ok ? "notice" : "form-error"} role={actionData.ok ? "status" : "alert"}>
              {actionData.ok ? t(`workflow.done.${actionData.intent}`) : actionData.reason === "comment" ? t("workflow.commentRequired") : t(`workflow.refused.${actionData.reason}`, { defaultValue: t("workflow.refused.problems") })}
            </p>
          ) : null}
          <dl className="meta-list">
            <dt>{t("meta.case")}</dt>
            <dd>{n.pseudonym}</dd>
            {n.authorName ? (
              <>
                <dt>{t("meta.author")}</dt>
                <dd>{n.authorName}</dd>
              </>
            ) : null}
            {n.submittedAt ? (
              <>
                <dt>{t("meta.submitted")}</dt>
                <dd>{formatDate(n.submittedAt)}</dd>
              </>
            ) : null}
            {n.reviewerName ? (
              <>
                <dt>{t("meta.reviewer")}</dt>
                <dd>{n.reviewerName}</dd>
              </>
            ) : null}
            {n.releasedAt ? (
              <>
                <dt>{t("meta.released")}</dt>
                <dd>{formatDate(n.releasedAt)}</dd>
              </>
            ) : null}
          </dl>
          {n.reviewComment && n.status === "draft" ? (
            <div className="notice">
              <h3>{t("overview.reviewComment")}</h3>
              <p style={{ whiteSpace: "pre-line" }}>{n.reviewComment}</p>
            </div>
          ) : null}
          {n.status === "draft" || n.status === "in_review" ? <ProblemList problems={n.problems} order={n.preview?.map((s) => s.id)} /> : null}
          <Workflow status={n.status} own={n.own} canWrite={n.canWrite} canRelease={n.canRelease} deleteResult={actionData && "deleteResult" in actionData ? actionData.deleteResult : undefined} />
        </section>
        <Downloads base={`/narratives/${id}`} draft={n.status !== "released"} />
      </aside>
    </div>
  );
}

function Downloads({ base, draft }: { base: string; draft: boolean }) {
  const { t } = useTranslation("narratives");
  const href = (format: string) => `${base}/export?format=${format}`;
  return (
    <section className="card" aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t("overview.downloads")}</h2>
      <ul>
        {(["pdf", "docx"] as const).map((f) => (
          <li key={f}>
            <a href={href(f)}>
              {draft ? t("overview.draftDownload", { format: t(`overview.${f}`) }) : t(`overview.${f}`)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Workflow({ status, own, canWrite, canRelease, deleteResult }: { status: string; own: boolean; canWrite: boolean; canRelease: boolean; deleteResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation("narratives");
  // Deleting erases the narrative for good: only with a legal ground (ADR 0012).
  const deleteForm = <ErasureForm id="delete-narrative" lastResult={deleteResult} hidden={{ intent: "delete" }} confirm={t("workflow.delete")} label={t("workflow.delete")} />;
  const button = (intent: string, label: string, className?: string) => (
    <Form method="post">
      <CsrfInput />
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  );
  if (status === "draft") {
    return (
      <>
        <p className="muted">{t("workflow.draftHint")}</p>
        {canWrite ? (
          <>
            <div className="workflow-actions">{button("submit", t("workflow.submit"))}</div>
            {deleteForm}
          </>
        ) : null}
      </>
    );
  }
  if (status === "in_review") {
    return (
      <>
        <p className="muted">{t("workflow.inReviewHint")}</p>
        {own ? <p className="notice">{t("workflow.ownWork")}</p> : null}
        <div className="workflow-actions">
          {canRelease && !own ? button("release", t("workflow.release")) : null}
          {canWrite && own ? button("unsubmit", t("workflow.unsubmit"), "secondary") : null}
        </div>
        {canRelease && !own ? (
          <Form method="post">
            <CsrfInput />
            <div className="field">
              <label htmlFor="send-back-comment">{t("workflow.comment")}</label>
              <textarea id="send-back-comment" name="comment" rows={3} required maxLength={2000} />
            </div>
            <button type="submit" name="intent" value="sendBack" className="secondary">
              {t("workflow.sendBack")}
            </button>
          </Form>
        ) : null}
      </>
    );
  }
  if (status === "released") {
    return (
      <>
        <p className="muted">{t("workflow.releasedHint")}</p>
        {canRelease ? (
          <>
            <p className="muted">{t("workflow.retractConfirm")}</p>
            {button("retract", t("workflow.retract"), "secondary")}
          </>
        ) : null}
      </>
    );
  }
  return (
    <>
      <p className="muted">{t("workflow.retractedHint")}</p>
      {canWrite ? (
        <>
          <div className="workflow-actions">{button("reopen", t("workflow.reopen"))}</div>
          {deleteForm}
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
