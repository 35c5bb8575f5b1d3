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
  signOut(): Promise<void>;
}

export const AuthContext = createContext<AuthValue | null>(null);
