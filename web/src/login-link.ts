// The one-time login link (`/#login=<code>`, printed by `npm start`). The code sits in the URL
// fragment so it never reaches a server log; it is removed from the address bar at once, so it
// stays out of history and bookmarks.
const PARAM = /(?:^#|[#&])login=([A-Za-z0-9_-]+)/;

/** Takes the code out of the current URL, if there is one. */
export function takeLoginCode(): string | undefined {
  const code = PARAM.exec(location.hash)?.[1];
  if (code) history.replaceState(null, '', `${location.pathname}${location.search}#/chat`);
  return code;
}

/** What was pasted into the sign-in form: a login link (its code) or the API token itself. */
export function credentialFrom(input: string): { code: string } | { token: string } {
  const text = input.trim();
  const code = text.includes('#') ? PARAM.exec(text.slice(text.indexOf('#')))?.[1] : undefined;
  return code ? { code } : { token: text };
}
