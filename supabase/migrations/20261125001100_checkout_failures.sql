-- Checkouts that end without payment: Stripe's checkout.session.expired (the buyer never paid
-- within the session's lifetime) and checkout.session.async_payment_failed (a delayed payment
-- method failed). The pending payment becomes failed with the reason, so it no longer shows as
-- "waiting for payment" and a late completion can never credit it.

create or replace function public.fail_checkout(
  event_id text,
  provider_session_id text,
  reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_stored jsonb;
  v_payment public.payments;
  v_outcome jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, 255);
  perform billing.check_text('provider_session_id', provider_session_id, true, 500);
  if reason is null or reason not in ('expired', 'async_payment_failed') then
    perform billing.raise_invalid_argument('reason', 'reason must be expired or async_payment_failed.');
  end if;

  -- Once per event, exactly like complete_checkout (concurrent replays wait, then replay).
  insert into billing.processed_events (event_id, event_type, outcome)
  values (fail_checkout.event_id, 'checkout.session.' || fail_checkout.reason, '{}'::jsonb)
  on conflict on constraint processed_events_pkey do nothing;
  if not found then
    select e.outcome into strict v_stored from billing.processed_events e where e.event_id = fail_checkout.event_id;
    return v_stored || '{"replayed": true}'::jsonb;
  end if;

  -- The same lock complete_checkout takes, so a completion and a failure of one session serialise.
  perform billing.payment_ref_lock(provider_session_id);
  select * into v_payment from public.payments p
   where p.provider_session_id = fail_checkout.provider_session_id
   for update;

  if v_payment.id is null then
    v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'unknown_session',
      'provider_session_id', provider_session_id);
  elsif v_payment.status <> 'pending' then
    -- Already settled (paid, refunded or failed): a failure notice changes nothing.
    v_outcome := billing.payment_summary(v_payment) || '{"already_settled": true}'::jsonb;
  else
    update public.payments p
       set status = 'failed',
           failure_reason = case fail_checkout.reason
                              when 'expired' then 'checkout_expired: the checkout session expired without payment'
                              else 'async_payment_failed: the delayed payment method failed'
                            end
     where p.id = v_payment.id
    returning * into strict v_payment;
    v_outcome := billing.payment_summary(v_payment);
  end if;

  update billing.processed_events e
     set outcome = v_outcome, payment_id = v_payment.id
   where e.event_id = fail_checkout.event_id;
  return v_outcome || '{"replayed": false}'::jsonb;
end;
$$;
comment on function public.fail_checkout(text, text, text) is
  'Service role only (stripe-webhook: checkout.session.expired / checkout.session.async_payment_failed). Marks a pending payment failed with failure_reason checkout_expired: … or async_payment_failed: …; a payment already settled is left alone (already_settled = true), an unknown session is recorded as unknown_session. Once per event_id (replays return the first outcome with replayed = true). Returns the payment fields and replayed. Errors: 22023 invalid_event_id, invalid_provider_session_id, invalid_reason; 42501 not_allowed.';
revoke execute on function public.fail_checkout(text, text, text) from public, anon, authenticated;
grant execute on function public.fail_checkout(text, text, text) to service_role;
