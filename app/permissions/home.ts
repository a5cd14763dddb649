import { accessFor, type Role } from "./roles.ts";

export function homeFor(roles: readonly Role[]): string {
  if (accessFor(roles, "read", "case")) return "/cases";
  if (accessFor(roles, "read", "interview")) return "/interviews";
  // An admin only (no casework, no research) starts where the administering is.
  if (accessFor(roles, "manage", "users")) return "/admin";
  if (accessFor(roles, "read", "dashboard") || accessFor(roles, "read", "statistics")) return "/dashboard";
  return "/account";
}
