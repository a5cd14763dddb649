// What a user's search may find, from their permissions (app/permissions/roles.ts). Goes into the engine query.
import type { SessionUser } from "../auth/session.server.ts";
import { accessFor } from "../permissions/roles.ts";
import type { Visibility } from "../../search/query/types.ts";

export function visibilityOf(user: Pick<SessionUser, "roles" | "municipalityIds">): Visibility {
  const research = accessFor(user.roles, "search", "research") !== null;
  const counselling = accessFor(user.roles, "search", "counselling");
  const narratives = accessFor(user.roles, "search", "narrative") !== null;
  return {
    research,
    codebook: research,
    // Researchers and admins may read narratives anyway; the commissioner only released ones (all indexed are).
    narratives: narratives || research,
    counselling: counselling === "any" ? "all" : counselling === "own" ? [...user.municipalityIds] : null,
  };
}

/** Whether results may show case pseudonyms, interviews and codes (the commissioner sees none of these). */
export const showsCases = (v: Visibility) => v.research || v.counselling !== null;

export const maySearch = (v: Visibility) => v.research || v.narratives || v.counselling !== null;
