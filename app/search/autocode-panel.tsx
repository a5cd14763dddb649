// "Alle Treffer codieren" on the search page: a code, a unit, a preview of how much will be coded, then confirm;
// the result in a live region with an undo. It sits inside the page's GET search form, so it has no form of its
// own (forms do not nest) and its fields no names (a new search does not carry them): it submits through a fetcher
// to the page's action, with the query and filters of the URL.
import { useEffect, useRef, useState } from "react";
import { useFetcher, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AutocodePreview, AutocodeResult, AutocodeUnit, UndoResult } from "../coding/autocode.server.ts";

const UNITS: AutocodeUnit[] = ["hit", "sentence", "paragraph"];

type ActionData =
  | { intent: "preview"; codeId: string; unit: AutocodeUnit; result: AutocodePreview }
  | { intent: "apply"; codeId: string; unit: AutocodeUnit; result: AutocodeResult }
  | { intent: "undo"; undo: UndoResult }
  | { intent: "invalid" };

/** The panel's fetcher, shared by key so the page-level undo can see which batch the panel already offers. */
const PANEL_FETCHER = "search-autocode";

/** The search a preview counts: query and filters of the URL, not the page or the sort (same hits). */
function searchOf(search: string) {
  const params = new URLSearchParams(search);
  params.delete("page");
  params.delete("sort");
  params.sort();
  return params.toString();
}

export function AutocodePanel({ codes }: { codes: { id: string; label: string }[] }) {
  const { t } = useTranslation("search");
  const location = useLocation();
  const root = useRouteLoaderData("root") as { csrfToken: string | null } | undefined;
  const fetcher = useFetcher<ActionData>({ key: PANEL_FETCHER });
  const [codeId, setCodeId] = useState("");
  const [unit, setUnit] = useState<AutocodeUnit>("hit");
  const busy = fetcher.state !== "idle";
  const data = fetcher.data;
  // The search the last preview was asked for: after a new search (query or filters) it shows no more.
  const [previewedFor, setPreviewedFor] = useState<string | null>(null);
  const current = searchOf(location.search);
  const stalePreview = data?.intent === "preview" && previewedFor !== current;
  // After "Jetzt codieren" or "Rückgängig" the button is gone: focus goes to the result, the undo next to it.
  const resultRef = useRef<HTMLParagraphElement>(null);
  // Once per answer, as it arrives (not when the page's data has been reloaded after it: by then the user may have
  // tabbed on to "Rückgängig").
  useEffect(() => {
    if (data && data.intent !== "preview") resultRef.current?.focus();
  }, [data]);

  const send = (fields: Record<string, string>) =>
    fetcher.submit({ _csrf: root?.csrfToken ?? "", ...fields }, { method: "post", action: `/search${location.search}` });

  // A preview counts for the code and unit it was made with: another choice needs a new one.
  const preview = data?.intent === "preview" && !stalePreview && data.codeId === codeId && data.unit === unit && data.result.ok ? data.result : null;

  const counts = (r: { alreadyCoded: number; skipped: { reason: string; interviews: number }[] }) => (
    <>
      {r.alreadyCoded ? <p>{t("autocode.alreadyCoded", { count: r.alreadyCoded })}</p> : null}
      {r.skipped.map((s) => (
        <p key={s.reason}>{t(`autocode.skipped.${s.reason}`, { count: s.interviews })}</p>
      ))}
    </>
  );

  const message = (() => {
    if (!data || stalePreview) return null;
    if (data.intent === "invalid") return <p>{t("autocode.unknownCode")}</p>;
    if (data.intent === "undo") {
      return (
        <p ref={resultRef} tabIndex={-1}>
          {undoMessage(t, data.undo)}
        </p>
      );
    }
    const r = data.result;
    if (!r.ok) {
      const text = r.reason === "too-many" ? t("autocode.tooMany", { max: r.max }) : r.reason === "query" ? t("autocode.query") : r.reason === "search-changed" ? t("autocode.searchChanged") : t("autocode.unknownCode");
      return (
        <p ref={data.intent === "apply" ? resultRef : undefined} tabIndex={-1}>
          {text}
        </p>
      );
    }
    if (data.intent === "preview") return <>{r.codings ? <p>{t("autocode.previewText", { ...r, count: r.passages })}</p> : <p>{t("autocode.nothing")}</p>}{counts(r)}</>;
    const batchId = "batchId" in r ? r.batchId : null;
    return (
      <>
        <p ref={resultRef} tabIndex={-1}>
          {r.codings ? t("autocode.done", { ...r, count: r.codings }) : t("autocode.nothing")}
        </p>
        {counts(r)}
        {batchId !== null ? (
          // Not disabled while the page's data is reloaded after the batch: focus is on the result by then, and Tab
          // must reach the undo.
          <button type="button" disabled={fetcher.state === "submitting"} onClick={() => send({ intent: "undo", batch: String(batchId) })}>
            {t("autocode.undo")}
          </button>
        ) : null}
      </>
    );
  })();

  return (
    <section className="search-autocode" aria-labelledby="autocode-title">
      <h3 id="autocode-title">{t("autocode.title")}</h3>
      <p className="muted">{t("autocode.intro")}</p>
      <div className="field">
        <label htmlFor="autocode-code">{t("autocode.code")}</label>
        <select id="autocode-code" value={codeId} onChange={(e) => setCodeId(e.target.value)}>
          <option value="">{t("autocode.choose")}</option>
          {codes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="search-autocode-units">
        <legend>{t("autocode.unit")}</legend>
        {UNITS.map((u) => (
          <div key={u}>
            {/* One radio group by name; `form` names no form, so the page's search form does not send the unit. */}
            <input type="radio" name="autocode-unit" form="autocode-no-form" value={u} id={`autocode-unit-${u}`} checked={unit === u} onChange={() => setUnit(u)} />
            <label htmlFor={`autocode-unit-${u}`}>{t(`autocode.units.${u}`)}</label>
          </div>
        ))}
      </fieldset>
      <button
        type="button"
        disabled={busy || !codeId}
        onClick={() => {
          setPreviewedFor(current);
          send({ intent: "preview", codeId, unit });
        }}
      >
        {t("autocode.preview")}
      </button>{" "}
      {preview && preview.codings > 0 ? (
        <button type="button" disabled={busy} onClick={() => send({ intent: "apply", codeId, unit, previewed: preview.interviewIds.join(","), search: preview.search })}>
          {t("autocode.confirm")}
        </button>
      ) : null}
      <div role="status" aria-live="polite" className="search-autocode-result">
        {message}
      </div>
    </section>
  );
}

/**
 * The undo of the user's last batch after the result message is gone (a reload, another search): offered while it
 * would still remove codings (autocode.server.ts lastUndoableBatch). Outside the panel, which shows only with hits.
 */
export function LastBatchUndo({ batch }: { batch: { batchId: number; codings: number } | null }) {
  const { t } = useTranslation("search");
  const location = useLocation();
  const root = useRouteLoaderData("root") as { csrfToken: string | null } | undefined;
  const fetcher = useFetcher<ActionData>();
  const undo = fetcher.data?.intent === "undo" ? fetcher.data.undo : null;
  // The panel's result offers this very batch's undo already: one button per batch on the page.
  const panel = useFetcher<ActionData>({ key: PANEL_FETCHER }).data;
  if (batch && panel?.intent === "apply" && panel.result.ok && panel.result.batchId === batch.batchId) batch = null;
  // Stays while its result is shown, though the page then no longer offers the batch.
  if (!batch && !undo) return null;
  return (
    <div className="search-autocode-last">
      {batch ? (
        <p>
          {t("autocode.lastBatch", { count: batch.codings })}{" "}
          <button
            type="button"
            disabled={fetcher.state !== "idle"}
            onClick={() => fetcher.submit({ _csrf: root?.csrfToken ?? "", intent: "undo", batch: String(batch.batchId) }, { method: "post", action: `/search${location.search}` })}
          >
            {t("autocode.undoLast")}
          </button>
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {undo ? <p>{undoMessage(t, undo)}</p> : null}
      </div>
    </div>
  );
}

function undoMessage(t: (key: string, options?: Record<string, unknown>) => string, undo: UndoResult) {
  if (undo.ok) return [t("autocode.undone", { count: undo.removed }), undo.kept ? t("autocode.undoKept", { count: undo.kept }) : ""].join(" ").trim();
  if (undo.reason === "all-kept") return t("autocode.undoAllKept", { count: undo.kept });
  return t(undo.reason === "done" ? "autocode.undoDone" : "autocode.undoMissing");
}
