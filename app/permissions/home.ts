import { accessFor, type Role } from "./roles.ts";

export function homeFor(roles: readonly Role[]): string {
  if (accessFor(roles, "read", "case")) return "/cases";
  if (accessFor(roles, "read", "interview")) return "/interviews";
  if (accessFor(roles, "read", "dashboard") || accessFor(roles, "read", "statistics")) return "/dashboard";
  return "/account";
}
