-- billing_summary(): the billing page's numbers for the signed-in user only.
begin;
select plan(14);

select tests.create_user('alice');
select tests.create_user('bob');

select tests.act_as('alice');
select is(public.billing_summary(),
  '{"balance": 0, "available": 0, "reserved": 0, "expiring": [], "total_purchased": 0, "total_spent": 0, "total_refunded": 0,
    "total_granted": 0, "total_adjusted_added": 0, "total_adjusted_removed": 0, "total_reversed": 0, "total_expired": 0, "interviews_created": 0, "low_balance_threshold": null, "recent": []}'::jsonb,
  'a new user has an empty summary');

select tests.act_as_service_role();
select public.add_credits(tests.get_user_id('alice'), 25, 'purchase', 'Starter');
select public.add_credits(tests.get_user_id('alice'), 2, 'grant', 'Welcome');
select public.add_credits(tests.get_user_id('bob'), 7, 'purchase', 'pack');
select tests.act_as('alice');
select public.create_interview('Dev', null, 60) ->> 'interview_id' as iv \gset
select public.cancel_interview(:'iv');
select public.create_interview('Ops', null, 30);
select public.deduct_credits(3, 'extra');

-- Dev's 2 credits were reserved then released; Ops's 1 is still reserved; 3 were spent.
select is(public.billing_summary() - 'recent',
  '{"balance": 23, "available": 23, "reserved": 1, "expiring": [], "total_purchased": 25, "total_spent": 3,
    "total_refunded": 0, "total_granted": 2, "total_adjusted_added": 0, "total_adjusted_removed": 0, "total_reversed": 0, "total_expired": 0, "low_balance_threshold": null,
    "interviews_created": 2}'::jsonb,
  'available, reserved, totals and interview count add up');
select is(jsonb_array_length(public.billing_summary() -> 'recent'), 6, 'recent lists alice''s 6 ledger rows');
select is(public.billing_summary() #>> '{recent,0,reason}', 'extra', 'newest first');
select is(public.billing_summary() #>> '{recent,5,kind}', 'purchase', 'oldest last');
select is((select array_agg(k order by k) from jsonb_object_keys(public.billing_summary() #> '{recent,0}') k),
  array['balance_after', 'created_at', 'delta', 'id', 'interview_id', 'kind', 'member_id', 'payment_id', 'reason', 'reference',
        'reserved_after', 'reserved_delta'],
  'a recent row has the documented fields');

select tests.reset_role();
select tests.give_credits('alice', 1) from generate_series(1, 25);
select tests.act_as('alice');
select is(jsonb_array_length(public.billing_summary() -> 'recent'), 20, 'recent is capped at 20 rows');

-- every kind of change at once: a paid payment partly reversed by a refund, a support
-- correction both ways; the totals still explain the balance
select tests.reset_role();
select billing.support_adjust_credits(tests.get_user_id('alice'), 4, 'Interview failed to start', 'SUP-1');
select billing.support_adjust_credits(tests.get_user_id('alice'), -1, 'Duplicate goodwill', 'SUP-2');
select public.record_checkout(tests.get_user_id('alice'), 'pack_10', 'stripe', 'cs_summary');
select public.complete_checkout('evt_summary_paid', 'cs_summary', 900, 'usd', 'pi_summary');
select public.refund_payment('evt_summary_refund', 'pi_summary', 450);
select tests.act_as('alice');
select is(public.billing_summary() - 'recent' - 'balance' - 'available' - 'reserved' - 'expiring' - 'interviews_created'
            - 'total_spent' - 'total_purchased' - 'total_refunded' - 'low_balance_threshold',
  '{"total_granted": 27, "total_adjusted_added": 4, "total_adjusted_removed": 1, "total_reversed": 5, "total_expired": 0}'::jsonb,
  'granted, what support added and took back (each >= 0) and reversed are totalled');
select is((select (s->>'total_purchased')::int + (s->>'total_granted')::int + (s->>'total_refunded')::int
                  + (s->>'total_adjusted_added')::int - (s->>'total_adjusted_removed')::int - (s->>'total_spent')::int - (s->>'total_reversed')::int
                  - (s->>'total_expired')::int - (s->>'available')::int - (s->>'reserved')::int
             from public.billing_summary() s), 0,
  'purchased + granted + refunded + adjusted_added - adjusted_removed - spent - reversed - expired = available + reserved');

-- what expires next: lots with credits left, soonest first, at most three
select tests.reset_role();
select public.add_credits(tests.get_user_id('alice'), 12, 'grant', 'Promo', null, null, '2030-01-03 12:00+00', true);
select public.add_credits(tests.get_user_id('alice'), 5, 'grant', 'Later', null, null, '2031-06-01 12:00+00');
select tests.act_as('alice');
select is(public.billing_summary() -> 'expiring',
  '[{"expires_at": "2030-01-03T12:00:00+00:00", "credits": 12}, {"expires_at": "2031-06-01T12:00:00+00:00", "credits": 5}]'::jsonb,
  'expiring lists what expires next, soonest first, with the credits left in each lot');
select public.deduct_credits(2);
select is(public.billing_summary() #>> '{expiring,0,credits}', '10',
  'a spend takes from the promotional lot first, so fewer credits are left to expire');

select tests.act_as('bob');
select is(public.billing_summary() - 'recent',
  '{"balance": 7, "available": 7, "reserved": 0, "expiring": [], "total_purchased": 7, "total_spent": 0, "total_refunded": 0,
    "total_granted": 0, "total_adjusted_added": 0, "total_adjusted_removed": 0, "total_reversed": 0, "total_expired": 0, "interviews_created": 0, "low_balance_threshold": null}'::jsonb,
  'bob sees only his own numbers');

select tests.act_as_anon();
select throws_ok($$ select public.billing_summary() $$, '42501', null, 'anon has no summary');
select tests.act_as_service_role();
select throws_ok($$ select public.billing_summary() $$, '42501', null, 'service_role has no summary of its own');

select * from finish();
rollback;
