// A page's own scripts (transcript autosave, applying codes, search suggestions) learn from a 401 that the session
// has ended; the session banner (session-keep-alive.tsx) listens for this and offers to carry on after a new login.
export const SESSION_ENDED_EVENT = "lebenswege:session-ended";
/** After a new login the page's data is reloaded; scripts waiting to save listen for this. */
export const SESSION_RESUMED_EVENT = "lebenswege:session-resumed";

export function announceSessionEnded(): void {
  window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
}
