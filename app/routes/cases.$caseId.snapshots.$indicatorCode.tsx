import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "../auth/csrf.server.ts";
import { requirePermission } from "../permissions/permissions.server.ts";
import { deleteSnapshot, indicatorHistory, requireCaseInScope } from "../indicators/snapshots.server.ts";
import { erasureGroundFields } from "../consent/erasure-grounds.ts";
import { ErasureForm } from "../consent/erasure-ground-field.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { formatDay, formatQualifiers, formatValue, indicatorLabel } from "../indicators/format.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const history = await indicatorHistory(grant, params.caseId ?? "", params.indicatorCode ?? "");
  const d = history.definition;
  return json({
    case: { id: history.case.id },
    definition: { code: d.code, labelDe: d.labelDe, labelEn: d.labelEn, type: d.type, stalenessMonths: d.stalenessMonths, lmCode: d.lmCode, active: d.active },
    snapshots: history.snapshots,
  });
}

const deleteSchema = z.object({ snapshotId: z.string().min(1), ...erasureGroundFields });

/** Deletes an observation entered in error (GDPR Art. 16): same permission and scope as recording one. */
export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const kase = await requireCaseInScope(grant, params.caseId ?? "");
  const form = await readForm(request, grant.user);
  const submission = parseWithZod(form, { schema: deleteSchema });
  if (submission.status !== "success") {
    return json({ snapshotId: String(form.get("snapshotId") ?? ""), result: submission.reply() }, { status: 400 });
  }
  const { code } = await deleteSnapshot(request, grant, kase.id, submission.value.snapshotId, { ground: submission.value.ground, note: submission.value.note || undefined });
  return redirect(`/cases/${kase.id}/snapshots/${encodeURIComponent(code)}?deleted=1`);
}

export default function IndicatorHistory() {
  const data = useLoaderData<typeof loader>();
  const parent = useRouteLoaderData("routes/cases.$caseId.snapshots") as { canWrite?: boolean } | undefined;
  const { t, i18n } = useTranslation("indicators");
  const lang = i18n.language;
  const d = data.definition;
  const label = indicatorLabel(d, lang);
  const base = `/cases/${data.case.id}/snapshots`;
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  const [search] = useSearchParams();
  const canDelete = !!parent?.canWrite;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title", { label })}</h2>
      {search.get("deleted") ? (
        <p className="notice" role="status">
          {t("history.deleted")}
        </p>
      ) : null}
      <div className="actions-row">
        <Link to={base}>{t("history.back")}</Link>
        {parent?.canWrite && d.active ? (
          <Link to={`${base}?indicator=${encodeURIComponent(d.code)}#record`} className="button secondary">
            {t("history.recordNew")}
          </Link>
        ) : null}
      </div>
      <dl className="facts">
        <dt>{t("history.code")}</dt>
        <dd>{d.code}</dd>
        <dt>{t("history.staleness")}</dt>
        <dd>{t("history.months", { count: d.stalenessMonths })}</dd>
        {d.lmCode ? (
          <>
            <dt>{t("history.lmCode")}</dt>
            <dd>{d.lmCode}</dd>
          </>
        ) : null}
      </dl>
      {data.snapshots.length === 0 ? (
        <p>{t("history.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("history.caption", { label })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("snapshots.observedAt")}</th>
                <th scope="col">{t("state.label")}</th>
                <th scope="col">{t("form.value")}</th>
                <th scope="col">{t("source.label")}</th>
                <th scope="col">{t("snapshots.verified")}</th>
                <th scope="col">{t("history.recordedBy")}</th>
                <th scope="col">{t("history.recordedAt")}</th>
                {canDelete ? <th scope="col">{t("snapshots.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.snapshots.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{formatDay(s.observedAt, lang)}</th>
                  <td>{t(`state.${s.state}`)}</td>
                  <td>
                    {s.state === "known" ? formatValue(t, d, s.value, lang) : ""}
                    {s.state === "known" && s.qualifiers ? <span className="muted"> ({formatQualifiers(t, s.qualifiers)})</span> : null}
                  </td>
                  <td>{t(`source.${s.source}`)}</td>
                  <td>{t(s.verified ? "common:yes" : "common:no")}</td>
                  <td>{s.recordedBy ?? t("history.unknownUser")}</td>
                  <td>{dateTime.format(new Date(s.createdAt))}</td>
                  {canDelete ? (
                    <td>
                      <DeleteObservation snapshotId={s.id} observedOn={formatDay(s.observedAt, lang)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** "Delete as entered in error": opens to the legal ground, a note and a confirming button, so one click deletes nothing. */
function DeleteObservation({ snapshotId, observedOn }: { snapshotId: string; observedOn: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("indicators");
  const mine = actionData?.snapshotId === snapshotId;
  const busy = navigation.state !== "idle" && navigation.formData?.get("snapshotId") === snapshotId;
  return (
    // Open again after a refused attempt, so the message is seen next to the field.
    <details className="snapshot-delete" open={mine || undefined}>
      <summary>{t("history.delete.open")}</summary>
      <p>{t("history.delete.hint", { date: observedOn })}</p>
      <ErasureForm
        id={`delete-${snapshotId}`}
        lastResult={mine ? actionData.result : undefined}
        hidden={{ snapshotId }}
        label={t("history.delete.formLabel", { date: observedOn })}
        confirm={t("history.delete.confirm", { date: observedOn })}
        busy={busy}
        groundHint={t("history.delete.groundHint")}
        noteHint={t("history.delete.noteHint")}
      />
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
