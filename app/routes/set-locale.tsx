import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "../auth/session.server.ts";
import { checkCsrf } from "../auth/csrf.server.ts";
import { db } from "../db/client.server.ts";
import { isLanguage } from "../i18n/config.ts";
import { languageCookie } from "../i18n/language.server.ts";
import { safeRedirect } from "../utils/redirect.ts";
import { refusalsInReadersLanguage } from "../utils/responses.server.ts";

export async function loader(_: LoaderFunctionArgs) {
  return redirect("/");
}

/** Switches the page language; a signed-in user's choice is remembered on the account. */
export const action = refusalsInReadersLanguage(async ({ request }: ActionFunctionArgs) => {
  const form = await request.formData();
  const locale = form.get("locale");
  if (!isLanguage(locale)) throw new Response("unknown language", { status: 400 });
  const user = await getSessionUser(request);
  if (user) {
    checkCsrf(form, user);
    await db.user.update({ where: { id: user.id }, data: { locale } });
  }
  return redirect(safeRedirect(form.get("redirectTo"), "/"), { headers: { "Set-Cookie": languageCookie(locale) } });
});
