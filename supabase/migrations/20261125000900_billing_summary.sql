-- billing_summary(): everything the billing page shows, in one call.

create or replace function public.billing_summary()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_balance integer;
  v_totals jsonb;
  v_recent jsonb;
  v_interviews bigint;
begin
  select u.credits into v_balance from public.users u where u.id = v_user_id;

  select pg_catalog.jsonb_build_object(
           'total_purchased', coalesce(sum(l.delta) filter (where l.kind = 'purchase'), 0),
           'total_spent', coalesce(-sum(l.delta) filter (where l.kind = 'spend'), 0),
           'total_refunded', coalesce(sum(l.delta) filter (where l.kind = 'refund'), 0),
           -- With these the totals explain the balance: purchased + granted + refunded + adjusted
           -- - spent - reversed - expired = balance (adjusted is signed; the others are >= 0).
           'total_granted', coalesce(sum(l.delta) filter (where l.kind = 'grant'), 0),
           'total_adjusted', coalesce(sum(l.delta) filter (where l.kind = 'adjustment'), 0),
           'total_reversed', coalesce(-sum(l.delta) filter (where l.kind = 'reversal'), 0),
           'total_expired', coalesce(-sum(l.delta) filter (where l.kind = 'expiration'), 0))
    into v_totals
    from public.credit_ledger l
   where l.user_id = v_user_id;

  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'id', r.id, 'delta', r.delta, 'balance_after', r.balance_after, 'kind', r.kind,
           'reason', r.reason, 'reference', r.reference, 'interview_id', r.interview_id,
           'payment_id', r.payment_id, 'created_at', r.created_at) order by r.id desc), '[]'::jsonb)
    into v_recent
    from (select * from public.credit_ledger l
           where l.user_id = v_user_id
           order by l.id desc
           limit 20) r;

  select pg_catalog.count(*) into v_interviews from public.interviews i where i.user_id = v_user_id;

  return pg_catalog.jsonb_build_object('balance', coalesce(v_balance, 0), 'interviews_created', v_interviews,
    'recent', v_recent) || v_totals;
end;
$$;
comment on function public.billing_summary() is
  'The signed-in user''s billing page in one call: {balance, total_purchased, total_spent, total_refunded, total_granted, total_adjusted (signed), total_reversed, total_expired, interviews_created, recent} with purchased + granted + refunded + adjusted - spent - reversed - expired = balance, where recent is the 20 newest ledger rows (newest first) with id, delta, balance_after, kind, reason, reference, interview_id, payment_id, created_at. Error: 42501 not_signed_in.';
revoke execute on function public.billing_summary() from public, anon, authenticated, service_role;
grant execute on function public.billing_summary() to authenticated;
