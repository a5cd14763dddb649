// The legal ground and the optional note of a deletion for good (ERASURE_GROUNDS), as every confirm form asks for
// them: the same labels, choices and limit everywhere, so the log's entries read alike whatever was deleted.
import type { FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { SelectField, TextField } from "../components/forms.tsx";
import { ERASURE_GROUNDS } from "./erasure-grounds.ts";

/** `groundHint`/`noteHint`: what the ground usually is and what the note must not name, for this kind of data. */
export function ErasureGroundField({ ground, note, groundHint, noteHint }: { ground: FieldMetadata<unknown>; note: FieldMetadata<unknown>; groundHint?: string; noteHint?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        field={ground}
        label={t("erasure.ground")}
        hint={groundHint ?? t("erasure.groundHint")}
        placeholder={t("cases:form.choose")}
        options={ERASURE_GROUNDS.map((g) => ({ value: g, label: t(`erasureGrounds.${g}`) }))}
      />
      <TextField field={note} label={t("erasure.note")} hint={noteHint ?? t("erasure.noteHint")} maxLength={200} />
    </>
  );
}
