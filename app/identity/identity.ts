// The identity record's shape, shared by the form (client) and the store (server).
import { z } from "zod";
import { dateProblem, optionalText } from "../utils/validation.ts";
import type { FormValues } from "../utils/field-merge.ts";

export const IdentitySchema = z.object({
  firstName: optionalText(100),
  lastName: optionalText(100),
  // Kept as typed (YYYY-MM-DD) in the sealed record; a real day, not in the future.
  dateOfBirth: z
    .string()
    .superRefine((v, ctx) => {
      const problem = v ? dateProblem(v) : null;
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  address: optionalText(300),
  phone: optionalText(50),
  azrNumber: optionalText(50),
  bamfNumber: optionalText(50),
  otherFileNumbers: optionalText(200),
});

export type IdentityData = z.infer<typeof IdentitySchema>;
export const IDENTITY_FIELDS = ["firstName", "lastName", "dateOfBirth", "address", "phone", "azrNumber", "bamfNumber", "otherFileNumbers"] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type IdentityFormValues = FormValues<IdentityField>;

/** Every field as the form holds it ("" when empty): the base of a three-way merge (app/utils/field-merge.ts). */
export const identityFormValues = (data: IdentityData | null): IdentityFormValues => Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, data?.[f] ?? ""])) as IdentityFormValues;
