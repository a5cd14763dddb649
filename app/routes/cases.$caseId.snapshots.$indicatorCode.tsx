import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { indicatorHistory } from "../indicators/snapshots.server.ts";
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

export default function IndicatorHistory() {
  const data = useLoaderData<typeof loader>();
  const parent = useRouteLoaderData("routes/cases.$caseId.snapshots") as { canWrite?: boolean } | undefined;
  const { t, i18n } = useTranslation("indicators");
  const lang = i18n.language;
  const d = data.definition;
  const label = indicatorLabel(d, lang);
  const base = `/cases/${data.case.id}/snapshots`;
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title", { label })}</h2>
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
