import { createContext } from 'react';
import type { Session, User } from '@supabase/supabase-js';
import type { AppError } from '../lib/appError.ts';

export interface SignUpResult {
  error: AppError | null;
  /** True when the server wants the email confirmed before the first sign-in. */
  needsConfirmation: boolean;
}

export interface AuthValue {
  session: Session | null;
  user: User | null;
  /** True until the stored session (if any) has been read, so guards don't redirect too early. */
  loading: boolean;
  /** True when the session ended without the user signing out (refresh failed, token revoked). */
  sessionExpired: boolean;
  signIn(email: string, password: string): Promise<AppError | null>;
  signUp(email: string, password: string): Promise<SignUpResult>;
  /** Mails a new confirmation link to an address that signed up but never confirmed. */
  resendConfirmation(email: string): Promise<AppError | null>;
  /** Mails a link to set a new password (answers the same whether or not the address has an account). */
  requestPasswordReset(email: string): Promise<AppError | null>;
  /** Sets a new password for the signed-in user (after following a recovery link). */
  updatePassword(password: string): Promise<AppError | null>;
  /** Why the e-mail link that opened the app did not work (expired, already used), if it didn't. */
  linkError: AppError | null;
  signOut(): Promise<void>;
}

export const AuthContext = createContext<AuthValue | null>(null);
