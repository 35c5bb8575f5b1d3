// The email + password form shared by sign-in and sign-up; validates before it calls the server.
// A server error about one field (address taken, weak password) is shown on that field and
// cleared as soon as that field changes, so a message never outlives its cause.
import { useId, useState, type FormEvent } from 'react';
import { signInSchema, signUpSchema, type Credentials } from './credentialsSchema.ts';
import { authErrorField, fieldMessage } from './authErrorField.ts';
import type { AppError } from '../lib/appError.ts';
import { firstIssuePerField } from '../lib/fieldErrors.ts';

interface Props {
  submitLabel: string;
  busyLabel: string;
  passwordAutocomplete: 'current-password' | 'new-password';
  /** Resolves with the server's error, if any: one about a field is shown on that field. */
  onSubmit(credentials: Credentials): Promise<AppError | null | void>;
  /** Called on every edit, so the page can drop a form-level message about the old values. */
  onEdit?: () => void;
}

type FieldErrors = Partial<Record<keyof Credentials, string>>;

export function AuthForm({ submitLabel, busyLabel, passwordAutocomplete, onSubmit, onEdit }: Props) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  function edit(field: keyof Credentials, value: string) {
    if (field === 'email') setEmail(value);
    else setPassword(value);
    // Only this field's message is about the old value; the other field's still holds.
    setFieldErrors((errors) => (errors[field] ? { ...errors, [field]: undefined } : errors));
    onEdit?.();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const schema = passwordAutocomplete === 'new-password' ? signUpSchema : signInSchema;
    const parsed = schema.safeParse({ email, password });
    if (!parsed.success) {
      setFieldErrors(firstIssuePerField(parsed.error, ['email', 'password']));
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const failure = await onSubmit(parsed.data);
      const field = failure ? authErrorField(failure) : null;
      if (failure && field) setFieldErrors({ [field]: fieldMessage(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`} name="email" type="email" autoComplete="email" value={email}
          onChange={(e) => edit('email', e.target.value)} aria-invalid={Boolean(fieldErrors.email)}
          aria-describedby={fieldErrors.email ? `${id}-email-error` : undefined}
        />
        {fieldErrors.email && <p className="field__error" id={`${id}-email-error`}>{fieldErrors.email}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`} name="password" type="password" autoComplete={passwordAutocomplete} value={password}
          onChange={(e) => edit('password', e.target.value)} aria-invalid={Boolean(fieldErrors.password)}
          aria-describedby={fieldErrors.password ? `${id}-password-error` : undefined}
        />
        {fieldErrors.password && <p className="field__error" id={`${id}-password-error`}>{fieldErrors.password}</p>}
      </div>
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
