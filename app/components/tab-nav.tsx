import { NavLink } from "@remix-run/react";

export type Tab = { to: string; label: string; show: boolean; end?: boolean };

/** The tab bar of a record page (case, interview): only the tabs the user may use, the current one marked. */
export function TabNav({ tabs, label, t }: { tabs: Tab[]; label: string; t: (key: string) => string }) {
  return (
    <nav className="case-tabs" aria-label={label}>
      <ul>
        {tabs
          .filter((tab) => tab.show)
          .map((tab) => (
            <li key={tab.label}>
              <NavLink to={tab.to} end={tab.end}>
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}
