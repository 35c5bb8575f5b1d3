// "Send the link again" after sign-up, or for an address that signed up but has not confirmed, with what happened.
import { useState } from 'react';
import { useAuth } from './useAuth.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

type State = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'failed'; error: AppError };

interface Props {
  email: string;
  /** How to send it again; by default a new confirmation link (POST /resend, type signup). */
  resend?: () => Promise<AppError | null>;
}

export function ResendConfirmation({ email, resend: send }: Props) {
  const { resendConfirmation } = useAuth();
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function resend() {
    setState({ kind: 'sending' });
    const error = await (send ? send() : resendConfirmation(email));
    setState(error ? { kind: 'failed', error } : { kind: 'sent' });
  }

  return (
    <div className="resend">
      <button type="button" className="button button--secondary button--block" onClick={resend} disabled={state.kind === 'sending'}>
        {state.kind === 'sending' ? 'Sending…' : 'Send the link again'}
      </button>
      {state.kind === 'sent' && <p role="status" className="resend__status">We sent a new link to <strong>{email}</strong>. Older links no longer work.</p>}
      {state.kind === 'failed' && <ErrorMessage error={state.error} tone={state.error.code === 'email_rate_limited' ? 'notice' : 'error'} />}
    </div>
  );
}
