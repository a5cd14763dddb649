import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser, endAllSessions, createSession, destroySessionCookie } from "../auth/session.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { hashPassword, verifyPassword } from "../auth/password.server.ts";
import { oneTimePasswordValidUntil } from "../auth/one-time-password.ts";
import { audit } from "../audit/audit.server.ts";
import { db } from "../db/client.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { passwordField, passwordInput, validationMessage } from "../utils/validation.ts";
import { pageTitle } from "../i18n/title.server.ts";
import { safeRedirect } from "../utils/redirect.ts";

const passwordSchema = (username: string) =>
  z
    .object({
      intent: z.literal("password"),
      currentPassword: passwordInput(),
      newPassword: passwordField(username),
      confirmPassword: passwordInput(),
      redirectTo: z.string().optional(),
    })
    .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: validationMessage("auth:account.mismatch") });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Lebenswege" }];

// The one page a user signed in with a one-time password can open (docs/decisions/0024).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { duringPasswordChange: true });
  const municipalities = await db.municipality.findMany({ where: { id: { in: user.municipalityIds } }, select: { name: true }, orderBy: { name: "asc" } });
  return json({
    title: pageTitle(request, "auth:account.title"),
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    municipalities: municipalities.map((m) => m.name),
    mustChangePassword: user.mustChangePassword === true,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { duringPasswordChange: true });
  const form = await readForm(request, user);
  if (form.get("intent") === "logout-everywhere") {
    await endAllSessions(user.id);
    await audit(request, user, { action: "session.end-all", entity: "user", entityId: user.id });
    return redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });
  }
  const submission = parseWithZod(form, { schema: passwordSchema(user.username) });
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), changed: false }, { status: 400 });
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, oneTimePasswordSetAt: true } });
  if (!(await verifyPassword(row.passwordHash, submission.value.currentPassword))) {
    return json({ result: submission.reply({ fieldErrors: { currentPassword: ["auth:account.wrongCurrent"] }, hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), changed: false }, { status: 400 });
  }
  // A session begun in time outlives the 7 days (up to SESSION_ABSOLUTE_HOURS): an expired one-time password may no
  // more be traded for an own one than sign in (docs/decisions/0024). Told, as at login, only to who typed it right.
  if (row.oneTimePasswordSetAt && oneTimePasswordValidUntil(row.oneTimePasswordSetAt) < new Date()) {
    await audit(request, user, { action: "user.password.one-time-expired", entity: "user", entityId: user.id });
    return json({ result: submission.reply({ formErrors: ["auth:login.oneTimeExpired"], hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), changed: false }, { status: 403 });
  }
  // Choosing the same again would keep a password someone else knows (a one-time one) or change nothing.
  if (await verifyPassword(row.passwordHash, submission.value.newPassword)) {
    return json({ result: submission.reply({ fieldErrors: { newPassword: ["auth:account.sameAsCurrent"] }, hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), changed: false }, { status: 400 });
  }
  // Only over the password just checked: an admin's reset during the hashing above wins, and this change is refused.
  const changed = await db.user.updateMany({ where: { id: user.id, passwordHash: row.passwordHash }, data: { passwordHash: await hashPassword(submission.value.newPassword), oneTimePasswordSetAt: null } });
  if (changed.count === 0) {
    return json({ result: submission.reply({ fieldErrors: { currentPassword: ["auth:account.wrongCurrent"] }, hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), changed: false }, { status: 409 });
  }
  // A new password ends every other session; this browser gets a fresh one.
  await endAllSessions(user.id);
  await audit(request, user, { action: user.mustChangePassword ? "user.password.one-time-replaced" : "user.password.change", entity: "user", entityId: user.id });
  const cookie = await createSession(request, user.id);
  // After the required change the user goes on to the page they had asked for.
  if (user.mustChangePassword) throw redirect(safeRedirect(submission.value.redirectTo, "/"), { headers: { "Set-Cookie": cookie } });
  return json({ result: submission.reply({ resetForm: true }), changed: true }, { headers: { "Set-Cookie": cookie } });
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const { t: tc } = useTranslation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordSchema(data.username) }),
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <h1>{t("account.title")}</h1>
      {data.mustChangePassword ? (
        <div className="notice warning" role="alert" id="one-time-reason">
          <p>{t("account.oneTimeReason")}</p>
          <p>{t("account.oneTimeLocked")}</p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>{t("login.username")}</dt>
        <dd>{data.username}</dd>
        <dt>{t("account.roles")}</dt>
        <dd>{data.roles.map((r) => tc(`roles.${r}`)).join(", ")}</dd>
        {data.municipalities.length ? (
          <>
            <dt>{t("account.municipalities")}</dt>
            <dd>{data.municipalities.join(", ")}</dd>
          </>
        ) : null}
      </dl>
      <div className="grid-2">
        <section className="card" aria-labelledby="pw-title">
          <h2 id="pw-title">{t("account.changePassword")}</h2>
          {actionData?.changed ? <p className="notice" role="status">{t("account.changed")}</p> : null}
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="password" />
            <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
            <FormErrors errors={form.errors} />
            <TextField field={fields.currentPassword} label={t("account.currentPassword")} type="password" autoComplete="current-password" />
            <TextField field={fields.newPassword} label={t("account.newPassword")} type="password" autoComplete="new-password" />
            <TextField field={fields.confirmPassword} label={t("account.confirmPassword")} type="password" autoComplete="new-password" />
            <button type="submit">{tc("actions.save")}</button>
          </Form>
        </section>
        <section className="card" aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t("account.logoutEverywhere")}</h2>
          <p>{t("account.logoutEverywhereHint")}</p>
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="logout-everywhere" className="danger">
              {t("account.logoutEverywhere")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
