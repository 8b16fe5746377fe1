// The user profile the assistant's prompt uses: who the user is, who matters, what recurs, how they
// write. No I/O here. It holds only what an assistant needs; sensitive categories never enter it.
import { z } from 'zod';

const Field = z.string().trim().max(200);
const Item = z.string().trim().min(1).max(200);

export const Profile = z.object({
  name: Field.optional(),
  role: Field.optional(),
  organisation: Field.optional(),
  /** Key contacts, "Name <address>" or a name with a note ("Dana Whitfield <dana@acme.example> (manager)"). */
  contacts: z.array(Item).max(20).optional(),
  /** Recurring commitments ("Weekly sync with the design team, Mondays"). */
  commitments: z.array(Item).max(20).optional(),
  /** How the user writes ("brief and informal; signs off with first name"). */
  tone: Field.optional(),
});
export type Profile = z.infer<typeof Profile>;

/** A correction from the user: any field; an empty string or list clears it. */
export const ProfilePatch = Profile.partial().strict();
export type ProfilePatch = z.infer<typeof ProfilePatch>;

// Health, immigration status, money beyond what one message is about, and the other special
// categories of personal data: an assistant needs none of them to triage mail or plan a day.
const SENSITIVE =
  /\b(health|medical|medicine|medication|prescriptions?|diagnos\w*|therap\w*|doctor|dr\.|clinic|hospital|patient|lab results?|pregnan\w*|disabilit\w*|mental|psychiatr\w*|covid|cancer|insurance claim|visa|immigration|green card|asylum|residence permit|work permit|passport|citizenship|deportation|salary|payroll|payslip|mortgage|loan|debt|credit score|bank account|iban|tax return|bankrupt\w*|religio\w*|church|mosque|synagogue|sexual\w*|political party|union member\w*|criminal record|court case)\b/i;

export function isSensitive(text: string): boolean {
  return SENSITIVE.test(text);
}

/** Drops every value that touches a sensitive category; applied to whatever built the profile, model or rules. */
export function withoutSensitive(profile: Profile): Profile {
  const out: Profile = {};
  for (const key of ['name', 'role', 'organisation', 'tone'] as const) {
    const v = profile[key];
    if (v && !isSensitive(v)) out[key] = v;
  }
  for (const key of ['contacts', 'commitments'] as const) {
    const v = profile[key]?.filter((x) => !isSensitive(x));
    if (v?.length) out[key] = v;
  }
  return out;
}

export function isEmptyProfile(p: Profile): boolean {
  return !p.name && !p.role && !p.organisation && !p.tone && !p.contacts?.length && !p.commitments?.length;
}

/** Plain lines for the prompt; undefined when nothing is known. */
export function renderProfile(p: Profile): string | undefined {
  if (isEmptyProfile(p)) return undefined;
  const lines = [
    p.name && `Name: ${p.name}`,
    p.role && `Role: ${p.role}`,
    p.organisation && `Organisation: ${p.organisation}`,
    p.contacts?.length && `Key contacts: ${p.contacts.join('; ')}`,
    p.commitments?.length && `Recurring commitments: ${p.commitments.join('; ')}`,
    p.tone && `Writing tone: ${p.tone}`,
  ];
  return lines.filter(Boolean).join('\n');
}
