// Roving tabindex (WAI-ARIA Authoring Practices, "Keyboard Navigation Inside Components"): a group of controls is
// one Tab stop, the arrow keys move between its members. Plain DOM, so React toolbars and ProseMirror node views
// (the transcript's speaker buttons and coding stripes) share it.

export type RovingOrientation = "horizontal" | "vertical" | "both";

const PREVIOUS: Record<RovingOrientation, string[]> = { horizontal: ["ArrowLeft"], vertical: ["ArrowUp"], both: ["ArrowLeft", "ArrowUp"] };
const NEXT: Record<RovingOrientation, string[]> = { horizontal: ["ArrowRight"], vertical: ["ArrowDown"], both: ["ArrowRight", "ArrowDown"] };

/**
 * The member a key press moves to from `current`, or null when the key is not one of the group's (or moves nowhere).
 * Keys with a modifier are left alone: Alt+arrows are the player's keys.
 */
export function rovingTarget(
  items: readonly HTMLElement[],
  current: HTMLElement,
  event: Pick<KeyboardEvent, "key" | "altKey" | "ctrlKey" | "metaKey" | "shiftKey">,
  { orientation, wrap }: { orientation: RovingOrientation; wrap: boolean },
): HTMLElement | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const index = items.indexOf(current);
  if (index < 0 || !items.length) return null;
  const last = items.length - 1;
  let next: number | null = null;
  if (event.key === "Home") next = 0;
  else if (event.key === "End") next = last;
  else if (PREVIOUS[orientation].includes(event.key)) next = index > 0 ? index - 1 : wrap ? last : index;
  else if (NEXT[orientation].includes(event.key)) next = index < last ? index + 1 : wrap ? 0 : index;
  return next === null ? null : items[next]!;
}

/** `stop` becomes the group's only Tab stop. */
export function setTabStop(items: Iterable<HTMLElement>, stop: HTMLElement | null) {
  for (const item of items) {
    const value = item === stop ? 0 : -1;
    if (item.tabIndex !== value) item.tabIndex = value;
  }
}
