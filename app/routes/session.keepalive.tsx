// Touches the session of someone who is working on the page (typing, clicking) without loading anything: a long
// note or memo is written without a request, and the idle limit would otherwise end the session under it.
// Answers 401 instead of the login redirect, so the page can warn before unsaved text is lost.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "../auth/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return json({ active: Boolean(user) }, { status: user ? 200 : 401, headers: { "Cache-Control": "no-store" } });
}
