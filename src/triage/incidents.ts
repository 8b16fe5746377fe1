// Production incidents that need the user: an outage thread or a pager alert that names them, is
// assigned to them, or asks them to join. An incident that does not involve the user (a status
// page digest, a resolved notice, a post-mortem invitation) stays ordinary mail.
export interface IncidentCheck {
  incident: boolean;
  /** The incident asks for the user: by name, by assignment, or by asking them to act. */
  needsUser: boolean;
  /** Quoted in the reason: how it asked for them. */
  how?: string;
}

const INCIDENT =
  /\b(incident|outage|sev ?-?[012]\b|p[01]\b|production (is )?(down|broken)|prod (is )?down|is down|site down|degraded|data loss|paged?|paging|pager|on[- ]?call|war ?room|bridge call|escalat(ed|ion)|customers? (can'?t|cannot|are unable))/i;
const OVER = /\b(resolved|post-?mortem|retro(spective)?|root cause analysis|rca|all clear|recovered)\b/i;
const ASKS_YOU =
  /\b(assigned to you|you('re| are| have been) (paged|on[- ]?call|the on[- ]?call|needed)|need(s)? you|can you (join|jump|hop|take|look|check|help)|could you (join|jump|hop|take|look|check|help)|please (join|jump on|hop on|acknowledge|ack|take a look)|join the (bridge|call|war ?room|channel)|acknowledge (this|the) (incident|page|alert))\b/i;

export function incidentCheck(subject: string, head: string, userNames: readonly string[]): IncidentCheck {
  const text = `${subject}\n${head}`;
  if (!INCIDENT.test(text) || OVER.test(subject)) return { incident: INCIDENT.test(text), needsUser: false };
  const asked = ASKS_YOU.exec(text)?.[0];
  if (asked) return { incident: true, needsUser: true, how: `"${asked}"` };
  const named = userNames.find((n) => new RegExp(`(^|[^\\p{L}])@?${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu').test(text));
  if (named) return { incident: true, needsUser: true, how: `it names you (${named})` };
  return { incident: true, needsUser: false };
}
