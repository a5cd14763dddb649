import type { ShouldRevalidateFunction } from "@remix-run/react";

/**
 * After a page script's request was refused because the session ended (401, see endedSessionReply), reloading the
 * page's data would only follow the login redirect away from the unsaved work: the page stays as it is. Used by
 * the routes above the transcript editor (root, interview, transcript), whose loaders run after each autosave.
 */
export const notAfterEndedSession: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => (actionStatus === 401 ? false : defaultShouldRevalidate);
