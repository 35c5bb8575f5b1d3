// "Send the link again" for an address that signed up but has not confirmed, with what happened.
import { useState } from 'react';
import { useAuth } from './useAuth.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

type State = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'failed'; error: AppError };

export function ResendConfirmation({ email }: { email: string }) {
  const { resendConfirmation } = useAuth();
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function resend() {
    setState({ kind: 'sending' });
    const error = await resendConfirmation(email);
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
