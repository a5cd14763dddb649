import { getCollectionProps, getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../permissions/permissions.server.ts";
import { readForm } from "../auth/csrf.server.ts";
import { generatePassword, getUser, municipalityChoices, resetPassword, setUserActive, updateUserProfile, type ProfileField } from "../admin/users.server.ts";
import type { Role } from "../permissions/roles.ts";
import { KeptTheirs } from "../components/changed-meanwhile.tsx";
import { PASSWORD_MODES, passwordResetSchema, UserProfileSchema } from "../admin/schemas.ts";
import { MunicipalitiesField, RolesField } from "../admin/user-form-parts.tsx";
import { formatDateTime } from "../admin/dates.ts";
import { ONE_TIME_PASSWORD_DAYS } from "../auth/one-time-password.ts";
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
    // What the form was loaded with (merged with another admin's save meanwhile); a refused form keeps it.
    const list = (name: string) => String(form.get(name) ?? "").split(",").filter(Boolean);
    const base = form.has("base-displayName") ? { displayName: String(form.get("base-displayName")), roles: list("base-roles") as Role[], municipalityIds: list("base-municipalityIds") } : null;
    const refused = (result: ReturnType<typeof submission.reply>, nextBase = base) => json({ intent, result, saved: false, password: null, status: null as StatusResult, base: nextBase, keptTheirs: [] as ProfileField[] }, { status: 400 });
    if (submission.status !== "success") return refused(submission.reply());
    const outcome = await updateUserProfile(ctx, userId, submission.value, base);
    if (!outcome.ok) {
      // A name both changed: the next save is based on the newer name (shown in the heading), the rest as loaded.
      const nameTaken = outcome.fieldErrors?.displayName?.includes("admin:users.nameChangedMeanwhile");
      const now = nameTaken ? await getUser(userId) : null;
      return refused(submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), base && now ? { ...base, displayName: now.displayName } : base);
    }
    // What kept another admin's change is shown in the form as stored (the form still holds the older values).
    const stored = outcome.keptTheirs.length ? await getUser(userId) : null;
    const current = stored ? { displayName: stored.displayName, roles: stored.roles.join(","), municipalityIds: stored.municipalityIds.join(",") } : null;
    return json({ intent, result: submission.reply(), saved: true, password: null, status: null, base: null, keptTheirs: outcome.keptTheirs, current });
  }

  if (intent === "password") {
    const target = await getUser(userId);
    if (!target) throw notFound();
    const submission = parseWithZod(form, { schema: passwordResetSchema(target.username) });
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
  const { user, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);

  // A save merged with another admin's builds the form anew from what is stored now (it showed older values).
  const merged = actionData?.intent === "profile" && actionData.saved && "keptTheirs" in actionData && "current" in actionData && actionData.current ? { keptTheirs: actionData.keptTheirs, current: actionData.current as StoredProfile } : null;
  const [passwordForm, passwordFields] = useForm({
    id: `password-${user.id}`,
    lastResult: resultFor("password"),
    defaultValue: { passwordMode: "generate" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordResetSchema(user.username) }),
    shouldRevalidate: "onInput",
  });
  const saved = (intent: string) => actionData?.intent === intent && actionData.saved;
  const keptTheirs: ProfileField[] = merged?.keptTheirs ?? [];
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
        <dt>{t("password.state")}</dt>
        <dd>
          {user.oneTimePasswordValidUntil === null
            ? t("password.stateOwn")
            : t(new Date(user.oneTimePasswordValidUntil) < new Date() ? "password.stateExpired" : "password.stateOneTime", { date: formatDateTime(user.oneTimePasswordValidUntil, i18n.language) })}
        </dd>
        <dt>{t("users.sessions")}</dt>
        <dd>{user.sessionCount}</dd>
        <dt>{t("users.failedLogins", { days: user.failedLoginDays })}</dt>
        <dd>
          {user.failedLogins} <Link to={`/admin/audit?entity=user&entityId=${encodeURIComponent(user.id)}`}>{t("users.accountLog")}</Link>
        </dd>
      </dl>

      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t("users.profile")}</h2>
        {keptTheirs.length ? (
          <KeptTheirs labels={keptTheirs.map((f) => t(f === "displayName" ? "users.displayName" : f === "roles" ? "users.roles" : "users.municipalities"))} />
        ) : saved("profile") ? (
          <p className="notice" role="status">
            {tc("saved")}
          </p>
        ) : null}
        <ProfileForm key={merged ? JSON.stringify(merged.current) : "profile"} stored={merged?.current ?? null} />
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
                <p>{t("password.oneTime", { days: ONE_TIME_PASSWORD_DAYS })}</p>
              </div>
            ) : (
              <div className="notice" role="status">
                <p>{t("password.resetDone")}</p>
                <p>{t("password.oneTime", { days: ONE_TIME_PASSWORD_DAYS })}</p>
              </div>
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

type StoredProfile = { displayName: string; roles: string; municipalityIds: string };

/**
 * Name, roles and municipalities; built anew (its key) from `stored` after a save merged with another admin's. From
 * the action's answer, not the page's data: Remix hands over the action's answer before the reloaded page data.
 */
function ProfileForm({ stored }: { stored: StoredProfile | null }) {
  const { user, isSelf, municipalities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const loaded = stored
    ? { displayName: stored.displayName, roles: stored.roles.split(",").filter(Boolean), municipalityIds: stored.municipalityIds.split(",").filter(Boolean) }
    : { displayName: user.displayName, roles: user.roles as string[], municipalityIds: user.municipalityIds };
  const [profileForm, profileFields] = useForm({
    id: `profile-${user.id}`,
    lastResult: actionData?.intent === "profile" && !stored ? actionData.result : undefined,
    defaultValue: loaded,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UserProfileSchema }),
    shouldRevalidate: "onInput",
  });
  // The values the form was loaded with; a refused form keeps them (or the newer name it was refused for).
  const refusedBase = actionData?.intent === "profile" && !actionData.saved && "base" in actionData ? actionData.base : null;
  const base = refusedBase ?? loaded;
  return (
    <Form method="post" {...getFormProps(profileForm)}>
      <CsrfInput />
      <input type="hidden" name="intent" value="profile" />
      <input type="hidden" name="base-displayName" value={base.displayName} readOnly />
      <input type="hidden" name="base-roles" value={base.roles.join(",")} readOnly />
      <input type="hidden" name="base-municipalityIds" value={base.municipalityIds.join(",")} readOnly />
      <FormErrors errors={profileForm.errors} id={profileForm.errorId} />
      <TextField field={profileFields.displayName} label={t("users.displayName")} autoComplete="off" />
      <RolesField field={profileFields.roles} />
      {isSelf ? <p className="muted">{t("users.ownAdminHint")}</p> : null}
      <MunicipalitiesField field={profileFields.municipalityIds} municipalities={municipalities} />
      <button type="submit">{tc("actions.save")}</button>
    </Form>
  );
}
