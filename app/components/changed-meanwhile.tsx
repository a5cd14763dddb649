// The other half of app/utils/field-merge.ts in the page: the values a form was loaded with travel along as
// hidden inputs, and a refused save shows what was saved meanwhile in the fields both people changed.
import { useTranslation } from "react-i18next";
import { BASE_PREFIX } from "../utils/field-merge.ts";

/** After a refused save, `values` hold the newer value in each conflicting field: saving again takes the person's entry there. */
export function BaseInputs({ values }: { values: Record<string, string> }) {
  return (
    <>
      {Object.entries(values).map(([field, value]) => (
        <input key={field} type="hidden" name={BASE_PREFIX + field} value={value} readOnly />
      ))}
    </>
  );
}

export function ChangedMeanwhile({ rows }: { rows: { label: string; value: string }[] }) {
  const { t } = useTranslation();
  return (
    <div className="form-error" role="alert">
      <p>
        <strong>{t("changedMeanwhile.title")}</strong>
      </p>
      <p>{t("changedMeanwhile.body")}</p>
      <dl className="facts">
        {rows.map((r) => (
          <div key={r.label} className="facts-row">
            <dt>{r.label}</dt>
            <dd>{r.value === "" ? t("changedMeanwhile.empty") : r.value}</dd>
          </div>
        ))}
      </dl>
      <p>{t("changedMeanwhile.next")}</p>
    </div>
  );
}

/**
 * After a refused save the form is built anew from `proposed` (the person's entries, and the other's value where
 * only the other changed a field), so it holds what saving again stores. A key per refusal remounts it; Conform's
 * update intent would post the form to the action instead (it leaves validation of such an intent to the server).
 */
export const refusalKey = (proposed: Record<string, string>) => `refused-${JSON.stringify(proposed)}`;

/** After a merged save: which fields kept what someone else saved meanwhile. */
export function KeptTheirs({ labels }: { labels: string[] }) {
  const { t } = useTranslation();
  if (!labels.length) return null;
  return (
    <p className="notice" role="status">
      {t("changedMeanwhile.kept", { fields: labels.join(", ") })}
    </p>
  );
}

/** The `kept` search parameter of a page a merged save redirected to, limited to the form's fields. */
export function keptFields<K extends string>(param: string | null, fields: readonly K[]): K[] {
  return (param ?? "").split(",").filter((f): f is K => (fields as readonly string[]).includes(f));
}
