// Whether a feed item is what its ID says it is. The ID's kind (mail:, webhook:<source>:, ...) is
// what dedupe and notification IDs rest on, so an item stored or claimed under another kind's ID
// is refused rather than distilled: that is how one kind of item would pre-empt another.
import { type ContextIdKind, MAIL_SOURCES, type ParsedContextId, parseContextItemId } from './ids';

/** The context store kind each ID kind must have; plugins choose their own. */
const STORED_KIND: Record<ContextIdKind, string | undefined> = { mail: 'email', webhook: 'webhook', calendar: 'event', plugin: undefined };

function sourceFits(id: ParsedContextId, source: string): boolean {
  switch (id.kind) {
    case 'mail':
      return (MAIL_SOURCES as readonly string[]).includes(source);
    case 'webhook':
      return source === `webhook:${id.scope}`;
    case 'calendar':
      return source === 'calendar';
    case 'plugin':
      return source === `plugin:${id.scope}`;
  }
}

const unknownKind = (itemId: string) => `feed item ID "${itemId}" names no known kind (mail:, webhook:<source>:, calendar:, plugin:<name>:)`;

/** Why the source a feed workflow was started with cannot be this item's, or undefined when it can. */
export function claimedSourceMismatch(itemId: string, claimedSource: string): string | undefined {
  const id = parseContextItemId(itemId);
  if (!id) return unknownKind(itemId);
  return sourceFits(id, claimedSource) ? undefined : `feed item "${itemId}" is a ${id.kind} item; it cannot come from source "${claimedSource}"`;
}

/** Why the stored item does not match its ID's kind and source, or undefined when it does. */
export function storedItemMismatch(itemId: string, item: { kind: string; source: string }): string | undefined {
  const id = parseContextItemId(itemId);
  if (!id) return unknownKind(itemId);
  const kind = STORED_KIND[id.kind];
  if (kind && item.kind !== kind) return `feed item "${itemId}" is stored as kind "${item.kind}", but its ID says ${id.kind}`;
  if (!sourceFits(id, item.source)) return `feed item "${itemId}" is stored from source "${item.source}", which its ID does not allow`;
  return undefined;
}
