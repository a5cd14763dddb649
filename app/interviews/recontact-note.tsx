// "Wiederkontakt: erlaubt / nicht erlaubt" where a researcher plans a follow-up interview (mayRecontact), naming
// the decision that decides it: a consent of interview X given on day Y, or the withdrawal of X on day Y.
import { useTranslation } from "react-i18next";
import type { RecontactBasis, RecontactResult } from "../consent/gates.server.ts";
import { formatDate, useFormatDate } from "../cases/format.ts";
import { validationMessage } from "../utils/validation.ts";

/** i18n key suffix and values naming the decision (an erased interview's code is gone: the withdrawal keeps none). */
function basis(basedOn: RecontactBasis, format: (day: string) => string): { suffix: string; values: { code: string; date: string } } {
  const values = { code: basedOn.code ?? "", date: format(`${basedOn.date}T00:00:00Z`) };
  return { suffix: basedOn.kind === "consent" ? "" : basedOn.code === null ? "-erased" : "", values };
}

/** The form's refusal: "interviews:recontact.refused.<reason>" with what decided it, dated in the page's language. */
export function recontactRefusal(recontact: Extract<RecontactResult, { ok: false }>, language: string): string {
  if (!recontact.basedOn) return validationMessage(`interviews:recontact.refused.${recontact.reason}`);
  const { suffix, values } = basis(recontact.basedOn, (day) => formatDate(day, language));
  return validationMessage(`interviews:recontact.refused.${recontact.reason}${suffix}`, values);
}

/**
 * `onInterview`: shown on the page of one of the case's interviews. Without any recorded consent in the case, that
 * interview's own consent is missing too (it may be the only interview): the decision is not recorded yet, and it
 * is that consent to record, not an "earlier" one as on /interviews/new.
 */
export function RecontactNote({ recontact, onInterview = false }: { recontact: RecontactResult; onInterview?: boolean }) {
  const { t } = useTranslation("interviews");
  const formatDay = useFormatDate();
  if (recontact.ok && !recontact.basedOn) return <p className="muted recontact-state">{t("recontact.first")}</p>;
  if (onInterview && !recontact.ok && recontact.reason === "no-consent") {
    return (
      <p className="recontact-state" role="note">
        <strong>{t("recontact.label")}:</strong> {t("recontact.notRecorded")} – {t("recontact.noOwnConsentHint")}
      </p>
    );
  }
  const decided = recontact.basedOn ? basis(recontact.basedOn, formatDay) : null;
  const basedOnKey = recontact.basedOn?.kind === "withdrawal" ? `recontact.basedOnWithdrawal${decided?.suffix ?? ""}` : "recontact.basedOn";
  const basedOn = decided ? ` (${t(basedOnKey, decided.values)})` : "";
  return (
    <p className="recontact-state" role="note">
      <strong>{t("recontact.label")}:</strong> {recontact.ok ? t("recontact.allowed") : t("recontact.notAllowed")}
      {basedOn}
      {!recontact.ok && recontact.reason === "withdrawn" ? ` ${t("recontact.withdrawnHint")}` : ""}
      {!recontact.ok && recontact.reason === "no-consent" ? ` ${t("recontact.noConsentHint")}` : ""}
    </p>
  );
}
