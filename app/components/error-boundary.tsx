import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The app's error page, used by every route's ErrorBoundary. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = [400, 403, 404, 409, 410, 500].includes(status) ? status : status >= 500 ? 500 : 400;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">
        {t("errors.title")} <span className="muted">({status})</span>
      </h1>
      <p>{t(`errors.${known}`)}</p>
      <p>
        <Link to="/">{t("errors.home")}</Link>
      </p>
    </section>
  );
}
