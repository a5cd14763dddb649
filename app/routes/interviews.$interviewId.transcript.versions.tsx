import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readForm } from "../auth/csrf.server.ts";
import { mayProcess } from "../consent/gates.server.ts";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { findInterview, listVersions, restoreVersion, versionParagraphs } from "../transcripts/transcripts.server.ts";
import { RestoreSchema } from "../transcripts/schemas.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { auditView } from "../audit/audit.server.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatClockShort } from "../transcripts/editor/timing.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "transcript");
  const interview = await findInterview(grant, params.interviewId ?? "");
  const [list, gate] = await Promise.all([listVersions(grant, interview.id), mayProcess(interview.id, "transcription")]);
  const shown = Number(new URL(request.url).searchParams.get("show"));
  const preview = list && Number.isInteger(shown) && shown > 0 ? await versionParagraphs(grant, interview.id, shown) : null;
  // An earlier version may still hold what a correction took out (a name, a place): its reading is logged apart.
  if (preview) await auditView(request, grant.user, { action: "transcript.version.view", entity: "transcript", entityId: preview.id, detail: { interviewId: interview.id, version: shown } });
  return json({
    interviewId: interview.id,
    current: list?.current ?? null,
    versions: list?.versions ?? [],
    preview: preview ? { version: shown, paragraphs: preview.paragraphs.map((p) => ({ speaker: p.speaker, startMs: p.startMs, text: p.text })) } : null,
    canRestore: hasPermission(grant.user, "write", "transcript") && gate.ok,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "transcript");
  const interview = await findInterview(grant, params.interviewId ?? "");
  const form = await readForm(request, grant.user);
  const gate = await mayProcess(interview.id, "transcription");
  if (!gate.ok) return json({ error: `gate.${gate.reason}` }, { status: 403 });
  const submission = parseWithZod(form, { schema: RestoreSchema });
  if (submission.status !== "success") return json({ error: "versions.invalid" }, { status: 400 });
  const result = await restoreVersion(request, grant, interview.id, submission.value.version);
  if (!result.ok) return json({ error: result.reason === "conflict" ? "save.conflict" : "versions.notFound" }, { status: result.reason === "conflict" ? 409 : 404 });
  return redirect(`/interviews/${interview.id}/transcript/versions?restored=${submission.value.version}`);
}

export default function TranscriptVersions() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("transcripts");
  const base = `/interviews/${data.interviewId}/transcript`;
  const formatDateTime = (value: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "medium", timeZone: "Europe/Berlin" }).format(new Date(value));
  const [searchParams] = useSearchParams();
  const restored = searchParams.get("restored");
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t("versions.title")}</h2>
      <p className="muted">{t("versions.intro")}</p>
      {restored ? (
        <p className="notice" role="status">
          {t("versions.restored", { version: restored, current: data.current })}
        </p>
      ) : null}
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      {data.versions.length ? (
        <div className="table-wrap">
          <table>
            <caption>{t("versions.caption", { count: data.versions.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("versions.version")}</th>
                <th scope="col">{t("versions.savedAt")}</th>
                <th scope="col">{t("versions.savedBy")}</th>
                <th scope="col">{t("versions.kind")}</th>
                <th scope="col" className="num">
                  {t("versions.paragraphs")}
                </th>
                <th scope="col" className="num">
                  {t("versions.words")}
                </th>
                <th scope="col">{t("versions.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    {v.version}
                    {v.version === data.current ? <span className="badge interview-current"> {t("versions.current")}</span> : null}
                  </th>
                  <td>{formatDateTime(v.createdAt)}</td>
                  <td>{v.createdBy ?? t("versions.system")}</td>
                  <td>{t(`versions.kinds.${v.kind ?? "unknown"}`)}</td>
                  <td className="num">{v.paragraphs}</td>
                  <td className="num">{v.words}</td>
                  <td>
                    <div className="actions-row">
                      <Link to={`?show=${v.version}`} preventScrollReset aria-label={t("versions.showLabel", { version: v.version })}>
                        {t("versions.show")}
                      </Link>
                      {data.canRestore && v.version !== data.current ? (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="restore" />
                          <input type="hidden" name="version" value={v.version} />
                          <button type="submit" className="secondary" disabled={navigation.state !== "idle"} aria-label={t("versions.restoreLabel", { version: v.version })}>
                            {t("versions.restore")}
                          </button>
                        </Form>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("versions.none")}</p>
      )}
      {data.preview ? (
        <section className="card version-preview" aria-labelledby="preview-title">
          <h3 id="preview-title">{t("versions.previewTitle", { version: data.preview.version })}</h3>
          {data.preview.paragraphs.map((p, i) => (
            <p key={i}>
              <strong>{p.speaker || "?"}:</strong> <span className="muted">[{formatClockShort(p.startMs)}]</span> {p.text}
            </p>
          ))}
        </section>
      ) : null}
      <p>
        <Link to={base}>{t("versions.back")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
