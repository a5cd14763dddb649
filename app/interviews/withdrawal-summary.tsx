// What a withdrawal removed, per store and kind (counts only), and the erase preview before it runs.
import { useTranslation } from "react-i18next";

type Counts = Record<string, Record<string, number>>;

export function useEraseLabels() {
  const { t } = useTranslation("interviews");
  return {
    eraser: (name: string) => t(`withdraw.erasers.${name}`, { defaultValue: name }),
    kind: (kind: string) => t(`withdraw.kinds.${kind}`, { defaultValue: kind }),
    part: (part: string) => t(`withdraw.parts.${part}`, { defaultValue: part }),
  };
}

/** One table: store, kind, count. */
export function EraseTable({ counts, caption }: { counts: Counts; caption: string }) {
  const { t } = useTranslation("interviews");
  const labels = useEraseLabels();
  const rows = Object.entries(counts).flatMap(([eraser, kinds]) => Object.entries(kinds).map(([kind, n]) => ({ eraser, kind, n })));
  if (rows.length === 0) return <p className="muted">{t("withdraw.nothingToErase")}</p>;
  return (
    <div className="table-wrap">
      <table className="erase-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("withdraw.store")}</th>
            <th scope="col">{t("withdraw.kind")}</th>
            <th scope="col" className="num">
              {t("withdraw.count")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.eraser}-${r.kind}`}>
              <td>{labels.eraser(r.eraser)}</td>
              <td>{labels.kind(r.kind)}</td>
              <td className="num">{r.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WithdrawalSummary({ withdrawal }: { withdrawal: { scope: string; parts: string[]; status: string; erased: Counts } }) {
  const { t } = useTranslation("interviews");
  const labels = useEraseLabels();
  const done = withdrawal.status === "done";
  return (
    <section className={done ? "notice" : "form-error"} role="status" aria-labelledby="withdrawal-summary-title">
      <h2 id="withdrawal-summary-title" className="summary-title">
        {done ? t(`withdraw.done.${withdrawal.scope === "whole" ? "whole" : "partial"}`) : t("withdraw.pendingTitle")}
      </h2>
      {withdrawal.scope === "partial" ? <p>{t("withdraw.partsWithdrawn", { parts: withdrawal.parts.map(labels.part).join(", ") })}</p> : null}
      <EraseTable counts={withdrawal.erased} caption={t("withdraw.erasedCaption")} />
    </section>
  );
}
