// Text helpers shared by the rules' reasons, summaries and warnings.
import { clip as clipText } from '../shared/text';

/** The rules' cuts drop trailing space before the ellipsis. */
export const clip = (s: string, max: number): string => clipText(s, max, { trimEnd: true });

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
