// "Auto top-up" on the billing page: when available credits fall below N, buy pack P with the
// saved card, at most so much a month. Everyone in the workspace sees the status, why it stopped
// and what it charged this month; owners and admins (and the recruiter, personally) change it.
import { useState, type FormEvent } from 'react';
import { formatCredits, formatMoney } from '../lib/format.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { Plan } from './billingTypes.ts';
import type { AutoTopupStatus } from './autoTopupApi.ts';
import { useAutoTopup } from './useAutoTopup.ts';
import './autoTopup.css';

const STOPPED: Record<NonNullable<AutoTopupStatus['stopped_reason']>, string> = {
  declined: 'Stopped: the saved card was declined. Buy credits once with a working card, then turn auto top-up on again.',
  authentication_required: 'Stopped: the bank asked for the cardholder’s confirmation, which an automatic payment cannot give. Buy credits once (confirming the payment), then turn auto top-up on again.',
  monthly_cap_reached: 'Paused for this month: the next pack would go past the monthly limit. It resumes next month, or now if you raise the limit.',
  no_payment_method: 'Stopped: there is no saved card. Buy credits once with a card, then turn auto top-up on again.',
  plan_unavailable: 'Stopped: the pack is no longer sold. Choose another pack and save.',
};

function statusLine(s: AutoTopupStatus): string {
  if (s.status === 'off') return 'Off.';
  if (s.status === 'stopped') return s.stopped_reason ? STOPPED[s.stopped_reason] : 'Stopped.';
  const pack = s.credits === null ? 'a pack' : `${formatCredits(s.credits)} (${formatMoney(s.price_cents ?? 0, s.currency)})`;
  return `On: when fewer than ${formatCredits(s.threshold ?? 0)} are available, ${pack} ${s.in_flight ? 'is being bought now' : 'is bought with the saved card'}.`;
}

interface Props {
  teamId: string | null;
  /** The workspace's available credits: a change re-reads the status (a top-up landed). */
  balance: number | null;
  plans: Plan[];
}

export function AutoTopupCard({ teamId, balance, plans }: Props) {
  const { status, error, saving, save, turnOff } = useAutoTopup(teamId, balance);
  const packs = plans.filter((plan) => plan.kind === 'pack');
  const [threshold, setThreshold] = useState('');
  const [planId, setPlanId] = useState('');
  const [cap, setCap] = useState('');

  if (!status) return error ? <section className="card" data-testid="auto-topup"><ErrorMessage error={error} /></section> : null;
  const chosenPlan = planId || status.plan_id || packs[0]?.id || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save({
      threshold: Number(threshold || status.threshold || 5),
      planId: chosenPlan,
      monthlyCapCents: Math.round(Number(cap || (status.monthly_cap_cents ?? 5000) / 100) * 100),
    });
  };

  return (
    <section className="card" aria-labelledby="auto-topup-title" data-testid="auto-topup">
      <h2 id="auto-topup-title">Auto top-up</h2>
      <p data-testid="auto-topup-status" data-status={status.status}>{statusLine(status)}</p>
      {status.monthly_cap_cents !== null && (
        <p className="muted" data-testid="auto-topup-month">
          Charged this month: {formatMoney(status.charged_this_month_cents, status.currency)} of {formatMoney(status.monthly_cap_cents, status.currency)}.
        </p>
      )}
      {status.stopped_detail && status.status === 'stopped' && <p className="muted">{status.stopped_detail}</p>}
      {error && <ErrorMessage error={error} />}
      {status.can_manage && !status.has_saved_card && (
        <p className="muted">Buy credits once with a card: that card is saved and charged for automatic top-ups.</p>
      )}
      {status.can_manage && status.has_saved_card && (
        <form className="auto-topup-form" onSubmit={submit}>
          <label>
            When available credits fall below
            <input type="number" min={1} max={10000} required value={threshold || String(status.threshold ?? 5)}
              onChange={(event) => setThreshold(event.target.value)} />
          </label>
          <label>
            buy
            <select value={chosenPlan} onChange={(event) => setPlanId(event.target.value)}>
              {packs.map((pack) => <option key={pack.id} value={pack.id}>{pack.name} ({formatMoney(pack.price_cents, pack.currency)})</option>)}
            </select>
          </label>
          <label>
            at most per month ({status.currency.toUpperCase()})
            <input type="number" min={1} step="0.01" required value={cap || String((status.monthly_cap_cents ?? 5000) / 100)}
              onChange={(event) => setCap(event.target.value)} />
          </label>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={saving}>
              {status.status === 'on' ? 'Save' : 'Turn on auto top-up'}
            </button>
            {status.status !== 'off' && (
              <button type="button" className="button button--ghost" disabled={saving} onClick={() => { void turnOff(); }}>Turn off</button>
            )}
          </div>
        </form>
      )}
      {!status.can_manage && <p className="muted">Only an owner or admin of the team can change auto top-up.</p>}
    </section>
  );
}
