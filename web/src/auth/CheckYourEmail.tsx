// Shown after sign-up: what to do next, in plain words, true whether or not the address already
// has an account. The server answers both alike (hosted GoTrue hides which addresses exist), so
// this page says what each case gets: a new address a link that confirms it, an existing account
// a link that signs in (signInWithOtp sends one), or the usual sign-in and password reset.
import { Link } from 'react-router-dom';
import { ResendConfirmation } from './ResendConfirmation.tsx';
import { FORGOT_PASSWORD_PATH } from './recoveryPaths.ts';
import type { AppError } from '../lib/appError.ts';

interface Props {
  email: string;
  /** Sends the link again (the same sign-up call). */
  resend(): Promise<AppError | null>;
}

export function CheckYourEmail({ email, resend }: Props) {
  return (
    <div className="check-email" data-testid="check-your-email">
      <div className="alert alert--info" role="status">
        <p className="alert__title">Check your email</p>
        <p className="alert__message">
          We sent a link to <strong>{email}</strong>. If the address is new, the link confirms it and
          signs you in; then you choose your password. If you already have an account with this
          address, the link signs you in. The link works once, for an hour.
        </p>
      </div>
      <p className="check-email__hint">
        Already have an account? You can also <Link to="/sign-in">sign in with your password</Link> or{' '}
        <Link to={FORGOT_PASSWORD_PATH}>reset it</Link>. No email after a minute? Check your spam folder
        and the spelling of the address, or send it again.
      </p>
      <ResendConfirmation email={email} resend={resend} />
    </div>
  );
}
