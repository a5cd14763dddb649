import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { destroySessionCookie, endSession, getSessionUser } from "../auth/session.server.ts";
import { checkCsrf } from "../auth/csrf.server.ts";
import { audit } from "../audit/audit.server.ts";

export async function loader(_: LoaderFunctionArgs) {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) {
    checkCsrf(await request.formData(), user);
    await endSession(request);
    await audit(request, user, { action: "logout", entity: "user", entityId: user.id });
  }
  return redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });
}
