// Keeps the session of a person who is working on a page alive, and says when it ended anyway.
// The idle limit (SESSION_IDLE_MINUTES) protects an unattended session; typing a long note without saving is not
// unattended, but makes no request. So while there is input, the page touches the session now and then
// (routes/session.keepalive). If the session has ended all the same (away longer than the limit, logged out in
// another tab), a save would lead to the login page and lose what was typed: the banner says so first, and once the
// person has logged in again in another tab, reloads the page's data (the new session's CSRF token) without
// touching the forms, so the text is saved after all.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

const ACTIVITY = ["keydown", "pointerdown", "input"] as const;

export function SessionKeepAlive({ idleMinutes }: { idleMinutes: number }) {
  const { t } = useTranslation();
  const [ended, setEnded] = useState(false);
  const [notYet, setNotYet] = useState(false);
  const revalidator = useRevalidator();
  useEffect(() => {
    // A third of the limit (at most five minutes) between touches: the session never comes close to the limit
    // while someone types.
    const every = Math.min(5 * 60_000, (idleMinutes * 60_000) / 3);
    let lastActivity = 0;
    let lastTouch = Date.now(); // loading the page touched it
    const mark = () => {
      lastActivity = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, mark, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (lastActivity <= lastTouch || now - lastTouch < every) return;
      lastTouch = now;
      fetch("/session/keepalive", { credentials: "same-origin", cache: "no-store" })
        .then((res) => {
          if (res.status === 401) setEnded(true);
        })
        .catch(() => {
          // Offline for a moment: the next input tries again.
          lastTouch = 0;
        });
    }, Math.max(1000, Math.min(60_000, every / 4)));
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, mark, { capture: true });
    };
  }, [idleMinutes]);
  if (!ended) return null;
  const resume = async () => {
    const res = await fetch("/session/keepalive", { credentials: "same-origin", cache: "no-store" }).catch(() => null);
    if (res?.ok) {
      setEnded(false);
      setNotYet(false);
      revalidator.revalidate();
    } else {
      setNotYet(true);
    }
  };
  return (
    <div className="session-ended" role="alert">
      <p>{t("session.ended", { minutes: idleMinutes })}</p>
      <p>
        <a href="/login" target="_blank" rel="noopener">
          {t("session.login")}
        </a>{" "}
        <button type="button" onClick={() => void resume()}>
          {t("session.resume")}
        </button>
      </p>
      {notYet ? <p>{t("session.notYet")}</p> : null}
    </div>
  );
}
