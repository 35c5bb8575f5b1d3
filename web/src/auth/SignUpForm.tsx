// The sign-up form: name and e-mail address, no password (it is chosen after the address is
// proven, on ChoosePasswordPage). Validates before it calls the server; a server error about the
// address is shown on that field and cleared as soon as it changes.
import { useId, useState, type FormEvent } from 'react';
import { signUpDetailsSchema, type SignUpDetails } from './credentialsSchema.ts';
import { authErrorField, fieldMessage } from './authErrorField.ts';
import type { AppError } from '../lib/appError.ts';
import { firstIssuePerField } from '../lib/fieldErrors.ts';

interface Props {
  /** Resolves with the server's error, if any: one about the address is shown on that field. */
  onSubmit(details: SignUpDetails): Promise<AppError | null>;
  onEdit?: () => void;
}

type FieldErrors = Partial<Record<keyof SignUpDetails, string>>;

export function SignUpForm({ onSubmit, onEdit }: Props) {
  const id = useId();
  const [values, setValues] = useState<SignUpDetails>({ name: '', email: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  function edit(field: keyof SignUpDetails, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setFieldErrors((errors) => (errors[field] ? { ...errors, [field]: undefined } : errors));
    onEdit?.();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const parsed = signUpDetailsSchema.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(firstIssuePerField(parsed.error, ['email', 'name']));
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const failure = await onSubmit(parsed.data);
      if (failure && authErrorField(failure) === 'email') setFieldErrors({ email: fieldMessage(failure) });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof SignUpDetails, label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`} name={name} type={type} autoComplete={autoComplete} value={values[name]}
        onChange={(e) => edit(name, e.target.value)} aria-invalid={Boolean(fieldErrors[name])}
        aria-describedby={fieldErrors[name] ? `${id}-${name}-error` : undefined}
      />
      {fieldErrors[name] && <p className="field__error" id={`${id}-${name}-error`}>{fieldErrors[name]}</p>}
    </div>
  );

  return (
    <form className="form" onSubmit={handleSubmit} noValidate aria-label="Create your account">
      {field('name', 'Your name', 'text', 'name')}
      {field('email', 'Email', 'email', 'email')}
      <p className="field__hint muted">We e-mail you a link to confirm the address; you choose your password after it.</p>
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? 'Sending the link…' : 'Create account'}
      </button>
    </form>
  );
}
