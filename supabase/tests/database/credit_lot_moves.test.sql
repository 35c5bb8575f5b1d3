-- The two forms of "which lots did this ledger row move": a row that moved one lot names it
-- (credit_ledger.lot_id) and writes no credit_lot_entries row; a row that moved several lots has
-- one entry per lot. billing.credit_lot_moves reads both as one, every credit function that
-- follows credits back to their lots (release, capture, refund debt, expiry of returned credits)
-- reads both, and the invariant checks both.
begin;
select plan(20);

select has_column('public', 'credit_ledger', 'lot_id', 'the ledger row can name its lot');
select ok(col_description('public.credit_ledger'::regclass,
            (select attnum from pg_attribute where attrelid = 'public.credit_ledger'::regclass and attname = 'lot_id')::integer) is not null,
  'credit_ledger.lot_id has a comment');
select has_view('billing', 'credit_lot_moves', 'billing.credit_lot_moves reads both forms');

select tests.create_user('mo');
select (tests.give_credits('mo', 5) * 0) as zero \gset
select id as lot_a from public.credit_lots where user_id = tests.get_user_id('mo') \gset
select tests.give_credits('mo', 5);
select id as lot_b from public.credit_lots where user_id = tests.get_user_id('mo') and id <> :lot_a \gset

-- One lot covers a spend: the row names it, no entry.
select tests.act_as('mo');
select public.deduct_credits(2) ->> 'ledger_id' as one_lot \gset
select tests.reset_role();
select is((select lot_id from public.credit_ledger where id = :one_lot), :lot_a::bigint, 'a spend one lot covers names that lot');
select is((select count(*)::integer from public.credit_lot_entries where ledger_id = :one_lot), 0, '... and writes no lot entry');
select results_eq(format('select lot_id, remaining_delta, held_delta, named_on_row from billing.credit_lot_moves where ledger_id = %s', :one_lot),
  format('values (%s::bigint, -2, 0, true)', :lot_a), 'the view shows the move from the row itself');

-- A spend spanning two lots: no lot named, one entry per lot.
select tests.act_as('mo');
select public.deduct_credits(4) ->> 'ledger_id' as two_lots \gset
select tests.reset_role();
select is((select lot_id from public.credit_ledger where id = :two_lots), null::bigint, 'a spend spanning lots names none');
select results_eq(format('select lot_id, remaining_delta, held_delta, named_on_row from billing.credit_lot_moves where ledger_id = %s order by lot_id', :two_lots),
  format('values (%s::bigint, -3, 0, false), (%s, -1, 0, false)', :lot_a, :lot_b), '... and the view shows its two entries');

-- A hold spanning two lots and its capture: the capture reads the entries form and spends both lots.
select tests.give_credits('mo', 3);
select id as lot_c from public.credit_lots where user_id = tests.get_user_id('mo') and id not in (:lot_a, :lot_b) \gset
select tests.act_as('mo');
select public.deduct_credits(2);
select public.create_interview('Spanning', null, 120) as held \gset
select tests.reset_role();
select results_eq(format('select lot_id, held_delta from billing.credit_lot_moves where ledger_id = %s order by lot_id', (:'held'::jsonb) ->> 'ledger_id'),
  format('values (%s::bigint, 2), (%s, 2)', :lot_b, :lot_c), 'a 4-credit hold over the 2 left in one lot and a 3-credit lot has two entries');
select tests.act_as_service_role();
select public.complete_interview(((:'held'::jsonb) ->> 'interview_id')::uuid) ->> 'ledger_id' as captured \gset
select tests.reset_role();
select results_eq(format('select sum(held_delta)::integer, count(*)::integer, bool_or(named_on_row) from billing.credit_lot_moves where ledger_id = %s', :captured),
  $$ values (-4, 2, false) $$, 'its capture spends the held credits of both lots (two entries)');

-- A hold from one lot and its release: both rows name the lot; the release reads the named form.
select tests.act_as('mo');
select public.create_interview('One lot', null, 15) as held1 \gset
select public.cancel_interview(((:'held1'::jsonb) ->> 'interview_id')::uuid) ->> 'ledger_id' as released \gset
select tests.reset_role();
select results_eq(format($$ select m.kind, m.remaining_delta, m.held_delta, m.named_on_row from billing.credit_lot_moves m
                           where m.interview_id = %L order by m.ledger_id $$, (:'held1'::jsonb) ->> 'interview_id'),
  $$ values ('hold'::text, -1, 1, true), ('release', 1, -1, true) $$, 'a one-lot hold and its release both name the lot');
select is((select g.lot_id from public.credit_ledger g where g.id = :released),
          (select g.lot_id from public.credit_ledger g where g.id = ((:'held1'::jsonb) ->> 'ledger_id')::bigint),
  'the release returns the credits to the lot the hold took them from');

-- An expiration names its lot.
select tests.pass_lot_expiry(array[:lot_c]::bigint[]);
select billing.expire_lot(:lot_c, 'system:expiry');
select results_eq(format($$ select lot_id, delta from public.credit_ledger where user_id = %L and kind = 'expiration' $$, tests.get_user_id('mo')),
  format('values (%s::bigint, -1)', :lot_c), 'an expiration names its lot');

-- A team member's spend names the team's lot.
select tests.create_user('lead');
select tests.act_as('lead');
select public.create_team('Lot movers') ->> 'team_id' as team \gset
select tests.reset_role();
select billing.apply_credit_change(:'team', 10, 'grant', 'tests', 'team float');
select tests.act_as('lead');
select public.deduct_credits(3, null, null, :'team') ->> 'ledger_id' as team_spend \gset
select tests.reset_role();
select results_eq(format($$ select g.member_id, l.user_id from public.credit_ledger g join public.credit_lots l on l.id = g.lot_id where g.id = %s $$, :team_spend),
  format($$ values (%L::uuid, %L::uuid) $$, tests.get_user_id('lead'), :'team'), 'a member''s team spend names the team''s lot');
select is_empty($$ select * from tests.ledger_violations() $$, 'the invariant holds over both forms');

-- The invariant checks the named form: each break below, inside a savepoint, is reported.
-- (Replica mode skips the append-only triggers and the guards for the tampering statement only.)
savepoint tamper;
set local session_replication_role = replica;
insert into public.credit_lot_entries (ledger_id, lot_id, user_id, remaining_delta, held_delta)
values (:one_lot, :lot_a, tests.get_user_id('mo'), -2, 0);
set local session_replication_role = origin;
select results_eq(format($$ select rule from billing.credit_invariant_violations(%L) where rule = 'entries_explain_ledger_row' $$, tests.get_user_id('mo')),
  $$ values ('entries_explain_ledger_row'::text) $$, 'a row naming its lot that also has entries is reported');
rollback to savepoint tamper;

savepoint tamper;
set local session_replication_role = replica;
update public.credit_ledger set lot_id = (select id from public.credit_lots where user_id = :'team') where id = :one_lot;
set local session_replication_role = origin;
select results_eq(format($$ select rule, detail ->> 'ledger_id' from billing.credit_invariant_violations(%L) where rule in ('entry_owner_matches', 'lot_is_its_entries') order by 1 $$, tests.get_user_id('mo')),
  format($$ values ('entry_owner_matches'::text, %L::text), ('lot_is_its_entries', null) $$, :one_lot),
  'a row naming another wallet''s lot is reported, and the lot it no longer names stops adding up');
rollback to savepoint tamper;

savepoint tamper;
set local session_replication_role = replica;
update public.credit_ledger set lot_id = -1 where id = :one_lot;
set local session_replication_role = origin;
select results_eq(format($$ select rule, detail ->> 'lot_owner' from billing.credit_invariant_violations(%L) where rule = 'entry_owner_matches' $$, tests.get_user_id('mo')),
  $$ values ('entry_owner_matches'::text, null::text) $$, 'a row naming a lot that does not exist is reported');
rollback to savepoint tamper;

savepoint tamper;
select set_config('billing.applying_ledger', 'on', true);
update public.credit_lots set remaining = remaining + 1, amount = amount + 1 where id = :lot_a;
select set_config('billing.applying_ledger', 'off', true);
select results_eq(format($$ select rule from billing.credit_invariant_violations(%L) where rule = 'lot_is_its_entries' $$, tests.get_user_id('mo')),
  $$ values ('lot_is_its_entries'::text) $$, 'a lot whose remaining is not the sum of its moves (both forms) is reported');
rollback to savepoint tamper;

select is_empty($$ select * from tests.ledger_violations() $$, 'and nothing is left of the tampering');

select * from finish();
rollback;
