import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { findInterview, hasTranscript } from "../transcripts/transcripts.server.ts";
import { EXPORT_FORMATS } from "../transcripts/formats/types.ts";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import styles from "../styles/transcript-editor.css";
import codingStyles from "../styles/coding.css";
import { RedactOption } from "../components/redact-option.tsx";
import { notAfterEndedSession } from "../auth/revalidate.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: codingStyles },
];

export const shouldRevalidate = notAfterEndedSession;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "transcript");
  const interview = await findInterview(grant, params.interviewId ?? "");
  return json({
    interviewId: interview.id,
    hasTranscript: await hasTranscript(grant, interview.id),
    canImport: hasPermission(grant.user, "write", "transcript") && interview.status !== "withdrawn",
  });
}

export default function TranscriptLayout() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("transcripts");
  const base = `/interviews/${data.interviewId}/transcript`;
  // The downloads replace identifying details unless the box is unticked (then the links carry redact=0).
  const [redact, setRedact] = useState(true);
  return (
    <div className="transcript-layout">
      <div className="transcript-nav">
        <nav aria-label={t("nav.label")}>
          <ul>
            <li>
              <NavLink to={base} end>
                {t("nav.editor")}
              </NavLink>
            </li>
            {data.hasTranscript ? (
              <li>
                <NavLink to={`${base}/versions`}>{t("nav.versions")}</NavLink>
              </li>
            ) : null}
            {data.canImport ? (
              <li>
                <NavLink to={`${base}/import`}>{t("nav.import")}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        {data.hasTranscript ? (
          <div className="export-links">
            <span id="export-label">{t("export.label")}</span>
            <ul aria-labelledby="export-label">
              {EXPORT_FORMATS.map((format) => (
                <li key={format}>
                  <a href={`${base}/export?format=${format}${redact ? "" : "&redact=0"}`}>
                    {t(`export.formats.${format}`)}
                  </a>
                </li>
              ))}
            </ul>
            <RedactOption id="transcript-export-redact" checked={redact} onChange={setRedact} label={t("export.redact")} hint={t("export.redactHint")} />
          </div>
        ) : null}
      </div>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
