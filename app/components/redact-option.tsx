// The "replace identifying details" checkbox of the exports that leave the system (docs/decisions/0019), with
// its hint, as the transcript and segments pages show it (the exchange page has a form field instead).
export function RedactOption({ id, checked, onChange, label, hint }: { id: string; checked: boolean; onChange: (checked: boolean) => void; label: string; hint: string }) {
  return (
    <>
      <label className="checkbox-row" htmlFor={id}>
        <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />
        {label}
      </label>
      <div id={`${id}-hint`} className="muted">
        {hint}
      </div>
    </>
  );
}
