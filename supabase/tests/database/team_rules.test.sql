-- The rules of a team workspace, step by step: owners (the last one stays), deleting (only
-- without credits), monthly limits of members and of the team (usage, give-back, month rollover,
-- captures counted once), and lots, holds, expiry and refunds on a team wallet exactly as on a
-- personal one; then the invariant over both wallet kinds (and a planted break on a team wallet).
-- Who may call what is team_functions_matrix.test.sql.
begin;
select plan(62);

select tests.create_user(u) from unnest(array['tr_owner', 'tr_owner2', 'tr_admin', 'tr_m1', 'tr_m2']) u;

-- Runs a call as a test user: 'ok' or its SQLSTATE and message (effects kept when it succeeds).
create function pg_temp.try(p_name text, p_sql text) returns text language plpgsql as $$
declare v_error jsonb;
begin
  perform tests.act_as(p_name);
  v_error := tests.error_of(p_sql);
  perform tests.reset_role();
  return coalesce((v_error ->> 'code') || ' ' || (v_error ->> 'message'), 'ok');
end $$;
create function pg_temp.error_as(p_name text, p_sql text) returns jsonb language plpgsql as $$
declare v_error jsonb;
begin
  perform tests.act_as(p_name);
  v_error := tests.error_of(p_sql);
  perform tests.reset_role();
  return v_error;
end $$;
create function pg_temp.call_as(p_name text, p_sql text) returns jsonb language plpgsql as $$
declare v_result jsonb;
begin
  perform tests.act_as(p_name);
  execute p_sql into v_result;
  perform tests.reset_role();
  return v_result;
end $$;

/**
 * 1. Owners: the last owner cannot leave, be demoted or removed; two owners can hand over.
 */
select tests.create_team('tr_owner', 'Owners') as o_team \gset
select tests.add_member(:'o_team', 'tr_admin', 'admin');
select is(pg_temp.try('tr_owner', format($$ select public.set_member_role(%L, %L, 'owner') $$, :'o_team', tests.get_user_id('tr_admin'))),
  'ok', 'an owner makes an admin an owner');
select is(pg_temp.try('tr_owner', format($$ select public.leave_team(%L) $$, :'o_team')), 'ok',
  'with another owner, an owner may leave');
select is(pg_temp.try('tr_admin', format($$ select public.leave_team(%L) $$, :'o_team')), 'PT409 last_owner',
  'the owner left is the last one and cannot leave');
select is(pg_temp.try('tr_admin', format($$ select public.set_member_role(%L, %L, 'member') $$, :'o_team', tests.get_user_id('tr_admin'))),
  'PT409 last_owner', 'nor demote themselves');

/**
 * 2. Deleting: refused while the team has credits available or reserved; afterwards the team id
 *    answers nothing, to anyone.
 */
select tests.create_team('tr_owner', 'Deleted') as d_team \gset
select tests.add_member(:'d_team', 'tr_m1');
select tests.give_wallet_credits(:'d_team', 1);
select is(pg_temp.error_as('tr_owner', format($$ select public.delete_team(%L) $$, :'d_team')) - 'hint',
  jsonb_build_object('code', 'PT409', 'message', 'team_has_credits',
    'detail', jsonb_build_object('team_id', :'d_team', 'available', 1, 'reserved', 0)::text),
  'a team with credits available cannot be deleted');
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Hold', null, 30, 'technical', null, %L) $$, :'d_team')) ->> 'interview_id' as d_interview \gset
select is(pg_temp.error_as('tr_owner', format($$ select public.delete_team(%L) $$, :'d_team')) ->> 'detail',
  jsonb_build_object('team_id', :'d_team', 'available', 0, 'reserved', 1)::text,
  'nor one whose credits are all reserved by a scheduled interview');
select is(pg_temp.try('tr_m1', format($$ select public.cancel_interview(%L) $$, :'d_interview')), 'ok', 'the hold is released');
select is(pg_temp.try('tr_m1', format($$ select public.deduct_credits(1, null, null, %L) $$, :'d_team')), 'ok', 'and the credit spent');
-- A checkout for the team is under way while it is deleted (the webhook lands afterwards).
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('tr_owner'), 'pack_5', 'local', 'cs_tr_deleted_team', :'d_team');
select tests.reset_role();
select is(pg_temp.try('tr_owner', format($$ select public.delete_team(%L) $$, :'d_team')), 'ok', 'an empty team is deleted');
select tests.balance_of('tr_owner') as owner_before \gset
select tests.act_as_service_role();
select public.complete_checkout('evt_tr_deleted_team', 'cs_tr_deleted_team', 500, 'usd');
select tests.reset_role();
select is((select jsonb_build_object('team_credits', t.credits, 'wallet_is_buyer', p.wallet_id = p.user_id, 'status', p.status)
             from public.payments p, public.teams t where p.provider_session_id = 'cs_tr_deleted_team' and t.id = :'d_team'),
  '{"team_credits": 0, "wallet_is_buyer": true, "status": "paid"}'::jsonb,
  'a purchase paid after its team was deleted goes to the buyer''s personal wallet, not to the deleted team');
select is(tests.balance_of('tr_owner'), :owner_before + 5, 'the buyer has the credits they paid for');
select is((select count(*) from realtime.messages where topic = 'balance:' || tests.get_user_id('tr_m1') and event = 'membership'
             and payload ->> 'team_id' = :'d_team' and (payload ->> 'removed')::boolean), 1::bigint,
  'each member''s tabs are told on their own topic that the team is gone');
select is(pg_temp.call_as('tr_owner', 'select public.my_workspaces()') @? format('$[*] ? (@.id == "%s")', :'d_team')::jsonpath,
  false, 'and is gone from the owner''s workspaces');
select is(pg_temp.try('tr_m1', format($$ select public.billing_summary(%L) $$, :'d_team')), '42501 not_team_member',
  'a deleted team answers not_team_member to its former members');
select is(pg_temp.try('tr_owner', format($$ select public.rename_team(%L, 'Back') $$, :'d_team')), '42501 not_team_member',
  'and to its former owner');
select tests.act_as_service_role();
select is((tests.error_of(format($$ select public.record_checkout(%L, 'pack_5', 'local', 'cs_tr_deleted', %L) $$,
  tests.get_user_id('tr_owner'), :'d_team')) ->> 'message'), 'not_team_admin', 'nobody can buy credits for a deleted team');
select is((tests.error_of(format($$ select public.add_credits(%L, 5) $$, :'d_team')) ->> 'message'), 'unknown_user',
  'add_credits refuses a deleted team''s id (unknown_user): nothing lands where nobody can see it');
select tests.reset_role();
select is(pg_temp.try('tr_m1', format($$ select public.deduct_credits(1, null, null, %L) $$, tests.get_user_id('tr_owner'))),
  '42501 not_team_member', 'a recruiter''s id passed as team_id is no team: not_team_member, their wallet is untouched');

/**
 * 2b. Names: 1..100 visible characters on one line, trimmed; a recruiter owns at most 20 teams.
 */
select is(pg_temp.call_as('tr_m2', $$ select public.create_team('  Padded  ') $$) ->> 'name', 'Padded', 'a name is trimmed');
select is(pg_temp.call_as('tr_m2', format('select public.create_team(%L)', repeat('😀', 100))) ->> 'name', repeat('😀', 100),
  '100 characters (not bytes) are fine');
select is(array[pg_temp.try('tr_m2', format('select public.create_team(%L)', repeat('x', 101))),
                pg_temp.try('tr_m2', format('select public.create_team(%L)', repeat('x', 1000000))),
                pg_temp.try('tr_m2', format('select public.create_team(%L)', U&'\200B\00A0')),
                pg_temp.try('tr_m2', 'select public.create_team(null)')],
  array_fill('22023 invalid_name'::text, array[4]), 'too long, huge, invisible or missing names are invalid_name');
select is(array[pg_temp.try('tr_m2', format('select public.create_team(%L)', E'Team\nBcc: x@example.com')),
                pg_temp.try('tr_m2', format('select public.create_team(%L)', E'Tab\there')),
                pg_temp.try('tr_m2', format('select public.create_team(%L)', E'Bell\u0007'))],
  array_fill('22023 invalid_name'::text, array[3]),
  'a name with control characters (line breaks in a mail subject, tabs) is invalid_name');
select is(pg_temp.try('tr_admin', format('select public.rename_team(%L, %L)', :'o_team', E'Two\r\nlines')), '22023 invalid_name',
  'and so is a rename to one');
select is((select count(*) from generate_series(1, 20) g
            where pg_temp.try('tr_m2', format('select public.create_team(%L)', 'Many ' || g)) = 'ok'), 18::bigint,
  'tr_m2 owns 2 teams and may create 18 more');
select is(pg_temp.try('tr_m2', $$ select public.create_team('One too many') $$), 'PT409 too_many_teams', 'but not a 21st');

/**
 * 3. Limits: a member's and the team's, per month; cancels and lapses give usage back, captures
 *    do not count again, a past month's usage does not count.
 */
select tests.create_team('tr_owner', 'Limits') as l_team \gset
select tests.add_member(:'l_team', 'tr_m1'), tests.add_member(:'l_team', 'tr_m2');
select tests.give_wallet_credits(:'l_team', 100);
select is(pg_temp.try('tr_owner', format($$ select public.set_member_limit(%L, %L, 5) $$, :'l_team', tests.get_user_id('tr_m1'))),
  'ok', 'the owner sets tr_m1''s limit to 5');
select is(pg_temp.try('tr_owner', format($$ select public.set_team_limit(%L, 8) $$, :'l_team')), 'ok', 'and the team''s to 8');
select is(pg_temp.try('tr_owner', format($$ select public.set_member_limit(%L, %L, -1) $$, :'l_team', tests.get_user_id('tr_m1'))),
  '22023 invalid_monthly_limit', 'a negative limit is refused');
select pg_temp.call_as('tr_m1', format($$ select public.deduct_credits(3, null, null, %L) $$, :'l_team'));
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Two', null, 60, 'technical', null, %L) $$, :'l_team')) ->> 'interview_id' as l_i1 \gset
select is(pg_temp.error_as('tr_m1', format($$ select public.deduct_credits(1, null, null, %L) $$, :'l_team')) - 'hint',
  jsonb_build_object('code', 'PT402', 'message', 'member_limit_reached', 'detail', jsonb_build_object(
    'limit', 5, 'used', 5, 'required', 1,
    'resets_at', (date_trunc('month', now() at time zone 'UTC') + interval '1 month') at time zone 'UTC')::text),
  'past their limit (3 spent + 2 held of 5), a member''s spend is refused with member_limit_reached and its numbers');
select pg_temp.call_as('tr_m2', format($$ select public.deduct_credits(3, null, null, %L) $$, :'l_team'));
select is(pg_temp.error_as('tr_m2', format($$ select public.create_interview('Over', null, 30, 'technical', null, %L) $$, :'l_team')) ->> 'message',
  'team_limit_reached', 'past the team''s limit (5 + 3 of 8), another member''s hold is refused with team_limit_reached');
select is(array[tests.member_used(:'l_team', 'tr_m1'), tests.member_used(:'l_team', 'tr_m2'), (tests.team_wallet(:'l_team') ->> 'used')::bigint],
  array[5, 3, 8]::bigint[], 'refused calls counted nothing (member 5, member 3, team 8)');
select is(pg_temp.try('tr_m1', format($$ select public.cancel_interview(%L) $$, :'l_i1')), 'ok', 'tr_m1 cancels their interview');
select is(array[tests.member_used(:'l_team', 'tr_m1'), (tests.team_wallet(:'l_team') ->> 'used')::bigint], array[3, 6]::bigint[],
  'the cancel gave its 2 credits back to the member''s and the team''s usage');
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Two again', null, 60, 'technical', null, %L) $$, :'l_team')) ->> 'interview_id' as l_i2 \gset
select is(pg_temp.try('tr_owner', format($$ select public.cancel_interview(%L) $$, :'l_i2')), 'ok', 'the owner cancels a member''s interview');
select is(array[tests.member_used(:'l_team', 'tr_m1'), (tests.team_wallet(:'l_team') ->> 'used')::bigint], array[3, 6]::bigint[],
  'and the member gets the usage back');
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Captured', null, 30, 'technical', null, %L) $$, :'l_team')) ->> 'interview_id' as l_i3 \gset
select tests.act_as_service_role();
select public.complete_interview(:'l_i3');
select tests.reset_role();
select is(array[tests.member_used(:'l_team', 'tr_m1'), (tests.team_wallet(:'l_team') ->> 'used')::bigint,
                (tests.team_wallet(:'l_team') ->> 'reserved')::bigint], array[4, 7, 0]::bigint[],
  'completing an interview spends its hold without counting it again');
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Lapsing', null, 30, 'technical', null, %L) $$, :'l_team')) ->> 'interview_id' as l_i4 \gset
update public.interviews set hold_expires_at = now() - interval '1 second' where id = :'l_i4';
select billing.release_lapsed_holds();
select is(array[tests.member_used(:'l_team', 'tr_m1'), (tests.team_wallet(:'l_team') ->> 'used')::bigint], array[4, 7]::bigint[],
  'a lapsed hold gives its usage back too');
-- An interview held last month, cancelled this month: last month's usage, nothing to give back.
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Last month', null, 30, 'technical', null, %L) $$, :'l_team')) ->> 'interview_id' as l_i5 \gset
update public.interviews set created_at = created_at - interval '1 month' where id = :'l_i5';
select tests.age_usage_month(:'l_team');
select is(pg_temp.try('tr_m1', format($$ select public.deduct_credits(5, null, null, %L) $$, :'l_team')), 'ok',
  'in a new month, the member may spend their whole limit again');
select is(pg_temp.error_as('tr_m1', format($$ select public.deduct_credits(1, null, null, %L) $$, :'l_team')) ->> 'detail',
  jsonb_build_object('limit', 5, 'used', 5, 'required', 1,
    'resets_at', (date_trunc('month', now() at time zone 'UTC') + interval '1 month') at time zone 'UTC')::text,
  'and no more: this month counts this month''s usage only');
select is(pg_temp.try('tr_m1', format($$ select public.cancel_interview(%L) $$, :'l_i5')), 'ok', 'the last month''s interview is cancelled');
select is(array[tests.member_used(:'l_team', 'tr_m1'), (tests.team_wallet(:'l_team') ->> 'used')::bigint], array[5, 5]::bigint[],
  'and gives nothing back to this month''s usage');
select is((pg_temp.call_as('tr_m1', format($$ select public.billing_summary(%L) $$, :'l_team')) -> 'limits' -> 'member'),
  '{"used": 5, "remaining": 0, "monthly_limit": 5}'::jsonb, 'the member sees their limit and what is left');
select is(jsonb_array_length(pg_temp.call_as('tr_m2', format($$ select public.team_members_usage(%L) $$, :'l_team')) -> 'members'), 1,
  'a member sees only their own usage row');
select is(jsonb_array_length(pg_temp.call_as('tr_owner', format($$ select public.team_members_usage(%L) $$, :'l_team')) -> 'members'), 3,
  'the owner sees everyone''s');

-- What a member reads of the team: their own rows only; an admin or owner everything.
select is((select count(*) from jsonb_array_elements(pg_temp.call_as('tr_m2', format($$ select public.credit_history(null, 200, %L) $$, :'l_team')) -> 'entries') e
            where e ->> 'member_id' is distinct from tests.get_user_id('tr_m2')::text), 0::bigint,
  'a member''s team history lists only the rows they made');
select is((select count(*) from jsonb_array_elements(pg_temp.call_as('tr_m2', format($$ select public.billing_summary(%L) $$, :'l_team')) -> 'recent') e
            where e ->> 'member_id' is distinct from tests.get_user_id('tr_m2')::text), 0::bigint,
  'and so does their summary''s recent list');
select ok((select count(distinct e ->> 'member_id') from jsonb_array_elements(pg_temp.call_as('tr_owner', format($$ select public.credit_history(null, 200, %L) $$, :'l_team')) -> 'entries') e) >= 2,
  'the owner''s lists every member''s rows');
-- One key, personal then team: the key is the caller's, so the second call is refused, not spent twice.
select tests.give_credits('tr_m2', 5);
select pg_temp.call_as('tr_m2', $$ select public.deduct_credits(1, null, 'same-key') $$);
select is(pg_temp.try('tr_m2', format($$ select public.deduct_credits(1, null, 'same-key', %L) $$, :'l_team')),
  'PT409 idempotency_key_reused', 'a personal idempotency key reused for a team spend is refused (PT409), nothing is spent');

/**
 * 4. Lots, holds, expiry and refunds on a team wallet.
 */
select tests.create_team('tr_owner2', 'Lots') as w_team \gset
select tests.add_member(:'w_team', 'tr_m1');
select tests.act_as_service_role();
select public.record_checkout(tests.get_user_id('tr_owner2'), 'pack_10', 'stripe', 'cs_tr_team', :'w_team');
select public.complete_checkout('evt_tr_team', 'cs_tr_team', 900, 'usd', 'pi_tr_team');
select tests.reset_role();
select is((select jsonb_build_object('source', source, 'remaining', remaining) from public.credit_lots where user_id = :'w_team'),
  '{"source": "purchase", "remaining": 10}'::jsonb, 'a purchase for the team is a purchase lot of the team wallet');
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Held', null, 120, 'technical', null, %L) $$, :'w_team')) ->> 'interview_id' as w_i1 \gset
select is((select array[remaining, held] from public.credit_lots where user_id = :'w_team'), array[6, 4],
  'a member''s interview holds credits of the team''s lot');
select pg_temp.call_as('tr_m1', format($$ select public.cancel_interview(%L) $$, :'w_i1'));
select is((select array[remaining, held] from public.credit_lots where user_id = :'w_team'), array[10, 0],
  'cancelling it returns them to that lot');
select pg_temp.call_as('tr_m1', format($$ select public.deduct_credits(3, null, null, %L) $$, :'w_team'));
select tests.act_as_service_role();
select public.refund_payment('evt_tr_team_refund', 'pi_tr_team', 900);
select tests.reset_role();
select is((select jsonb_build_object('remaining', l.remaining, 'voided', l.voided, 'credits', t.credits)
             from public.credit_lots l join public.teams t on t.id = l.user_id where l.user_id = :'w_team'),
  '{"remaining": 0, "voided": 7, "credits": 0}'::jsonb, 'refunding the purchase voids what is left of the team''s lot');
select is((select array_agg(kind order by id) from public.credit_ledger where user_id = :'w_team'),
  array['purchase', 'hold', 'release', 'spend', 'reversal'], 'and the team''s ledger tells it all');
select tests.give_wallet_credits(:'w_team', 4, now() + interval '1 hour');
select tests.pass_lot_expiry(array(select id from public.credit_lots where user_id = :'w_team' and expires_at is not null));
select billing.expire_credit_lots();
select is((select jsonb_build_object('credits', t.credits, 'expired', t.credits_expired) from public.teams t where t.id = :'w_team'),
  '{"credits": 0, "expired": 4}'::jsonb, 'a team lot past its date expires like a personal one');

-- A team interview that took place but went wrong: its charge goes back to the team wallet.
select tests.give_wallet_credits(:'w_team', 2);
select pg_temp.call_as('tr_m1', format($$ select public.create_interview('Went wrong', null, 60, 'technical', null, %L) $$, :'w_team')) ->> 'interview_id' as w_i2 \gset
select tests.act_as_service_role();
select public.complete_interview(:'w_i2');
select is(tests.error_of(format($$ select public.add_credits(%L, 2, 'refund', 'Interview failed', %L) $$,
            tests.get_user_id('tr_m1'), 'interview:' || :'w_i2')) ->> 'message', 'unknown_interview',
  'a team interview''s charge is not refunded into its creator''s personal wallet');
select is(tests.error_of(format($$ select public.add_credits(%L, 2, 'refund', 'Interview failed', %L) $$,
            :'w_team', 'interview:' || :'w_i2')), null, 'it is refunded into the team wallet that paid it');
select tests.reset_role();
select is((select jsonb_build_object('credits', t.credits, 'refunded', t.credits_refunded,
             'lot', (select source from public.credit_lots l where l.user_id = t.id order by id desc limit 1))
             from public.teams t where t.id = :'w_team'),
  '{"credits": 2, "refunded": 2, "lot": "refund"}'::jsonb, 'as a refund lot of the team, exactly as on a personal wallet');
select tests.act_as_service_role();
select public.add_credits(:'w_team', 1, 'grant', 'A grant to a team');
select tests.reset_role();
select is((select credits from public.teams where id = :'w_team'), 3, 'and the service role may grant a live team credits');
select billing.support_adjust_credits(:'w_team', 3, 'Goodwill for the team', 'T-1');
select is((select credits from public.teams where id = :'w_team'), 6, 'support adjusts a team wallet like a personal one');

/**
 * 5. The invariant, over personal and team wallets.
 */
select is_empty($$ select * from tests.ledger_violations() $$, 'the credit invariant holds after all of it');
select is_empty(format($$ select * from tests.lot_audit() a join public.credit_lots l on l.id = a.lot_id where l.user_id in (%L, %L, %L) $$,
  :'l_team', :'w_team', :'o_team'), 'every team lot is exactly its entries');
set local billing.applying_ledger = 'on';
update public.teams set credits = credits + 1, credits_granted = credits_granted + 1 where id = :'l_team';
set local billing.applying_ledger = 'off';
select is((select array_agg(distinct rule order by rule) from tests.ledger_violations() where user_id = :'l_team'),
  array['balance_is_ledger_sum', 'lots_hold_the_balance', 'totals_are_ledger_sums'],
  'a team wallet changed behind the ledger''s back is reported');

select * from finish();
rollback;
