import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../admin/dates.ts";
import { auditDetailKey, type AuditDetail, type AuditDetailEntry, type AuditDetailValue } from "./detail.ts";

/** An entry's details as "label: value" lines; keys without a label keep their stored name. */
export function AuditDetailView({ detail }: { detail: AuditDetail }) {
  if ("text" in detail) return <code>{detail.text}</code>;
  return <Entries entries={detail.entries} />;
}

function Entries({ entries }: { entries: AuditDetailEntry[] }) {
  const { t } = useTranslation("admin");
  if (entries.length === 0) return null;
  return (
    <ul className="audit-detail">
      {entries.map((e) => {
        const key = auditDetailKey(e.key);
        return (
          <li key={e.key}>
            {key ? <span className="label">{t(key)}:</span> : <code className="label">{e.key}:</code>} <Value value={e.value} />
          </li>
        );
      })}
    </ul>
  );
}

function Value({ value }: { value: AuditDetailValue }) {
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  switch (value.kind) {
    case "text":
      return <>{value.text}</>;
    case "number":
      return <>{formatNumber(value.value, i18n.language)}</>;
    case "flag":
      return <>{value.value ? tc("yes") : tc("no")}</>;
    case "empty":
      return <>{tc("none")}</>;
    case "ref":
      // A record the log names but the database no longer holds (erased by a withdrawal): its id and why it has no name.
      if (value.name === null) return <><code>{value.id}</code> <span className="muted">{t("audit.detailGone")}</span></>;
      return value.href ? <Link to={value.href}>{value.name}</Link> : <>{value.name}</>;
    case "list":
      return value.items.length ? (
        <ul className="audit-detail-list">
          {value.items.map((item, i) => (
            <li key={i}>
              <Value value={item} />
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
