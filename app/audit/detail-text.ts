// An audit entry's details as one line of text, worded as the log page shows them (detail-view.tsx): for the CSV
// export, whose readers open it in a spreadsheet and should not have to decode ids and JSON keys.
import type { i18n as I18n } from "i18next";
import { formatNumber } from "../admin/dates.ts";
import type { AuditDetail, AuditDetailEntry, AuditDetailValue } from "./detail.ts";

const REF_LABELS: Partial<Record<string, string>> = { transcript: "admin:audit.refs.transcript", narrative: "admin:audit.refs.narrative", memo: "admin:audit.refs.memo" };

/** "Label: value; Label: value"; a list's items separated by ", ", nested entries in brackets. */
export function auditDetailText(detail: AuditDetail, i18n: I18n): string {
  return "text" in detail ? detail.text : entriesText(detail.entries, i18n);
}

function entriesText(entries: AuditDetailEntry[], i18n: I18n): string {
  return entries.map((e) => `${e.label && i18n.exists(e.label) ? i18n.t(e.label) : e.key}: ${auditValueText(e.value, i18n)}`).join("; ");
}

export function auditValueText(value: AuditDetailValue, i18n: I18n): string {
  const t = i18n.t.bind(i18n);
  switch (value.kind) {
    case "text":
      return value.text;
    case "term": {
      const known = value.keys.find((k) => i18n.exists(k));
      return known ? t(known) : value.text;
    }
    case "number":
      return formatNumber(value.value, i18n.language);
    case "flag":
      return value.value ? t("common:yes") : t("common:no");
    case "empty":
      return t("common:none");
    case "ref": {
      // Erased (or never existing) records: the id is all the log knows, said as on the page.
      if (value.name === null) return `${value.id} ${t("admin:audit.detailGone")}`;
      const template = REF_LABELS[value.ref];
      const name = i18n.language.startsWith("en") && value.nameEn ? value.nameEn : value.name;
      return value.ref === "memo" && name === "" ? t("admin:audit.refs.memoProject") : template ? t(template, { name }) : name;
    }
    case "batch":
      return t("admin:audit.refs.batch", { id: value.id });
    case "list":
      return value.items.length ? value.items.map((item) => auditValueText(item, i18n)).join(", ") : t("common:none");
    case "fields":
      return value.entries.length ? `(${entriesText(value.entries, i18n)})` : t("common:none");
  }
}
