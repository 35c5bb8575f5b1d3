-- A member's monthly limit is the owners' decision (only owners set limits). An admin may remove a
-- member and invite them again, but that must not wipe the limit or this month's usage: the
-- membership that comes back carries both (issue 19's adversary pass: before, the new row had no
-- limit and 0 used, so an admin could lift an owner's limit by removing and re-inviting).
begin;
select plan(7);

delete from billing.email_outbox;
select tests.create_user(u) from unnest(array['lr_owner', 'lr_admin', 'lr_mem', 'lr_free']) u;
select tests.act_as('lr_owner');
select public.create_team('Limit Co') ->> 'team_id' as team \gset
select tests.reset_role();
insert into public.team_members (team_id, user_id, role, added_by)
values (:'team', tests.get_user_id('lr_admin'), 'admin', tests.get_user_id('lr_owner')),
       (:'team', tests.get_user_id('lr_mem'), 'member', tests.get_user_id('lr_owner')),
       (:'team', tests.get_user_id('lr_free'), 'member', tests.get_user_id('lr_owner'));
select billing.apply_credit_change(:'team', 100, 'grant', 'tests', 'setup', null, null, null, null) is not null as granted \gset

create function pg_temp.rejoin(p_who text) returns void language plpgsql as $$
declare
  v_team uuid := (select t.id from public.teams t where t.name = 'Limit Co');
  v_invitation uuid;
  v_token text;
begin
  perform tests.act_as('lr_admin');
  perform public.remove_member(v_team, tests.get_user_id(p_who));
  v_invitation := (public.invite_member(v_team, p_who || '@tests.local') ->> 'invitation_id')::uuid;
  perform tests.reset_role();
  v_token := (select o.params ->> 'token' from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || v_invitation);
  perform tests.act_as(p_who);
  perform public.accept_invitation(v_token);
  perform tests.reset_role();
end;
$$;

select tests.act_as('lr_owner');
select public.set_member_limit(:'team', tests.get_user_id('lr_mem'), 5);
select tests.act_as('lr_mem');
select lives_ok(pg_catalog.format($$ select public.deduct_credits(5, 'spend', 'lr-1', %L) $$, :'team'), 'the member spends their limit');
select tests.reset_role();

select pg_temp.rejoin('lr_mem');
select is((select pg_catalog.format('%s %s', m.monthly_limit, m.used_this_month) from public.team_members m
            where m.team_id = :'team' and m.user_id = tests.get_user_id('lr_mem')),
  '5 5', 'removed and invited again by an admin, they come back with the owner''s limit and this month''s usage');
select tests.act_as('lr_mem');
select throws_ok(pg_catalog.format($$ select public.deduct_credits(1, 'spend', 'lr-2', %L) $$, :'team'), 'PT402', 'member_limit_reached',
  'so they cannot spend past the limit after the round trip');
select tests.reset_role();

-- The memory is used once: it is gone once they are back.
select is((select pg_catalog.count(*)::int from billing.former_team_members f where f.team_id = :'team' and f.user_id = tests.get_user_id('lr_mem')),
  0, 'what was kept is consumed when they come back');

-- Usage counted last month does not follow them into this one.
select tests.act_as('lr_admin');
select public.remove_member(:'team', tests.get_user_id('lr_mem'));
select tests.reset_role();
update billing.former_team_members set usage_month = (billing.current_month() - interval '1 month')::date
 where team_id = :'team' and user_id = tests.get_user_id('lr_mem');
select tests.act_as('lr_admin');
select public.invite_member(:'team', 'lr_mem@tests.local') ->> 'invitation_id' as inv \gset
select tests.reset_role();
select o.params ->> 'token' as tok from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || :'inv' \gset
select tests.act_as('lr_mem');
select public.accept_invitation(:'tok');
select lives_ok(pg_catalog.format($$ select public.deduct_credits(5, 'spend', 'lr-3', %L) $$, :'team'),
  'last month''s usage is last month''s: the limit is whole again this month');
select tests.reset_role();

-- A member without a limit comes back without one (nothing is invented).
select pg_temp.rejoin('lr_free');
select is((select pg_catalog.format('%s %s', coalesce(m.monthly_limit::text, 'none'), m.role) from public.team_members m
            where m.team_id = :'team' and m.user_id = tests.get_user_id('lr_free')),
  'none member', 'a member who had no limit has none after coming back');

-- An owner still decides: they may lift it.
select tests.act_as('lr_owner');
select lives_ok(pg_catalog.format($$ select public.set_member_limit(%L, %L, null) $$, :'team', tests.get_user_id('lr_mem')),
  'an owner lifts the limit as before');
select tests.reset_role();

select * from finish();
rollback;
