-- The membership matrix for functions: every team function and every function that takes a
-- team_id, called as the team's owner, an admin, a member, a removed member, an outsider and anon,
-- each answering "ok" or its exact error. Every call runs in its own subtransaction that is rolled
-- back (pg_temp.outcome), so the matrix reads one unchanged team. The rules behind the answers
-- (last owner, credits on delete, limits, usage, lots of a team wallet) are in team_rules.test.sql.
begin;
select plan(3);

select tests.create_user(u) from unnest(array['tf_owner', 'tf_admin', 'tf_member', 'tf_removed', 'tf_outsider']) u;
select tests.create_team('tf_owner', 'Function matrix') as team \gset
select tests.add_member(:'team', 'tf_admin', 'admin'), tests.add_member(:'team', 'tf_member'),
       tests.add_member(:'team', 'tf_removed');
select tests.give_wallet_credits(:'team', 50);

-- One interview each of the member, the admin and the member who is removed afterwards.
create function pg_temp.interview_of(p_name text, p_team uuid) returns uuid language plpgsql as $$
declare v_id uuid;
begin
  perform tests.act_as(p_name);
  v_id := (public.create_interview('Matrix ' || p_name, null, 30, 'technical', 'k-' || p_name, p_team) ->> 'interview_id')::uuid;
  perform tests.reset_role();
  return v_id;
end $$;
select pg_temp.interview_of('tf_member', :'team') as im, pg_temp.interview_of('tf_admin', :'team') as ia,
       pg_temp.interview_of('tf_removed', :'team') as ir \gset
-- The member removed below cancelled one of their interviews with a key first.
select (public.create_interview('Cancelled', null, 30, 'technical', null, :'team') ->> 'interview_id') as irc
  from tests.act_as('tf_removed') \gset
select public.cancel_interview(:'irc', 'c-tf_removed');
select tests.reset_role();
select tests.act_as('tf_owner');
select public.remove_member(:'team', tests.get_user_id('tf_removed'));
select tests.reset_role();

-- 'ok' when the call succeeded, else its SQLSTATE and message; either way its effects are undone.
create function pg_temp.outcome(p_sql text) returns text language plpgsql as $$
declare
  v_code text;
  v_message text;
begin
  execute p_sql;
  raise exception using errcode = 'P0001', message = 'matrix_call_succeeded';
exception when others then
  get stacked diagnostics v_code = returned_sqlstate, v_message = message_text;
  return case when v_message = 'matrix_call_succeeded' then 'ok' else v_code || ' ' || v_message end;
end $$;

-- The calls (%ME% is the caller; service: run as the service role for that caller as the buyer)
-- and, per role, the answer: ok, or the error (NM not_team_member, NA not_team_admin,
-- NO not_team_owner, P: anon has no privilege at all).
create temporary table calls (seq int primary key, label text, sql text, service boolean,
  owner text, admin text, member text, removed text, outsider text);
insert into calls values
  (1, 'create_team', $$ select public.create_team('Another team') $$, false, 'ok', 'ok', 'ok', 'ok', 'ok'),
  (2, 'rename_team', $$ select public.rename_team('%T%', 'Renamed') $$, false, 'ok', 'ok', 'NA', 'NM', 'NM'),
  (3, 'delete_team (credits left)', $$ select public.delete_team('%T%') $$, false, 'PT409 team_has_credits', 'NO', 'NO', 'NM', 'NM'),
  (4, 'set_member_role member -> admin', $$ select public.set_member_role('%T%', '%MEMBER%', 'admin') $$, false, 'ok', 'ok', 'NA', 'NM', 'NM'),
  (5, 'set_member_role admin -> owner', $$ select public.set_member_role('%T%', '%ADMIN%', 'owner') $$, false, 'ok', 'NO', 'NA', 'NM', 'NM'),
  (6, 'set_member_role member -> owner', $$ select public.set_member_role('%T%', '%MEMBER%', 'owner') $$, false, 'ok', 'NO', 'NA', 'NM', 'NM'),
  (7, 'set_member_role last owner -> admin', $$ select public.set_member_role('%T%', '%OWNER%', 'admin') $$, false, 'PT409 last_owner', 'NO', 'NA', 'NM', 'NM'),
  (8, 'set_member_role removed member', $$ select public.set_member_role('%T%', '%REMOVED%', 'admin') $$, false, '22023 unknown_member', '22023 unknown_member', 'NA', 'NM', 'NM'),
  (9, 'remove_member a member', $$ select public.remove_member('%T%', '%MEMBER%') $$, false, 'ok', 'ok', 'NA', 'NM', 'NM'),
  (10, 'remove_member an admin', $$ select public.remove_member('%T%', '%ADMIN%') $$, false, 'ok', 'ok', 'NA', 'NM', 'NM'),
  (11, 'remove_member the last owner', $$ select public.remove_member('%T%', '%OWNER%') $$, false, 'PT409 last_owner', 'NO', 'NA', 'NM', 'NM'),
  (12, 'leave_team', $$ select public.leave_team('%T%') $$, false, 'PT409 last_owner', 'ok', 'ok', 'NM', 'NM'),
  (13, 'set_member_limit', $$ select public.set_member_limit('%T%', '%MEMBER%', 10) $$, false, 'ok', 'NO', 'NO', 'NM', 'NM'),
  (14, 'set_member_limit on oneself', $$ select public.set_member_limit('%T%', '%ME%', null) $$, false, 'ok', 'NO', 'NO', 'NM', 'NM'),
  (15, 'set_team_limit', $$ select public.set_team_limit('%T%', 100) $$, false, 'ok', 'NO', 'NO', 'NM', 'NM'),
  (16, 'team_members_usage', $$ select public.team_members_usage('%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (17, 'my_workspaces', $$ select public.my_workspaces() $$, false, 'ok', 'ok', 'ok', 'ok', 'ok'),
  (18, 'deduct_credits team', $$ select public.deduct_credits(1, null, null, '%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (19, 'deduct_credits team, keyed', $$ select public.deduct_credits(1, null, 'matrix-key', '%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (20, 'create_interview team', $$ select public.create_interview('Matrix', null, 30, 'technical', null, '%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (21, 'create_interview replaying a key used in the team', $$ select public.create_interview('Matrix %NAME%', null, 30, 'technical', 'k-%NAME%', '%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (22, 'billing_summary team', $$ select public.billing_summary('%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (23, 'credit_history team', $$ select public.credit_history(null, 50, '%T%') $$, false, 'ok', 'ok', 'ok', 'NM', 'NM'),
  (24, 'cancel_interview the member''s', $$ select public.cancel_interview('%IM%') $$, false, 'ok', 'ok', 'ok', '22023 unknown_interview', '22023 unknown_interview'),
  (25, 'cancel_interview the admin''s', $$ select public.cancel_interview('%IA%') $$, false, 'ok', 'ok', '22023 unknown_interview', '22023 unknown_interview', '22023 unknown_interview'),
  (26, 'cancel_interview the removed member''s', $$ select public.cancel_interview('%IR%') $$, false, 'ok', 'ok', '22023 unknown_interview', '22023 unknown_interview', '22023 unknown_interview'),
  (27, 'cancel_interview replaying a key of a cancelled one', $$ select public.cancel_interview('%IRC%', 'c-%NAME%') $$, false, 'ok', 'ok', '22023 unknown_interview', '22023 unknown_interview', '22023 unknown_interview'),
  (28, 'record_checkout for the team (service role, caller as buyer)', $$ select public.record_checkout('%ME%', 'pack_5', 'local', 'cs_tfm_' || gen_random_uuid(), '%T%') $$, true, 'ok', 'ok', 'NA', 'NA', 'NA');

create temporary table roles (role text primary key, name text);
insert into roles values ('owner', 'tf_owner'), ('admin', 'tf_admin'), ('member', 'tf_member'),
  ('removed', 'tf_removed'), ('outsider', 'tf_outsider'), ('anon', null);

create temporary table outcomes (seq int, role text, outcome text);
create function pg_temp.run_as(p_role text, p_name text, p_team uuid, p_ids jsonb) returns void language plpgsql as $$
declare
  v_call calls;
  v_sql text;
  v_outcome text;
begin
  for v_call in select * from calls order by seq loop
    v_sql := replace(replace(replace(replace(replace(replace(replace(replace(replace(v_call.sql,
      '%T%', p_team::text), '%ME%', coalesce(tests.get_user_id(coalesce(p_name, 'tf_outsider'))::text, '')),
      '%MEMBER%', p_ids ->> 'member'), '%ADMIN%', p_ids ->> 'admin'), '%OWNER%', p_ids ->> 'owner'),
      '%REMOVED%', p_ids ->> 'removed'), '%IM%', p_ids ->> 'im'), '%IA%', p_ids ->> 'ia'), '%IR%', p_ids ->> 'ir');
    v_sql := replace(v_sql, '%IRC%', p_ids ->> 'irc');
    v_sql := replace(v_sql, '%NAME%', coalesce(p_name, 'anon'));
    if p_name is null then
      perform tests.act_as_anon();
    elsif v_call.service then
      perform tests.act_as_service_role();
    else
      perform tests.act_as(p_name);
    end if;
    v_outcome := pg_temp.outcome(v_sql);
    perform tests.reset_role();
    insert into outcomes values (v_call.seq, p_role, v_outcome);
  end loop;
end $$;
select pg_temp.run_as(r.role, r.name, :'team', jsonb_build_object(
         'member', tests.get_user_id('tf_member'), 'admin', tests.get_user_id('tf_admin'),
         'owner', tests.get_user_id('tf_owner'), 'removed', tests.get_user_id('tf_removed'),
         'im', :'im', 'ia', :'ia', 'ir', :'ir', 'irc', :'irc'))
  from roles r;

create temporary table expected as
select c.seq, r.role,
       case x.short when 'NM' then '42501 not_team_member' when 'NA' then '42501 not_team_admin'
                    when 'NO' then '42501 not_team_owner' else x.short end as outcome
  from calls c, roles r,
       lateral (select case r.role when 'owner' then c.owner when 'admin' then c.admin when 'member' then c.member
                                   when 'removed' then c.removed when 'outsider' then c.outsider end as short) x
 where r.role <> 'anon';

select results_eq(
  $$ select c.label, o.role, o.outcome from outcomes o join calls c using (seq) where o.role <> 'anon' order by o.seq, o.role $$,
  $$ select c.label, e.role, e.outcome from expected e join calls c using (seq) order by e.seq, e.role $$,
  'every team function answers owner, admin, member, removed member and outsider as the roles say');
select is_empty(
  $$ select c.label, o.outcome from outcomes o join calls c using (seq)
      where o.role = 'anon' and o.outcome not like '42501 permission denied for function %' $$,
  'anon may call none of them (no privilege)');
select is_empty($$ select * from tests.ledger_violations() $$,
  'the credit invariant holds with the team wallet in it');

select * from finish();
rollback;
