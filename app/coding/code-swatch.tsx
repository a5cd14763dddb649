// A code's colour as a small square beside its name (decorative: the name says which code it is).
export function CodeSwatch({ colour }: { colour: string }) {
  return <span className="code-swatch" style={{ backgroundColor: colour }} aria-hidden="true" />;
}
