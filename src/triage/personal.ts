// Family, school and health mail that needs the user today: a school nurse asking for a call, a
// clinic moving an appointment to this afternoon. Such mail often comes from domains and people the
// rules know nothing about, so the signal is what it is about, what it asks and how soon.
export interface PersonalCheck {
  /** About the user's family or health, from a person, and asks something of the user. */
  needsUser: boolean;
  /** ...and it is bound to today. */
  today: boolean;
  /** What it is about, for the reason line. */
  topic?: string;
}

const TOPICS: [RegExp, string][] = [
  [/\b(school|teacher|principal|head ?teacher|class(room)?|nursery|daycare|day care|kindergarten|pre-?school|after-?school|field trip|pick-?up)\b/i, 'your child’s school or care'],
  [/\b(your|my|our) (son|daughter|child|kid|kids|children|mother|father|mom|mum|dad|wife|husband|partner|grandmother|grandfather|grandma|grandpa|baby)\b/i, 'your family'],
  [/\b(doctor|dr\.|gp|physician|nurse|clinic|hospital|surgery|dentist|dental|paediatric|pediatric|pharmacy|prescription|test results?|lab results?|scan|biopsy|a&e|emergency room|ambulance|fever|injur(y|ed)|fell|accident|allergic|medication)\b/i, 'a health matter'],
];
const ASKS_USER =
  /\b(call (us|me|the office|back|her|him)|give (us|me) a call|ring (us|me)|pick (him|her|them|.{1,20}) up|collect (him|her|them)|come (in|to|and|by|over)|(please|kindly) (reply|confirm|contact|call|let us know|get in touch)|need (you|to speak|to talk)|reach you|get hold of you|can you|could you|are you able|sign|authori[sz]e|consent)\b/i;
const TODAY = /\b(today|this (morning|afternoon|evening)|tonight|right now|now|asap|as soon as (possible|you can)|right away|immediately|within the hour|urgent(ly)?|emergency|before \d{1,2}(:\d\d)?\s*(am|pm)?|by \d{1,2}(:\d\d)?\s*(am|pm))\b/i;

/** `request`: the body asks the reader for something (features' REQUEST). */
export function personalCheck(subject: string, head: string, request: boolean): PersonalCheck {
  const text = `${subject}\n${head}`;
  const topic = TOPICS.find(([re]) => re.test(text))?.[1];
  if (!topic) return { needsUser: false, today: false };
  const needsUser = ASKS_USER.test(text) || request;
  return { needsUser, today: needsUser && TODAY.test(text), topic };
}
