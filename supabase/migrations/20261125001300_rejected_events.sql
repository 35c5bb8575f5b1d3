-- Webhook events that can never be applied (signed by the provider but malformed, or refused by
-- the payment functions with a permanent error such as 22023 or PT409). Answering them non-2xx
-- would make Stripe retry for days and alert on a problem no retry can fix, so the webhook
-- records them here as rejected, with the reason for support, and answers 2xx. A later delivery
-- of the same event id replays this outcome (the payment functions check processed_events first).

create or replace function public.reject_event(
  event_id text,
  event_type text,
  reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_outcome jsonb;
  v_stored jsonb;
begin
  perform billing.require_service_role();
  perform billing.check_text('event_id', event_id, true, 255);
  perform billing.check_text('event_type', event_type, true, 100);
  perform billing.check_text('reason', reason, true, 1000);

  v_outcome := pg_catalog.jsonb_build_object('payment_id', null, 'status', 'rejected', 'rejected', true,
    'event_type', event_type, 'reason', reason);
  insert into billing.processed_events (event_id, event_type, outcome)
  values (reject_event.event_id, reject_event.event_type, v_outcome)
  on conflict on constraint processed_events_pkey do nothing;
  if not found then
    -- Already applied or rejected (a concurrent delivery won): its outcome stands.
    select e.outcome into strict v_stored from billing.processed_events e where e.event_id = reject_event.event_id;
    return v_stored || '{"replayed": true}'::jsonb;
  end if;
  return v_outcome || '{"replayed": false}'::jsonb;
end;
$$;
comment on function public.reject_event(text, text, text) is
  'Service role only (stripe-webhook). Records a provider event that can never be applied as processed with outcome {payment_id: null, status: rejected, rejected: true, event_type, reason}, so its redeliveries are answered 2xx without changing anything. Returns that outcome and replayed (true, with the stored outcome, when the event id was already processed). Errors: 22023 invalid_event_id, invalid_event_type, invalid_reason; 42501 not_allowed.';
revoke execute on function public.reject_event(text, text, text) from public, anon, authenticated;
grant execute on function public.reject_event(text, text, text) to service_role;
