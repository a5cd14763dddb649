// Search-as-you-type in the header: a combobox (WAI-ARIA 1.2 pattern) whose list shows the first hits from
// /search-suggest, fetched a moment after typing stops. Arrow keys move through the list, Enter opens the chosen
// hit (or the full results page), Escape closes the list. Without JavaScript it is a plain GET form to /search.
import { Form, useFetcher, useNavigate } from "@remix-run/react";
import { announceSessionEnded } from "../auth/session-events.ts";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SnippetText, hitSource, type HitData } from "./results.tsx";
import { asYouTypeQuery } from "../../search/query/parse.ts";

const DEBOUNCE_MS = 250;

type Suggestions = { q: string; all: string; total: number; hits: HitData[]; hint: string | null };

export function HeaderSearch() {
  const { t } = useTranslation("search");
  const fetcher = useFetcher<Suggestions>();
  const navigate = useNavigate();
  const id = useId().replace(/:/g, "");
  const [value, setValue] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const data = fetcher.data && fetcher.data.q === value.trim() ? fetcher.data : null;
  const sessionEnded = fetcher.data?.hint === "session";
  useEffect(() => {
    if (sessionEnded) announceSessionEnded();
  }, [sessionEnded, fetcher.data]);
  const options: { key: string; href: string; hit: HitData | null }[] = [
    ...(data?.hits ?? []).filter((h) => h.href).map((h) => ({ key: `${h.kind}:${h.sourceId}`, href: h.href!, hit: h })),
    ...(value.trim() ? [{ key: "all", href: `/search?q=${encodeURIComponent(data?.all ?? value.trim())}`, hit: null }] : []),
  ];
  const expanded = open && value.trim().length >= 2 && options.length > 0;

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const onChange = (next: string) => {
    setValue(next);
    setActive(-1);
    setOpen(true);
    if (timer.current) clearTimeout(timer.current);
    const q = next.trim();
    if (q.length < 2) return;
    timer.current = setTimeout(() => fetcher.load(`/search-suggest?q=${encodeURIComponent(q)}`), DEBOUNCE_MS);
  };

  const go = (href: string) => {
    setOpen(false);
    setActive(-1);
    navigate(href);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a + 1) % options.length : -1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
    } else if (e.key === "Enter" && expanded && active >= 0 && options[active]) {
      e.preventDefault();
      go(options[active]!.href);
    } else if (e.key === "Escape") {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else {
        setValue("");
      }
    }
  };

  // A query the syntax cannot take (e.g. "*ab"): its hint, in the list and for screen readers, not "no suggestions".
  const hint = data?.hint ? t(`hints.${data.hint}`) : null;
  const status = !expanded || !data ? "" : hint ?? (data.hits.length ? t("suggest.status", { count: data.hits.length }) : t("suggest.none"));

  return (
    <Form
      method="get"
      action="/search"
      role="search"
      aria-label={t("suggest.landmark")}
      className="header-search"
      onSubmit={(e) => {
        // Enter or the button: the query the suggestions showed ("Kenntnispr" also finds the words it begins), as
        // "all results" does; the raw text found nothing for a word not yet finished.
        const q = value.trim();
        if (!q) return setOpen(false);
        e.preventDefault();
        go(`/search?q=${encodeURIComponent(data?.all ?? asYouTypeQuery(q))}`);
      }}
    >
      <label htmlFor={`${id}-q`} className="visually-hidden">
        {t("suggest.label")}
      </label>
      <input
        id={`${id}-q`}
        name="q"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        placeholder={t("suggest.placeholder")}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button type="submit" className="secondary">
        {t("suggest.submit")}
      </button>
      <ul id={`${id}-list`} role="listbox" aria-label={t("suggest.label")} className="header-search-list" hidden={!expanded}>
        {options.map((o, i) => (
          <li
            key={o.key}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault(); // keep the focus in the box until we navigate
              go(o.href);
            }}
          >
            {o.hit ? (
              <>
                <span className="header-search-source">{hitSource(o.hit, t)}</span>
                <p className="header-search-snippet" lang={o.hit.language} data-spoken={o.hit.snippet.spoken ? "true" : undefined}>
                  <SnippetText {...o.hit.snippet} />
                </p>
              </>
            ) : (
              <>
                {hint ? <span className="header-search-hint">{hint}</span> : null}
                <span className="header-search-all">{t("suggest.all", { q: value.trim() })}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      <div role="status" aria-live="polite" className="visually-hidden">
        {status}
      </div>
    </Form>
  );
}
