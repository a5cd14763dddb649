// Memo cards for the list page and the interview's memo tab.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormatDate } from "../cases/format.ts";
import type { MemoTarget, MemoType } from "./memo-fields.ts";
import { RESEARCH_LANGUAGE } from "../i18n/content-language.ts";

export type MemoRow = {
  id: string;
  type: MemoType;
  title: string;
  excerpt: string;
  author: string | null;
  updatedAt: string;
  target: { kind: MemoTarget; label: string; labelEn?: string; href: string | null; quote?: string | undefined };
};

export function MemoTargetLabel({ target }: { target: MemoRow["target"] }) {
  const { t, i18n } = useTranslation("memos");
  const label = i18n.language.startsWith("en") && target.labelEn ? target.labelEn : target.label;
  const text = target.kind === "project" ? t("targets.project") : `${t(`targets.${target.kind}`)}: ${label}`;
  return target.href ? <Link to={target.href}>{text}</Link> : <span>{text}</span>;
}

export function MemoList({ rows, headingLevel }: { rows: MemoRow[]; headingLevel: 2 | 3 }) {
  const { t } = useTranslation("memos");
  const formatDate = useFormatDate();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (!rows.length) return <p className="muted">{t("list.empty")}</p>;
  return (
    <ul className="memo-list">
      {rows.map((m) => (
        <li key={m.id} className="memo-item">
          <Heading>
            <Link to={`/memos/${m.id}`}>{m.title}</Link>
          </Heading>
          <p className="item-meta">
            <span className="badge-type">{t(`types.${m.type}`)}</span>
            <MemoTargetLabel target={m.target} />
            <span>{m.author ?? t("unknownAuthor")}</span>
            <span>{t("list.updated", { date: formatDate(m.updatedAt) })}</span>
          </p>
          {m.target.quote ? <blockquote className="muted">{t("common:quoted", { text: m.target.quote })}</blockquote> : null}
          {m.excerpt ? (
            <p className="memo-excerpt" lang={RESEARCH_LANGUAGE}>
              {m.excerpt}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
