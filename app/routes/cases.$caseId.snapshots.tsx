import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useOutlet } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { readForm } from "../auth/csrf.server.ts";
import { CsrfInput } from "../components/csrf-input.tsx";
import { ErrorText, FormErrors } from "../components/forms.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { hasPermission, requirePermission } from "../permissions/permissions.server.ts";
import { caseOverview, formIndicator, recordSnapshot, requireCaseInScope } from "../indicators/snapshots.server.ts";
import { formValueOf, isFreeCodeList, snapshotSchema, type FormIndicator } from "../indicators/snapshot-form.ts";
import { allowedValuesOf, qualifiersOf, SNAPSHOT_SOURCES, SNAPSHOT_STATES, type QualifierValues } from "../indicators/values.ts";
import { badgeClass, displayState, formatDay, formatQualifiers, formatValue, indicatorLabel, valueLabel, DISPLAY_STATES, type DisplayState } from "../indicators/format.ts";
import styles from "../styles/indicators.css";
import { todayInputValue } from "../cases/format.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const DIMENSION_ORDER = ["none", "STR", "KUL", "SOZ", "IDE"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const grant = await requirePermission(request, "read", "case");
  const overview = await caseOverview(grant, params.caseId ?? "");
  const url = new URL(request.url);
  const canWrite = hasPermission(grant.user, "write", "case");
  const selectedCode = url.searchParams.get("indicator");
  const selected = canWrite && selectedCode ? overview.indicators.find((i) => i.definition.code === selectedCode)?.definition : undefined;
  // `from=last`: the form starts from the current observation (a stale value confirmed or changed in one step); an
  // unknown one is nothing to start from.
  const current = selected ? overview.indicators.find((i) => i.definition.code === selected.code)?.current : undefined;
  const last = current && current.state !== "unknown" ? current : null;
  const prefill = selected && last && url.searchParams.get("from") === "last" ? { state: last.state, value: formValueOf(selected, last.value), qualifiers: last.qualifiers, observedAt: last.observedAt } : null;
  const savedCode = url.searchParams.get("saved");
  const saved = savedCode ? overview.indicators.find((i) => i.definition.code === savedCode)?.definition : undefined;
  return json({
    case: { id: overview.case.id, archived: overview.case.status === "archived" },
    canWrite,
    saved: saved ? { labelDe: saved.labelDe, labelEn: saved.labelEn } : null,
    indicators: overview.indicators.map(({ definition: d, current }) => ({
      code: d.code,
      labelDe: d.labelDe,
      labelEn: d.labelEn,
      category: d.category,
      dimension: d.dimension ?? "none",
      type: d.type,
      stalenessMonths: d.stalenessMonths,
      current: current ? { state: current.state, value: current.value, qualifiers: current.qualifiers, observedAt: current.observedAt, source: current.source, verified: current.verified, stale: current.stale } : null,
    })),
    form: selected
      ? {
          code: selected.code,
          labelDe: selected.labelDe,
          labelEn: selected.labelEn,
          type: selected.type,
          allowedValues: selected.allowedValues,
          minValue: selected.minValue,
          maxValue: selected.maxValue,
          qualifiers: selected.qualifiers,
          canTakeLast: last !== null,
          prefill,
        }
      : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const grant = await requirePermission(request, "write", "case");
  const kase = await requireCaseInScope(grant, params.caseId ?? "");
  const form = await readForm(request, grant.user);
  const code = form.get("indicator");
  const def = typeof code === "string" ? await formIndicator(code) : null;
  const submission = parseWithZod(form, { schema: snapshotSchema(def) });
  if (submission.status !== "success" || !def) {
    return json({ result: submission.reply() }, { status: 400 });
  }
  await recordSnapshot(request, grant, kase.id, def, submission.value);
  const next = new URLSearchParams({ saved: def.code });
  // Back to the row just recorded (the table is long): the page scrolls there and focus lands on it.
  return redirect(`/cases/${kase.id}/snapshots?${next.toString()}#${rowId(def.code)}`);
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["indicators"][number];

const rowId = (code: string) => `indicator-${code}`;

export default function Snapshots() {
  const outlet = useOutlet();
  // The history of one indicator is a child route: it replaces the overview rather than stacking below it.
  if (outlet) return outlet;
  return <Overview />;
}

function Overview() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("indicators");
  const lang = i18n.language;
  const groups = groupRows(data.indicators);
  const counts = Object.fromEntries(DISPLAY_STATES.map((s) => [s, 0])) as Record<DisplayState, number>;
  for (const row of data.indicators) counts[displayState(row.current)]++;
  const base = `/cases/${data.case.id}/snapshots`;
  const location = useLocation();
  const savedCode = new URLSearchParams(location.search).get("saved");
  // After a save the focus goes to the saved row, not to the top of the page (keyboard users carry on from there).
  useEffect(() => {
    if (savedCode && location.hash === `#${rowId(savedCode)}`) document.getElementById(rowId(savedCode))?.focus();
  }, [savedCode, location.hash, location.key]);
  return (
    <section aria-labelledby="snapshots-title">
      <h2 id="snapshots-title">{t("snapshots.title")}</h2>
      {data.saved ? (
        <p className="notice" role="status">
          {t("snapshots.saved", { label: indicatorLabel(data.saved, lang) })}
        </p>
      ) : null}
      <p className="muted">{t("snapshots.intro")}</p>
      <p>{t("snapshots.summary", counts)}</p>
      {data.indicators.length === 0 ? <p>{t("snapshots.none")}</p> : null}
      {groups.map((group) => (
        <div className="table-wrap" key={group.key}>
          <table className="snapshot-table">
            <caption>
              {t("snapshots.caption", { group: `${t(`category.${group.category}`)} – ${t(`dimension.${group.dimension}`)}` })}
            </caption>
            <colgroup>
              <col className="c-indicator" />
              <col className="c-value" />
              <col className="c-date" />
              <col className="c-source" />
              <col className="c-verified" />
              <col className="c-status" />
              <col className="c-actions" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">{t("snapshots.indicator")}</th>
                <th scope="col">{t("snapshots.currentValue")}</th>
                <th scope="col">{t("snapshots.observedAt")}</th>
                <th scope="col">{t("snapshots.source")}</th>
                <th scope="col">{t("snapshots.verified")}</th>
                <th scope="col">{t("snapshots.status")}</th>
                <th scope="col">{t("snapshots.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {group.rows.map((row) => {
                const state = displayState(row.current);
                const label = indicatorLabel(row, lang);
                return (
                  <tr key={row.code} id={rowId(row.code)} tabIndex={row.code === savedCode ? -1 : undefined} className={row.code === savedCode ? "just-saved" : undefined}>
                    <th scope="row">
                      {label} <span className="muted code">{row.code}</span>
                    </th>
                    <td>{currentText(t, row, lang)}</td>
                    <td>{row.current ? formatDay(row.current.observedAt, lang) : ""}</td>
                    <td>{row.current ? t(`source.${row.current.source}`) : ""}</td>
                    <td>{row.current ? t(row.current.verified ? "common:yes" : "common:no") : ""}</td>
                    <td>
                      <span className={badgeClass(state)}>{t(`gap.${state}`)}</span>
                      {state === "stale" ? <span className="visually-hidden"> ({t("snapshots.staleAfter", { count: row.stalenessMonths })})</span> : null}
                    </td>
                    <td className="row-actions">
                      <Link to={`${base}/${encodeURIComponent(row.code)}`} aria-label={t("snapshots.historyOf", { label })}>
                        {t("snapshots.history")}
                      </Link>
                      {data.canWrite ? (
                        <Link to={`${base}?indicator=${encodeURIComponent(row.code)}${row.current?.stale && row.current.state !== "unknown" ? "&from=last" : ""}#record`} aria-label={t("snapshots.recordFor", { label })}>
                          {t("snapshots.record")}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
      {data.canWrite ? <RecordSection /> : <p className="muted">{t("form.readOnly")}</p>}
    </section>
  );
}

function currentText(t: ReturnType<typeof useTranslation>["t"], row: Row, lang: string): string {
  if (!row.current) return "";
  if (row.current.state !== "known") return t(`state.${row.current.state}`);
  const details = formatQualifiers(t, row.current.qualifiers);
  return `${formatValue(t, row, row.current.value, lang)}${details ? ` (${details})` : ""}`;
}

function groupRows(rows: Row[]) {
  const groups: { key: string; category: string; dimension: string; rows: Row[] }[] = [];
  for (const category of ["hard", "soft"]) {
    for (const dimension of DIMENSION_ORDER) {
      const inGroup = rows.filter((r) => r.category === category && r.dimension === dimension);
      if (inGroup.length) groups.push({ key: `${category}-${dimension}`, category, dimension, rows: inGroup });
    }
  }
  return groups;
}

function RecordSection() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("indicators");
  const lang = i18n.language;
  const location = useLocation();
  const section = useRef<HTMLElement>(null);
  const chosen = data.form?.code;
  // A "Record" link or the indicator choice leads here: keyboard and screen reader users land in the form too.
  useEffect(() => {
    if (chosen && location.hash === "#record") section.current?.focus();
  }, [chosen, location.hash, location.key]);
  return (
    <section id="record" ref={section} className="card record-card" aria-labelledby="record-title" tabIndex={-1}>
      <h3 id="record-title">{t("form.title")}</h3>
      {/* Late news of a person whose counselling ended may still be recorded, but knowingly. */}
      {data.case.archived ? (
        <p className="notice" role="note">
          {t("form.archivedCase")}
        </p>
      ) : null}
      <Form method="get" action="#record" preventScrollReset className="inline-fields choose-indicator">
        <div className="field">
          <label htmlFor="choose-indicator">{t("form.chooseIndicator")}</label>
          <div id="choose-indicator-hint" className="muted">
            {t("form.chooseHint")}
          </div>
          <select id="choose-indicator" name="indicator" defaultValue={data.form?.code ?? ""} aria-describedby="choose-indicator-hint" key={data.form?.code ?? ""}>
            <option value="">{t("form.placeholder")}</option>
            {["hard", "soft"].map((category) => (
              <optgroup key={category} label={t(`category.${category}`)}>
                {data.indicators
                  .filter((i) => i.category === category)
                  .map((i) => (
                    <option key={i.code} value={i.code}>
                      {indicatorLabel(i, lang)} ({i.code})
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("form.choose")}
        </button>
      </Form>
      {data.form ? <RecordForm key={`${data.form.code}-${data.form.prefill ? "last" : "new"}`} def={data.form} caseId={data.case.id} /> : null}
    </section>
  );
}

type FormDef = FormIndicator & { labelDe: string; labelEn: string; canTakeLast: boolean; prefill: { state: string; value?: string | string[]; qualifiers?: QualifierValues | null; observedAt: string } | null };

function RecordForm({ def, caseId }: { def: FormDef; caseId: string }) {
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("indicators");
  const lang = i18n.language;
  const schema = snapshotSchema(def);
  const [form, fields] = useForm({
    id: `snapshot-${def.code}`,
    lastResult: actionData?.result,
    // Taken over: state and value; the date, source and check are the new observation's own.
    defaultValue: { indicator: def.code, state: def.prefill?.state ?? "known", value: def.prefill?.value, qualifiers: def.prefill?.qualifiers ?? undefined, observedAt: todayInputValue() },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    // Checked when sent, then as typed: a check on leaving a field showed its message and moved the button away
    // from under the pointer, so the click that left the field was lost (and focus stayed on the button).
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [state, setState] = useState(String(fields.state.initialValue ?? "known"));
  const label = indicatorLabel(def, lang);
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t("snapshots.recordFor", { label })}>
      <CsrfInput />
      <input type="hidden" name="indicator" value={def.code} />
      <FormErrors errors={form.errors} id={form.errorId} />
      <p>
        <strong>{label}</strong> <span className="muted code">{def.code}</span>
      </p>
      <ErrorText id={fields.indicator.errorId} errors={fields.indicator.errors} />
      {def.prefill ? (
        <p className="notice" role="status">
          {t("form.takenOver", { date: formatDay(def.prefill.observedAt, lang) })}
        </p>
      ) : def.canTakeLast ? (
        <p>
          <Link to={`/cases/${caseId}/snapshots?indicator=${encodeURIComponent(def.code)}&from=last#record`} preventScrollReset>
            {t("form.takeLast")}
          </Link>
        </p>
      ) : null}
      <fieldset aria-describedby={fields.state.errors ? fields.state.errorId : undefined}>
        <legend>{t("form.state")}</legend>
        {getCollectionProps(fields.state, { type: "radio", options: [...SNAPSHOT_STATES] }).map((props) => (
          <label key={props.key} className="checkbox-row" htmlFor={props.id}>
            <input {...props} key={props.key} onChange={(e) => setState(e.currentTarget.value)} />
            {t(`state.${props.value}`)}
          </label>
        ))}
        <ErrorText id={fields.state.errorId} errors={fields.state.errors} />
      </fieldset>
      <ValueInput def={def} field={fields.value} disabled={state !== "known"} />
      <QualifierInputs def={def} errors={form.allErrors} disabled={state !== "known"} />
      <div className="field">
        <label htmlFor={fields.observedAt.id}>{t("form.observedAt")}</label>
        <div id={`${fields.observedAt.id}-hint`} className="muted">
          {t("form.observedAtHint")}
        </div>
        <input
          {...getInputProps(fields.observedAt, { type: "date", ariaDescribedBy: `${fields.observedAt.id}-hint` })}
          key={fields.observedAt.key}
          max={todayInputValue()}
        />
        <ErrorText id={fields.observedAt.errorId} errors={fields.observedAt.errors} />
      </div>
      <div className="field">
        <label htmlFor={fields.source.id}>{t("form.source")}</label>
        <select {...getSelectProps(fields.source)} key={fields.source.key}>
          <option value="">{t("form.placeholder")}</option>
          {SNAPSHOT_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`source.${s}`)}
            </option>
          ))}
        </select>
        <ErrorText id={fields.source.errorId} errors={fields.source.errors} />
      </div>
      <div className="field">
        <label className="checkbox-row" htmlFor={fields.verified.id}>
          <input {...getInputProps(fields.verified, { type: "checkbox" })} key={fields.verified.key} />
          {t("form.verified")}
        </label>
      </div>
      <button type="submit">{t("form.submit")}</button>
    </Form>
  );
}

function ValueInput({ def, field, disabled }: { def: FormDef; field: FieldMetadata<string | string[] | undefined>; disabled: boolean }) {
  const { t } = useTranslation("indicators");
  const allowed = allowedValuesOf(def) ?? [];
  const hintId = `${field.id}-hint`;
  const hint = isFreeCodeList(def)
    ? `${t("form.nationalityHint")} ${t("form.valueHint")}`
    : def.type === "number" && def.minValue != null && def.maxValue != null
      ? `${t("form.rangeHint", { min: def.minValue, max: def.maxValue })}. ${t("form.valueHint")}`
      : t("form.valueHint");
  const error = <ErrorText id={field.errorId} errors={field.errors} />;
  const describedBy = [hintId, field.errors ? field.errorId : null].filter(Boolean).join(" ");

  // Radio groups and checkbox lists: a fieldset whose legend names the value.
  const choices = (type: "radio" | "checkbox", options: string[], labelOf: (v: string) => string) => (
    <fieldset disabled={disabled} aria-describedby={describedBy}>
      <legend>{t("form.value")}</legend>
      <div id={hintId} className="muted">
        {hint}
      </div>
      <div className={options.length > 6 ? "choice-columns" : undefined}>
        {getCollectionProps(field, { type, options }).map((props) => (
          <label key={props.key} className="checkbox-row" htmlFor={props.id}>
            <input {...props} key={props.key} />
            {labelOf(props.value)}
          </label>
        ))}
      </div>
      {error}
    </fieldset>
  );

  if (def.type === "multi" && !isFreeCodeList(def)) return choices("checkbox", allowed, (v) => valueLabel(t, def.code, v));
  if (def.type === "boolean") return choices("radio", ["true", "false"], (v) => t(`boolean.${v}`));
  if (def.type === "likert5") return choices("radio", ["1", "2", "3", "4", "5"], (v) => t(`likert.${v}`));

  let control: React.ReactNode;
  if (def.type === "enum") {
    control = (
      <select {...getSelectProps(field as FieldMetadata<string>, { ariaDescribedBy: hintId })} key={field.key} disabled={disabled}>
        <option value="">{t("form.placeholder")}</option>
        {allowed.map((v) => (
          <option key={v} value={v}>
            {valueLabel(t, def.code, v)}
          </option>
        ))}
      </select>
    );
  } else {
    const type = def.type === "number" ? "number" : def.type === "date" ? "date" : "text";
    control = (
      <input
        {...getInputProps(field as FieldMetadata<string>, { type, ariaDescribedBy: hintId })}
        key={field.key}
        disabled={disabled}
        min={def.type === "number" ? (def.minValue ?? undefined) : undefined}
        max={def.type === "number" ? (def.maxValue ?? undefined) : undefined}
        step={def.type === "number" ? "any" : undefined}
        autoComplete="off"
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={field.id}>{t("form.value")}</label>
      <div id={hintId} className="muted">
        {hint}
      </div>
      {control}
      {error}
    </div>
  );
}

/** The definition's optional details of a known value (evidence of a German level, where a degree was gained). */
function QualifierInputs({ def, errors, disabled }: { def: FormDef; errors: Record<string, string[]>; disabled: boolean }) {
  const { t } = useTranslation("indicators");
  const qualifiers = qualifiersOf(def);
  if (qualifiers.length === 0) return null;
  const given = def.prefill?.qualifiers ?? {};
  const label = (key: string, value: string) => t(`qualifiers.${key}.values.${value}`, { defaultValue: value });
  return (
    <fieldset disabled={disabled} aria-describedby={`qualifiers-${def.code}-hint`}>
      <legend>{t("qualifiersLegend")}</legend>
      <div id={`qualifiers-${def.code}-hint`} className="muted">
        {t("qualifiersHint")}
      </div>
      {qualifiers.map((q) => {
        const name = `qualifiers.${q.key}`;
        const id = `snapshot-${def.code}-q-${q.key}`;
        const prefilled = given[q.key];
        const error = errors[name] ? <ErrorText id={`${id}-error`} errors={errors[name]} /> : null;
        if (q.multiple) {
          const chosen = new Set(Array.isArray(prefilled) ? prefilled : prefilled ? [prefilled] : []);
          return (
            <fieldset key={q.key} aria-describedby={error ? `${id}-error` : undefined}>
              <legend>{t(`qualifiers.${q.key}.label`)}</legend>
              {q.values.map((v) => (
                <label key={v} className="checkbox-row" htmlFor={`${id}-${v}`}>
                  <input type="checkbox" id={`${id}-${v}`} name={name} value={v} defaultChecked={chosen.has(v)} />
                  {label(q.key, v)}
                </label>
              ))}
              {error}
            </fieldset>
          );
        }
        return (
          <div className="field" key={q.key}>
            <label htmlFor={id}>{t(`qualifiers.${q.key}.label`)}</label>
            <select id={id} name={name} defaultValue={typeof prefilled === "string" ? prefilled : ""} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
              <option value="">{t("form.placeholder")}</option>
              {q.values.map((v) => (
                <option key={v} value={v}>
                  {label(q.key, v)}
                </option>
              ))}
            </select>
            {error}
          </div>
        );
      })}
    </fieldset>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
