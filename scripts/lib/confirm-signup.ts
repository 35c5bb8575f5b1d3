// How tests and tools get a signed-in user from a stack that confirms e-mail addresses: read the
// confirmation link from the local inbox and follow it like a mail client would.
import type { Session, SupabaseClient, User } from '@supabase/supabase-js';

export interface LinkTokens {
  access_token: string;
  refresh_token: string;
}

interface InboxMail { to: string; subject: string; links: string[] }

/** The newest link mailed to `email` by the API server at `apiUrl` (waits briefly for it). */
export async function latestMailLink(apiUrl: string, email: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${apiUrl}/inbox/api/messages?to=${encodeURIComponent(email)}`);
    if (!response.ok) throw new Error(`inbox answered ${response.status}`);
    const { messages } = (await response.json()) as { messages: InboxMail[] };
    const link = messages[0]?.links[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no mail to ${email} in the local inbox`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Follows a confirmation link without following its redirect: the session in the Location fragment. */
export async function followConfirmationLink(link: string): Promise<LinkTokens> {
  const response = await fetch(link, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`confirmation link answered ${response.status}`);
  const fragment = new URLSearchParams(new URL(location).hash.slice(1));
  const access = fragment.get('access_token');
  const refresh = fragment.get('refresh_token');
  if (!access || !refresh) throw new Error(`confirmation failed: ${fragment.get('error_description') ?? location}`);
  return { access_token: access, refresh_token: refresh };
}

/** Confirms `email` through its newest mailed link; the session that link opens. */
export async function confirmThroughInbox(apiUrl: string, email: string): Promise<LinkTokens> {
  return followConfirmationLink(await latestMailLink(apiUrl, email));
}

/**
 * Signs up through supabase-js as the SPA does and returns the session: the address first (a
 * mailed link, followed here; the client then holds that session), the password after it, since
 * confirming an address discards any password set before (users migration, "Confirmation"). At
 * once when the stack autoconfirms: the password given at sign-up then stays.
 */
export async function signUpAndConfirm(client: Pick<SupabaseClient, 'auth'>, apiUrl: string, email: string, password: string): Promise<{ user: User; session: Session }> {
  const { data, error } = await client.auth.signUp({ email, password });
  if (error) throw error;
  if (data.user && data.session) return { user: data.user, session: data.session };
  const tokens = await confirmThroughInbox(apiUrl, email);
  const confirmed = await client.auth.setSession(tokens);
  if (confirmed.error || !confirmed.data.session || !confirmed.data.user) throw new Error(`confirming ${email} failed: ${confirmed.error?.message ?? 'no session'}`);
  const chosen = await client.auth.updateUser({ password });
  // A database without the product's migrations (the stand-in's own fixture schema) keeps the
  // password through confirmation, and GoTrue refuses to set the same one again: nothing to choose.
  if (chosen.error?.code === 'same_password') return { user: confirmed.data.user, session: confirmed.data.session };
  if (chosen.error) throw new Error(`choosing the password of ${email} failed: ${chosen.error.message}`);
  return { user: chosen.data.user, session: confirmed.data.session };
}
