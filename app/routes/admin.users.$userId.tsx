import { getCollectionProps, getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { generatePassword, getUser, municipalityChoices, resetPassword, setUserActive, updateUserProfile } from "../admin/users.server.ts";
import { PASSWORD_MODES, PasswordResetSchema, UserProfileSchema } from "../admin/schemas.ts";
import { MunicipalitiesField, RolesField } from "../admin/user-form-parts.tsx";
import { formatDateTime } from "../admin/dates.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors, TextField } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { notFound } from "../utils/responses.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  const user = await getUser(params.userId ?? "");
  if (!user) throw notFound();
  return json({ user, isSelf: user.id === grant.user.id, municipalities: await municipalityChoices(user.municipalityIds) });
}

type StatusResult = { formErrors: string[] } | null;

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "manage", "users");
  const userId = params.userId ?? "";
  const form = await readForm(request, grant.user);
  const ctx = { request, actor: grant.user };
  const intent = form.get("intent");

  if (intent === "profile") {
    const submission = parseWithZod(form, { schema: UserProfileSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply(), saved: false, password: null, status: null as StatusResult }, { status: 400 });
    const outcome = await updateUserProfile(ctx, userId, submission.value);
    if (!outcome.ok) return json({ intent, result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), saved: false, password: null, status: null }, { status: 400 });
    return json({ intent, result: submission.reply(), saved: true, password: null, status: null });
  }

  if (intent === "password") {
    const submission = parseWithZod(form, { schema: PasswordResetSchema });
    if (submission.status !== "success") return json({ intent, result: submission.reply({ hideFields: ["password"] }), saved: false, password: null, status: null }, { status: 400 });
    const generated = submission.value.passwordMode === "generate";
    const password = generated ? generatePassword() : submission.value.password!;
    await resetPassword(ctx, userId, password, generated);
    // A generated password is shown this once; a typed one is not echoed back.
    return json(
      { intent, result: submission.reply({ resetForm: true }), saved: true, password: generated ? password : null, status: null },
      { headers: { "Cache-Control": "no-store" } },
    );
  }

  if (intent === "deactivate" || intent === "reactivate") {
    const outcome = await setUserActive(ctx, userId, intent === "reactivate");
    if (!outcome.ok) return json({ intent, result: null, saved: false, password: null, status: { formErrors: outcome.formErrors ?? [] } }, { status: 400 });
    return json({ intent, result: null, saved: true, password: null, status: null });
  }
  throw new Response("unknown intent", { status: 400 });
}

export default function EditUser() {
  const { user, isSelf, municipalities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);

  const [profileForm, profileFields] = useForm({
    id: `profile-${user.id}`,
    lastResult: resultFor("profile"),
    defaultValue: { displayName: user.displayName, roles: user.roles, municipalityIds: user.municipalityIds },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UserProfileSchema }),
    shouldRevalidate: "onInput",
  });
  const [passwordForm, passwordFields] = useForm({
    id: `password-${user.id}`,
    lastResult: resultFor("password"),
    defaultValue: { passwordMode: "generate" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordResetSchema }),
    shouldRevalidate: "onInput",
  });
  const saved = (intent: string) => actionData?.intent === intent && actionData.saved;
  const statusErrors = actionData?.status?.formErrors;

  return (
    <>
      <p>
        <Link to="/admin/users">{t("users.backToList")}</Link>
      </p>
      <h1>
        {user.displayName} <span className="muted">({user.username})</span>
      </h1>
      {searchParams.get("created") ? (
        <p className="notice" role="status">
          {t("users.createdTyped")}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("users.status")}</dt>
        <dd>
          <span className={`badge ${user.active ? "active" : "inactive"}`}>{user.active ? t("users.active") : t("users.inactive")}</span>
        </dd>
        <dt>{t("users.createdAt")}</dt>
        <dd>{formatDateTime(user.createdAt, i18n.language)}</dd>
        <dt>{t("users.lastLogin")}</dt>
        <dd>{user.lastLoginAt ? formatDateTime(user.lastLoginAt, i18n.language) : t("users.never")}</dd>
        <dt>{t("users.sessions")}</dt>
        <dd>{user.sessionCount}</dd>
      </dl>

      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t("users.profile")}</h2>
        {saved("profile") ? (
          <p className="notice" role="status">
            {tc("saved")}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(profileForm)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="profile" />
          <FormErrors errors={profileForm.errors} id={profileForm.errorId} />
          <TextField field={profileFields.displayName} label={t("users.displayName")} autoComplete="off" />
          <RolesField field={profileFields.roles} />
          {isSelf ? <p className="muted">{t("users.ownAdminHint")}</p> : null}
          <MunicipalitiesField field={profileFields.municipalityIds} municipalities={municipalities} />
          <button type="submit">{tc("actions.save")}</button>
        </Form>
      </section>

      <div className="grid-2 admin-sections">
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">{t("password.reset")}</h2>
          <p className="muted">{t("password.resetHint")}</p>
          {saved("password") ? (
            actionData?.password ? (
              <div className="one-time-secret" role="status">
                <p>{t("password.generatedOnce")}</p>
                <p>
                  <code>{actionData.password}</code>
                </p>
              </div>
            ) : (
              <p className="notice" role="status">
                {t("password.resetDone")}
              </p>
            )
          ) : null}
          <Form method="post" {...getFormProps(passwordForm)}>
            <CsrfInput />
            <input type="hidden" name="intent" value="password" />
            <FormErrors errors={passwordForm.errors} id={passwordForm.errorId} />
            <fieldset>
              <legend>{t("password.new")}</legend>
              {getCollectionProps(passwordFields.passwordMode, { type: "radio", options: [...PASSWORD_MODES] }).map(({ key, ...input }) => (
                <label key={key ?? input.value} className="checkbox-row" htmlFor={input.id}>
                  <input {...input} />
                  {t(`password.mode.${input.value}`)}
                </label>
              ))}
              <ErrorText id={passwordFields.passwordMode.errorId} errors={passwordFields.passwordMode.errors} />
              <TextField field={passwordFields.password} label={t("password.typed")} hint={t("password.typedHint")} type="password" autoComplete="new-password" />
            </fieldset>
            <button type="submit">{t("password.resetSubmit")}</button>
          </Form>
        </section>

        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">{user.active ? t("users.deactivate") : t("users.reactivate")}</h2>
          {statusErrors?.length ? <FormErrors errors={statusErrors} /> : null}
          {saved("deactivate") || saved("reactivate") ? (
            <p className="notice" role="status">
              {user.active ? t("users.reactivated") : t("users.deactivated")}
            </p>
          ) : null}
          {user.active ? (
            isSelf ? (
              <p>{t("users.cannotDeactivateSelfHint")}</p>
            ) : (
              <Form method="post">
                <CsrfInput />
                <p>{t("users.deactivateHint")}</p>
                <button type="submit" name="intent" value="deactivate" className="danger">
                  {t("users.deactivate")}
                </button>
              </Form>
            )
          ) : (
            <Form method="post">
              <CsrfInput />
              <p>{t("users.reactivateHint")}</p>
              <button type="submit" name="intent" value="reactivate">
                {t("users.reactivate")}
              </button>
            </Form>
          )}
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
