import { createContext } from 'react';
import type { Session, User } from '@supabase/supabase-js';
import type { AppError } from '../lib/appError.ts';

export interface AuthValue {
  session: Session | null;
  user: User | null;
  /** True until the stored session (if any) has been read, so guards don't redirect too early. */
  loading: boolean;
  /** True when the session ended without the user signing out (refresh failed, token revoked). */
  sessionExpired: boolean;
  signIn(email: string, password: string): Promise<AppError | null>;
  /**
   * Mails the sign-up link (signInWithOtp, creating the account if the address is new). An
   * address that already has an account gets a link that signs in; the answer is the same, so
   * nobody learns which addresses have accounts. Resolves with the error, if any.
   */
  signUp(email: string, name: string): Promise<AppError | null>;
  /**
   * True when the signed-in user has no password yet (public.users.has_password: signed up by
   * link, or a password set before confirming was discarded): they choose one before going on.
   * null while it is being read.
   */
  needsPassword: boolean | null;
  /** Mails a new confirmation link to an address that signed up but never confirmed. */
  resendConfirmation(email: string): Promise<AppError | null>;
  /** Mails a link to set a new password (answers the same whether or not the address has an account). */
  requestPasswordReset(email: string): Promise<AppError | null>;
  /** Sets a new password for the signed-in user (after a recovery link, or the first one after sign-up). */
  updatePassword(password: string): Promise<AppError | null>;
  /** Why the e-mail link that opened the app did not work (expired, already used), if it didn't. */
  linkError: AppError | null;
  signOut(): Promise<void>;
}

export const AuthContext = createContext<AuthValue | null>(null);
