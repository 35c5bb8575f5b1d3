// A button for a change that cannot be undone: the first click asks, the second does it.
import { useState } from 'react';

interface Props {
  label: string;
  confirmLabel: string;
  question: string;
  busy?: boolean;
  /** 'danger' for removing and deleting: the first button already looks like what it does. */
  tone?: 'secondary' | 'danger';
  onConfirm(): void;
}

export function ConfirmButton({ label, confirmLabel, question, busy = false, tone = 'secondary', onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" className={`button button--${tone}`} disabled={busy} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span className="team-confirm" role="group" aria-label={question}>
      <span className="team-confirm__question">{question}</span>
      <button type="button" className="button button--danger" disabled={busy} onClick={() => { setAsking(false); onConfirm(); }}>{confirmLabel}</button>
      <button type="button" className="button button--ghost" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}
