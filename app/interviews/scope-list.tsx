// Each consent scope with "granted" / "not granted" in words (a symbol only repeats it, colour is extra).
import { useTranslation } from "react-i18next";
import { CONSENT_SCOPES, type ConsentScope } from "../consent/scopes.ts";

export function ScopeList({ granted }: { granted: readonly string[] }) {
  const { t } = useTranslation("interviews");
  return (
    <ul className="scope-list">
      {CONSENT_SCOPES.map((s: ConsentScope) => {
        const ok = granted.includes(s);
        return (
          <li key={s} className={ok ? "scope-granted" : "scope-refused"}>
            <span aria-hidden="true" className="scope-mark">
              {ok ? "✓" : "✗"}
            </span>{" "}
            {t(`scopes.${s}`)}: <strong>{ok ? t("consent.granted") : t("consent.notGranted")}</strong>
          </li>
        );
      })}
    </ul>
  );
}
