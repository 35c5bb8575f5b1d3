// /billing: balance, quick add, plans, what a credit buys, history with a spend chart, and the
// result of a checkout the user just came back from. What a credit buys is the interviews
// feature's to say: app/ passes it in as `pricing`, so billing never imports interviews.
// Everything shown is the selected workspace's; in a team, only owners and admins see the buy
// buttons (members see "ask an admin"), and everyone sees the monthly limits.
import { memo, useMemo, type ReactNode } from 'react';
import { useBilling } from './useBilling.ts';
import { CheckoutStatus } from './CheckoutStatus.tsx';
import { ReturnAfterCheckout } from './ReturnAfterCheckout.tsx';
import { QuickAddCredits } from './QuickAddCredits.tsx';
import { PlanList } from './PlanList.tsx';
import { LedgerHistory } from './LedgerHistory.tsx';
import { SpendChart } from './SpendChart.tsx';
import { ExpiryNotice } from './ExpiryNotice.tsx';
import { TeamLimitsCard } from './TeamLimitsCard.tsx';
import { LowBalanceAlertSettings } from './LowBalanceAlertSettings.tsx';
import { AskAnAdmin } from './AskAnAdmin.tsx';
import { spendSeries } from './spendSeries.ts';
import { isLowBalance } from './lowBalance.ts';
import { netSpent, SPENT_LABEL } from './spentNet.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatCredits, formatNumber } from '../lib/format.ts';
import './billing.css';
import { usePageTitle } from '../ui/usePageTitle.ts';

const CHART_DAYS = 14;

// The balance changes far more often than the history (every Realtime message): these re-render
// only when their own props change, so a new number never waits for thousands of history rows.
const StableLedgerHistory = memo(LedgerHistory);
const StableSpendChart = memo(SpendChart);

interface Props {
  pricing: ReactNode;
  /** The selected team's name (null for the personal workspace), for the heading. */
  workspaceName?: string | null;
  /** A team's members by id (for its owners and admins), so the history says who did what. */
  memberNames?: ReadonlyMap<string, string>;
}

export function BillingPage({ pricing, workspaceName = null, memberNames }: Props) {
  usePageTitle('Billing');
  const {
    teamId, credits, reserved, lowBalanceThreshold, ledger, summary, historyError, hasOlderHistory, loadingOlderHistory, showOlderHistory, error, loading, refresh,
  } = useBilling();
  const points = useMemo(() => spendSeries(ledger, CHART_DAYS, new Date()), [ledger]);
  const older = useMemo(() => (hasOlderHistory ? { loading: loadingOlderHistory, show: () => { void showOlderHistory(); } } : undefined),
    [hasOlderHistory, loadingOlderHistory, showOlderHistory]);

  // A team's role arrives with its summary: until then, neither the buy buttons nor the notice.
  const role = teamId === null ? 'owner' : summary?.role ?? null;
  const canBuy = role === 'owner' || role === 'admin';

  return (
    <div className="page">
      <header className="page__header">
        <h1>Billing{teamId !== null && workspaceName && <span className="team-heading-name" data-testid="billing-workspace"> · {workspaceName}</span>}</h1>
        <p className="muted">
          {teamId === null ? 'Buy credits, see what they buy, and follow where they went.'
            : 'The team’s shared credits: every member’s interviews are paid from them.'}
        </p>
      </header>
      <CheckoutStatus />
      <ReturnAfterCheckout />
      {error && <ErrorMessage error={error} onRetry={() => { void refresh(); }} />}
      <div className="billing-grid">
        <section className="card balance-card" aria-labelledby="balance-title">
          <h2 id="balance-title">Current credits</h2>
          <p className="balance-card__amount">
            <span className="balance-card__value" data-testid="billing-balance">{credits === null ? (loading ? '…' : '—') : formatNumber(credits)}</span>
            {credits !== null && reserved !== null && reserved > 0 && <span className="balance-card__unit"> available</span>}
          </p>
          {credits !== null && reserved !== null && reserved > 0 && (
            <p className="balance-card__reserved" data-testid="billing-reserved">
              <strong>{formatCredits(reserved)} reserved</strong> for scheduled interviews: spent when they take place, returned if you cancel.
            </p>
          )}
          {summary && <ExpiryNotice expiring={summary.expiring} />}
          {/* With an alert set, the shell's banner says it (above this page too); without one, this card does. */}
          {credits !== null && lowBalanceThreshold === null && isLowBalance(credits) && (
            <p className="balance-card__warning" data-testid="balance-warning">
              {credits === 0
                ? 'No credits: add some to create interviews.'
                : `Low balance: ${formatCredits(credits)} left. Add credits to keep creating interviews.`}
            </p>
          )}
          {summary && (
            <dl className="stats">
              <div><dt>Purchased</dt><dd>{formatCredits(summary.total_purchased)}</dd></div>
              <div>
                <dt>{SPENT_LABEL}</dt>
                <dd data-testid="summary-spent">
                  {formatCredits(netSpent(summary))}
                  {summary.total_refunded > 0 && (
                    <span className="muted stats__detail"> ({formatCredits(summary.total_spent)} charged, {formatNumber(summary.total_refunded)} refunded)</span>
                  )}
                </dd>
              </div>
              {summary.total_granted > 0 && <div><dt>Free credits</dt><dd>{formatCredits(summary.total_granted)}</dd></div>}
              {summary.total_reversed > 0 && <div><dt>Taken back (refunded payments)</dt><dd>{formatCredits(summary.total_reversed)}</dd></div>}
              {summary.total_adjusted_added > 0 && <div><dt>Added by support</dt><dd data-testid="summary-support-added">{formatCredits(summary.total_adjusted_added)}</dd></div>}
              {summary.total_adjusted_removed > 0 && <div><dt>Taken back by support</dt><dd data-testid="summary-support-removed">{formatCredits(summary.total_adjusted_removed)}</dd></div>}
              {summary.total_expired > 0 && <div><dt>Expired</dt><dd>{formatCredits(summary.total_expired)}</dd></div>}
              <div><dt>Interviews</dt><dd>{summary.interviews_created}</dd></div>
            </dl>
          )}
        </section>
        {canBuy && <QuickAddCredits />}
        {role === 'member' && <AskAnAdmin workspaceName={workspaceName} />}
      </div>
      {summary?.limits && <TeamLimitsCard summary={summary} />}
      {role !== null && <LowBalanceAlertSettings canChange={canBuy} />}
      {canBuy && <PlanList />}
      <section className="card" aria-labelledby="usage-title">
        <h2 id="usage-title">What a credit buys</h2>
        {pricing}
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {historyError && <ErrorMessage error={historyError} onRetry={() => { void refresh(); }} />}
        {/* After a failed read an empty history would claim "no activity": show only what we have. */}
        {(!historyError || ledger.length > 0) && (
          <>
            <StableSpendChart points={points} allTime={summary ? netSpent(summary) : null} />
            <StableLedgerHistory entries={ledger} older={older} memberNames={memberNames} />
          </>
        )}
      </section>
    </div>
  );
}
