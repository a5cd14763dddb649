// Leaving a form with typed, unsaved text asks first: a link in the app (through the router's blocker) and closing
// or reloading the tab (beforeunload). Typing marks the form changed; a navigation that completes without an
// answer from the action (a save redirects; a link leaves) clears the mark. A refused save (the action answers with
// its reasons: a conflict, a field error) keeps it: the text is still unsaved.
import { useActionData, useBlocker, useLocation } from "@remix-run/react";
import { useEffect, useRef, type RefObject } from "react";

export function useLeaveWarning(formRef: RefObject<HTMLFormElement | null>, question: string, action?: string) {
  const location = useLocation();
  const refused = useActionData() !== undefined;
  // A form shown again after a refused save (often a new one, holding the text sent) starts out unsaved.
  const changed = useRef(refused);
  useEffect(() => {
    if (!refused) changed.current = false;
  }, [location.key, refused]);

  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    // Inputs, selects and the rich text editor's contenteditable all send "input", which bubbles to the form.
    const mark = () => (changed.current = true);
    const warn = (event: BeforeUnloadEvent) => {
      if (changed.current) event.preventDefault();
    };
    form.addEventListener("input", mark);
    window.addEventListener("beforeunload", warn);
    return () => {
      form.removeEventListener("input", mark);
      window.removeEventListener("beforeunload", warn);
    };
  }, [formRef]);

  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (!changed.current || nextLocation.pathname === currentLocation.pathname) return false;
    // The form's own post (to its action elsewhere) saves the text: no question.
    return !action || new URL(action, window.location.href).pathname !== nextLocation.pathname;
  });
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(question)) {
      changed.current = false;
      blocker.proceed();
    } else blocker.reset();
  }, [blocker, question]);
}
