import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../admin/dates.ts";
import type { AuditDetail, AuditDetailEntry, AuditDetailValue } from "./detail.ts";

/** An entry's details as "label: value" lines; keys without a label keep their stored name. */
export function AuditDetailView({ detail }: { detail: AuditDetail }) {
  if ("text" in detail) return <code>{detail.text}</code>;
  return <Entries entries={detail.entries} />;
}

function Entries({ entries }: { entries: AuditDetailEntry[] }) {
  const { t, i18n } = useTranslation("admin");
  if (entries.length === 0) return null;
  return (
    <ul className="audit-detail">
      {entries.map((e) => (
        <li key={e.key}>
          {e.label && i18n.exists(e.label) ? <span className="label">{t(e.label)}:</span> : <code className="label">{e.key}:</code>} <AuditValue value={e.value} />
        </li>
      ))}
    </ul>
  );
}

/** Records whose name alone would not say what they are: the link text names the kind too (read out as it is). */
const REF_LABELS: Partial<Record<string, string>> = { transcript: "audit.refs.transcript", narrative: "audit.refs.narrative", memo: "audit.refs.memo" };

/** One value: also the log table's object column, resolved like a reference in the details. */
export function AuditValue({ value }: { value: AuditDetailValue }) {
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  switch (value.kind) {
    case "text":
      return <>{value.text}</>;
    case "term": {
      // A code without a label (written by an older version) shows as stored.
      const known = value.keys.find((k) => i18n.exists(k));
      return <>{known ? t(known) : value.text}</>;
    }
    case "number":
      return <>{formatNumber(value.value, i18n.language)}</>;
    case "flag":
      return <>{value.value ? tc("yes") : tc("no")}</>;
    case "empty":
      return <>{tc("none")}</>;
    case "ref":
      // A record the log names but the database no longer holds (erased by a withdrawal): its id and why it has no name.
      if (value.name === null) return <><code>{value.id}</code> <span className="muted">{t("audit.detailGone")}</span></>;
      const template = REF_LABELS[value.ref];
      const name = i18n.language.startsWith("en") && value.nameEn ? value.nameEn : value.name;
      const text = value.ref === "memo" && name === "" ? t("audit.refs.memoProject") : template ? t(template, { name }) : name;
      return value.href ? <Link to={value.href}>{text}</Link> : <>{text}</>;
    case "batch":
      return <>{t("audit.refs.batch", { id: value.id })}</>;
    case "list":
      return value.items.length ? (
        <ul className="audit-detail-list">
          {value.items.map((item, i) => (
            <li key={i}>
              <AuditValue value={item} />
            </li>
          ))}
        </ul>
      ) : (
        <>{tc("none")}</>
      );
    case "fields":
      return value.entries.length ? <Entries entries={value.entries} /> : <>{tc("none")}</>;
  }
}
