import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { homeFor } from "../permissions/home.ts";

/**
 * The start page depends on the role: the register for managers and admins, statistics otherwise. Signed in with a
 * one-time password, the start (where the login and the header's name lead) is the password change (ADR 0024);
 * as a route without a page it would otherwise get the 403 of resource routes.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { duringPasswordChange: true });
  throw redirect(user.mustChangePassword ? "/account" : homeFor(user.roles));
}
