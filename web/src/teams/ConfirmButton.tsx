// A button for a change that cannot be undone: the first click asks, the second does it.
import { useState } from 'react';

interface Props {
  label: string;
  confirmLabel: string;
  question: string;
  busy?: boolean;
  onConfirm(): void;
}

export function ConfirmButton({ label, confirmLabel, question, busy = false, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" className="button button--secondary" disabled={busy} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span className="team-inline-form" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="button button--danger" disabled={busy} onClick={() => { setAsking(false); onConfirm(); }}>{confirmLabel}</button>
      <button type="button" className="button button--ghost" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}
