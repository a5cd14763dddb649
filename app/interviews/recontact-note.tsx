// "Wiederkontakt: erlaubt / nicht erlaubt" where a researcher plans a follow-up interview (mayRecontact).
import { useTranslation } from "react-i18next";
import type { RecontactResult } from "../consent/gates.server.ts";

export function RecontactNote({ recontact }: { recontact: RecontactResult }) {
  const { t } = useTranslation("interviews");
  if (recontact.ok && !recontact.basedOn) return <p className="muted recontact-state">{t("recontact.first")}</p>;
  const basedOn = recontact.basedOn ? ` (${t("recontact.basedOn", { code: recontact.basedOn.code })})` : "";
  return (
    <p className="recontact-state" role="note">
      <strong>{t("recontact.label")}:</strong> {recontact.ok ? t("recontact.allowed") : t("recontact.notAllowed")}
      {basedOn}
      {!recontact.ok && recontact.reason === "withdrawn" ? ` ${t("recontact.withdrawnHint")}` : ""}
      {!recontact.ok && recontact.reason === "no-consent" ? ` ${t("recontact.noConsentHint")}` : ""}
    </p>
  );
}
