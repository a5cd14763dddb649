// Keeps the session of a person who is working on a page alive, and says when it ended anyway.
// The idle limit (SESSION_IDLE_MINUTES) protects an unattended session; typing a long note without saving is not
// unattended, but makes no request. So while there is input, the page touches the session now and then
// (routes/session.keepalive). If the session has ended all the same (away longer than the limit, logged out in
// another tab), a save would lead to the login page and lose what was typed: the banner says so first, and once the
// person has logged in again in another tab, reloads the page's data (the new session's CSRF token) without
// touching the forms, so the text is saved after all.
import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SESSION_ENDED_EVENT, SESSION_RESUMED_EVENT } from "./session-events.ts";

const ACTIVITY = ["keydown", "pointerdown", "input"] as const;
/** Forms that need no live session (leaving, the language). */
const WITHOUT_SESSION = ["/logout", "/set-locale"];

async function sessionAlive(): Promise<boolean | null> {
  const res = await fetch("/session/keepalive", { credentials: "same-origin", cache: "no-store" }).catch(() => null);
  return res ? res.ok : null;
}

export function SessionKeepAlive({ idleMinutes }: { idleMinutes: number }) {
  const { t } = useTranslation();
  const [ended, setEnded] = useState(false);
  const [notYet, setNotYet] = useState(false);
  // Read by the submit guard below, which is set up once.
  const endedNow = useRef(false);
  endedNow.current = ended;
  const revalidator = useRevalidator();
  // When the server last saw this page: loading it, a navigation or a revalidation, a touch.
  const lastContact = useRef(Date.now());
  const navigation = useNavigation();
  useEffect(() => {
    if (navigation.state === "idle") lastContact.current = Date.now();
  }, [navigation.state]);

  // A script of the page (autosave, codes, suggestions) got a 401.
  useEffect(() => {
    const onEnded = () => setEnded(true);
    window.addEventListener(SESSION_ENDED_EVENT, onEnded);
    return () => window.removeEventListener(SESSION_ENDED_EVENT, onEnded);
  }, []);
  // After "carry on": only once the page's data (with the new session's CSRF token) is back does the banner go and
  // may forms and waiting scripts save; a form sent earlier would carry the old token.
  const resuming = useRef(false);
  useEffect(() => {
    if (resuming.current && revalidator.state === "idle") {
      resuming.current = false;
      setEnded(false);
      window.dispatchEvent(new Event(SESSION_RESUMED_EVENT));
    }
  }, [revalidator.state]);

  // A save after a long pause without input (no touch was sent): ask first, so an ended session shows the banner
  // instead of the login page taking the form with it.
  useEffect(() => {
    const checked = new WeakSet<HTMLFormElement>();
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target as HTMLFormElement;
      if (checked.delete(form)) return;
      if (WITHOUT_SESSION.some((path) => (form.getAttribute("action") ?? "").startsWith(path))) return;
      // While the banner shows (ended, or carrying on), nothing is sent: it would fail and take the form with it.
      if (endedNow.current) {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      if (Date.now() - lastContact.current < idleMinutes * 60_000 - 60_000) return;
      event.preventDefault();
      event.stopPropagation();
      const submitter = event.submitter;
      const asked = Date.now();
      void sessionAlive().then((alive) => {
        if (alive === false) return setEnded(true);
        lastContact.current = asked;
        checked.add(form);
        form.requestSubmit(submitter && form.contains(submitter) ? submitter : undefined);
      });
    };
    window.addEventListener("submit", onSubmit, { capture: true });
    return () => window.removeEventListener("submit", onSubmit, { capture: true });
  }, [idleMinutes]);

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
      void sessionAlive().then((alive) => {
        // The server touched the session when the request came, not when its answer arrived.
        if (alive) lastContact.current = now;
        else if (alive === false) setEnded(true);
        else lastTouch = 0; // offline for a moment: the next input tries again
      });
    }, Math.max(1000, Math.min(60_000, every / 4)));
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, mark, { capture: true });
    };
  }, [idleMinutes]);
  if (!ended) return null;
  const resume = async () => {
    const asked = Date.now();
    if (await sessionAlive()) {
      lastContact.current = asked;
      setNotYet(false);
      resuming.current = true;
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
