// Skip links of a page beyond "Zum Inhalt": a route names them in its handle (`skipLinks`, from its loader's data),
// the app shell puts them first in the page, visible on focus. A link moves the keyboard focus to its target (an
// element that takes focus, or one with tabindex -1), not only the scroll position.
import { useMatches } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** `target`: the id of the element to focus; `label`: an i18n key with its namespace ("transcripts:skip.text"). */
export type SkipLink = { target: string; label: string };
export type SkipLinksHandle<Data> = { skipLinks: (data: Data | undefined) => SkipLink[] };

const hasSkipLinks = (handle: unknown): handle is SkipLinksHandle<unknown> => typeof handle === "object" && handle !== null && typeof (handle as { skipLinks?: unknown }).skipLinks === "function";

export function PageSkipLinks() {
  const { t } = useTranslation();
  const links = useMatches().flatMap((m) => (hasSkipLinks(m.handle) ? m.handle.skipLinks(m.data) : []));
  return (
    <>
      {links.map((link) => (
        <a
          key={link.target}
          className="skip-link"
          href={`#${link.target}`}
          onClick={(e) => {
            const target = document.getElementById(link.target);
            if (!target) return;
            e.preventDefault();
            target.focus();
            target.scrollIntoView({ block: "start" });
          }}
        >
          {t(link.label)}
        </a>
      ))}
    </>
  );
}
