// The "new password" form of ResetPasswordPage and ChoosePasswordPage: checks the server's rule
// first, then calls updatePassword (PUT /user); the page says what happens next.
import { useId, useState, type FormEvent } from 'react';
import { useAuth } from './useAuth.ts';
import { newPasswordSchema, MIN_PASSWORD_LENGTH } from './credentialsSchema.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

interface Props {
  /** The form's accessible name. */
  formLabel: string;
  fieldLabel: string;
  submitLabel: string;
  /** Called once the password is saved. */
  onSaved(): void;
}

export function NewPasswordForm({ formLabel, fieldLabel, submitLabel, onSaved }: Props) {
  const { updatePassword } = useAuth();
  const id = useId();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const parsed = newPasswordSchema.safeParse(password);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'Choose a new password.');
      return;
    }
    setFieldError(null);
    setBusy(true);
    const failure = await updatePassword(parsed.data);
    setBusy(false);
    setError(failure);
    if (!failure) onSaved();
  }

  return (
    <>
      {error && <ErrorMessage error={{ ...error, action: undefined }} />}
      <form className="form" onSubmit={handleSubmit} noValidate aria-label={formLabel}>
        <div className="field">
          <label htmlFor={`${id}-password`}>{fieldLabel}</label>
          <input
            id={`${id}-password`} name="password" type="password" autoComplete="new-password" value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? `${id}-password-error` : `${id}-password-hint`}
          />
          {fieldError
            ? <p className="field__error" id={`${id}-password-error`}>{fieldError}</p>
            : <p className="field__hint muted" id={`${id}-password-hint`}>At least {MIN_PASSWORD_LENGTH} characters.</p>}
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
      </form>
    </>
  );
}
