-- Audited balance corrections for support staff working in the dashboard SQL editor:
--   select billing.support_adjust_credits('<user id>', 5, 'Interview failed to start', 'SUP-1234');
-- Only the postgres role (dashboard / SQL editor) may run it; the API roles cannot even see the
-- billing schema. It writes kind = 'adjustment' with the ticket and the database user as actor.

create or replace function billing.support_adjust_credits(
  p_user_id uuid,
  p_delta integer,
  p_reason text,
  p_ticket text,
  p_expires_at timestamptz default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A call arriving through the API carries JWT claims; support works without any.
  if auth.role() is not null then
    raise exception using
      errcode = '42501',
      message = 'not_allowed',
      hint = 'Support adjustments are made from the dashboard SQL editor, not through the API.';
  end if;
  if p_user_id is null then
    perform billing.raise_invalid_argument('user_id', 'user_id is required');
  end if;
  if p_delta is null or p_delta = 0
     or p_delta not between -billing.max_credits_per_call() and billing.max_credits_per_call() then
    perform billing.raise_invalid_argument('delta', 'delta must be a non-zero number of credits from -'
      || billing.max_credits_per_call() || ' to ' || billing.max_credits_per_call());
  end if;
  perform billing.check_text('reason', p_reason, true, billing.max_ledger_text_length());
  perform billing.check_text('ticket', p_ticket, true, 100);
  if p_expires_at is not null and (p_delta < 0 or p_expires_at <= pg_catalog.now()) then
    perform billing.raise_invalid_argument('expires_at', 'expires_at is for credits added (positive delta) and must be in the future');
  end if;

  return billing.apply_credit_change(p_user_id, p_delta, 'adjustment', 'support:' || session_user,
    p_reason, 'ticket:' || pg_catalog.btrim(p_ticket), null, null, null, null, p_expires_at);
end;
$$;
comment on function billing.support_adjust_credits(uuid, integer, text, text, timestamptz) is
  'For support staff (dashboard SQL editor, role postgres): adds (positive) or removes (negative) delta credits with a reason and a ticket id, as ledger kind adjustment with actor support:<database user>. Credits added are a new lot (source adjustment) expiring at p_expires_at (null: never); credits removed are taken from the lots in spend order. Never takes a balance below zero (PT402 insufficient_credits). Returns {balance, reserved, ledger_id[, lot_id]}. Errors: 22023 invalid_user_id/unknown_user/invalid_delta/invalid_reason/invalid_ticket/invalid_expires_at, 42501 not_allowed when called with API claims.';
revoke execute on function billing.support_adjust_credits(uuid, integer, text, text, timestamptz) from public, anon, authenticated, service_role;
