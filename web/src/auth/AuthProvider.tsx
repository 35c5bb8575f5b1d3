// Owns the auth session. supabase-js persists it in localStorage, so a reload restores it.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Session } from '@supabase/supabase-js';
import { useSupabase } from '../lib/useSupabase.ts';
import { toAppError } from '../lib/appError.ts';
import { AuthContext, type AuthValue } from './AuthContext.ts';
import { clearHash, linkErrorFromHash } from './linkError.ts';
import { RESET_PASSWORD_PATH } from './recoveryPaths.ts';

/** E-mail links bring the browser back to this app's own origin (allowed by site_url's host). */
const emailRedirectTo = (): string => `${window.location.origin}/`;

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useSupabase();
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const [sessionExpired, setSessionExpired] = useState(false);
  const [linkError, setLinkError] = useState(() => linkErrorFromHash(window.location.hash));
  const signingOut = useRef(false);
  const [passwordStatus, setPasswordStatus] = useState<{ userId: string; hasPassword: boolean } | null>(null);
  const userId = session?.user.id;

  useEffect(() => {
    if (linkError) clearHash();
  }, [linkError]);

  useEffect(() => {
    let active = true;
    client.auth.getSession().then(({ data }) => {
      if (!active) return;
      setSession(data.session);
      setLoading(false);
    });
    const { data } = client.auth.onAuthStateChange((event, next) => {
      if (!active) return;
      // A SIGNED_OUT the user didn't ask for means the refresh token stopped working.
      if (event === 'SIGNED_OUT' && !signingOut.current) setSessionExpired(true);
      if (event === 'SIGNED_IN') {
        setSessionExpired(false);
        setLinkError(null);
      }
      setSession(next);
      setLoading(false);
    });
    return () => {
      active = false;
      data.subscription.unsubscribe();
    };
  }, [client]);

  // Whether this user has a password (public.users.has_password, kept by the database), read once
  // per signed-in user: a user who signed up by link is asked to choose one.
  useEffect(() => {
    if (!userId) return;
    let active = true;
    // No retries: pages wait for this answer (RequireAuth), and a network that is down must
    // fail it at once so the pages can say so themselves.
    client.from('users').select('has_password').eq('id', userId).retry(false).maybeSingle().then(({ data, error }) => {
      if (!active) return;
      // Unknown (network down, no row): never lock the user out of the app over it.
      setPasswordStatus({ userId, hasPassword: error || !data ? true : data.has_password });
    });
    return () => {
      active = false;
    };
  }, [client, userId]);
  const needsPassword = !userId ? false : passwordStatus?.userId === userId ? !passwordStatus.hasPassword : null;

  const signIn = useCallback(async (email: string, password: string) => {
    const { error } = await client.auth.signInWithPassword({ email, password });
    return error ? toAppError(error) : null;
  }, [client]);

  // The address first, the password after (ChoosePasswordPage): a password typed before the
  // address is proven could be a stranger's, and the database discards it at confirmation.
  const signUp = useCallback(async (email: string, name: string) => {
    const { error } = await client.auth.signInWithOtp({
      email,
      options: { shouldCreateUser: true, emailRedirectTo: emailRedirectTo(), data: name ? { name } : undefined },
    });
    return error ? toAppError(error) : null;
  }, [client]);

  const resendConfirmation = useCallback(async (email: string) => {
    const { error } = await client.auth.resend({ type: 'signup', email, options: { emailRedirectTo: emailRedirectTo() } });
    return error ? toAppError(error) : null;
  }, [client]);

  const requestPasswordReset = useCallback(async (email: string) => {
    const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: `${window.location.origin}${RESET_PASSWORD_PATH}` });
    return error ? toAppError(error) : null;
  }, [client]);

  const updatePassword = useCallback(async (password: string) => {
    const { data, error } = await client.auth.updateUser({ password });
    if (error) return toAppError(error);
    setPasswordStatus({ userId: data.user.id, hasPassword: true });
    return null;
  }, [client]);

  const signOut = useCallback(async () => {
    signingOut.current = true;
    try {
      // scope 'local' ends this browser's session even when the server can't be reached.
      await client.auth.signOut({ scope: 'local' });
    } finally {
      signingOut.current = false;
    }
  }, [client]);

  const value = useMemo<AuthValue>(() => ({
    session, user: session?.user ?? null, loading, sessionExpired, signIn, signUp, needsPassword, resendConfirmation,
    requestPasswordReset, updatePassword, linkError, signOut,
  }), [session, loading, sessionExpired, signIn, signUp, needsPassword, resendConfirmation, requestPasswordReset, updatePassword, linkError, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
