-- reject_event: an event that can never be applied is recorded once, with its reason, so its
-- redeliveries are answered without changing anything.
begin;
select plan(7);

select tests.create_user('alice');
select tests.act_as_service_role();
select is(public.reject_event('evt_bad_1', 'charge.refunded', 'malformed charge') - 'replayed',
  '{"payment_id": null, "status": "rejected", "rejected": true, "event_type": "charge.refunded", "reason": "malformed charge"}'::jsonb,
  'the rejection is recorded with its reason');
select is(public.reject_event('evt_bad_1', 'charge.refunded', 'malformed charge') ->> 'replayed', 'true', 'a second rejection replays');
select is(public.refund_payment('evt_bad_1', 'pi_whatever', 100) ->> 'status', 'rejected',
  'a payment function given the rejected event replays the rejection');
select tests.reset_role();
select is((select count(*)::int from billing.early_refunds), 0, 'and keeps no refund');
select tests.act_as_service_role();
select throws_ok($$ select public.reject_event('', 'x', 'y') $$, '22023', 'invalid_event_id', 'an empty event id is refused');
select throws_ok($$ select public.reject_event('evt_x', 'x', null) $$, '22023', 'invalid_reason', 'a reason is required');
select tests.reset_role();
select is((select outcome ->> 'reason' from billing.processed_events where event_id = 'evt_bad_1'), 'malformed charge',
  'support sees the reason');

select * from finish();
rollback;
