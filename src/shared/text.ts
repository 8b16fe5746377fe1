// Cutting text to a limit, for previews, prompts and validated fields: one rule everywhere, so a
// cut is always visible to the reader (the ellipsis) and the result never exceeds the limit.

/** `text` if it fits in `max` characters, else its start and an ellipsis, `max` characters in all. */
export function clip(text: string, max: number, options: { trimEnd?: boolean } = {}): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  return `${options.trimEnd ? head.trimEnd() : head}…`;
}
