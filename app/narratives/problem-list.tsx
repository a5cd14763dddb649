// What still blocks release (the final check), named by category and place, never by value.
import { useTranslation } from "react-i18next";

type Problem = { kind: string; count?: number; category?: string; segment?: string };

/** `order`: the segment ids as the page shows them (the title first), so a block is named by its number. */
export function ProblemList({ problems, order = [] }: { problems: Problem[]; order?: string[] }) {
  const { t } = useTranslation("narratives");
  const blocks = order.filter((id) => id !== "title");
  const segment = (id?: string) => (id === "title" ? t("problems.segmentTitle") : t("problems.segmentBlock", { n: id && blocks.includes(id) ? blocks.indexOf(id) + 1 : "?" }));
  return (
    <div className="problems">
      <h3>{t("problems.title")}</h3>
      {problems.length === 0 ? (
        <p className="notice">{t("problems.ok")}</p>
      ) : (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              {t(`problems.${p.kind}`, { count: p.count ?? 0, category: p.category ? t(`redaction.categories.${p.category}`) : "", segment: segment(p.segment) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
