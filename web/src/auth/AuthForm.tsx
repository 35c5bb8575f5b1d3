// The email + password form shared by sign-in and sign-up; validates before it calls the server.
import { useId, useState, type FormEvent } from 'react';
import { signInSchema, signUpSchema, type Credentials } from './credentialsSchema.ts';

interface Props {
  submitLabel: string;
  busyLabel: string;
  passwordAutocomplete: 'current-password' | 'new-password';
  onSubmit(credentials: Credentials): Promise<void>;
}

type FieldErrors = Partial<Record<keyof Credentials, string>>;

export function AuthForm({ submitLabel, busyLabel, passwordAutocomplete, onSubmit }: Props) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const schema = passwordAutocomplete === 'new-password' ? signUpSchema : signInSchema;
    const parsed = schema.safeParse({ email, password });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'email' || field === 'password') && !errors[field]) errors[field] = issue.message;
      }
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      await onSubmit(parsed.data);
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
          onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(fieldErrors.email)}
          aria-describedby={fieldErrors.email ? `${id}-email-error` : undefined}
        />
        {fieldErrors.email && <p className="field__error" id={`${id}-email-error`}>{fieldErrors.email}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`} name="password" type="password" autoComplete={passwordAutocomplete} value={password}
          onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(fieldErrors.password)}
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
