// Shown after sign-up when the project confirms e-mail addresses: what to do next, in plain words.
import { ResendConfirmation } from './ResendConfirmation.tsx';

export function CheckYourEmail({ email }: { email: string }) {
  return (
    <div className="check-email" data-testid="check-your-email">
      <div className="alert alert--info" role="status">
        <p className="alert__title">Check your email</p>
        <p className="alert__message">
          We sent a link to <strong>{email}</strong>. Open it to confirm your address;
          you will be signed in straight away. The link works once, for an hour.
        </p>
      </div>
      <p className="check-email__hint">No email after a minute? Check your spam folder, or send it again.</p>
      <ResendConfirmation email={email} />
    </div>
  );
}
