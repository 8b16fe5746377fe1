// Timestamps in the store are ISO 8601 UTC text on both engines, so they sort and compare as text.
export function nowIso(): string {
  return new Date().toISOString();
}
