-- Team invitations (20261125000950_team_invitations.sql): who may invite, revoke, accept and read
-- (owner, admin, member, removed member, outsider, anon), each rule of an invitation (one use, 7
-- days, the invited address only, revoked, replaced by a newer one, a deleted team), the seat and
-- sending limits, and the mail: written in the same transaction, never when the call fails, and
-- the token only there (the table keeps its sha256). Two accepts racing for one link are checked
-- by supabase/tests/api/team_invitations.test.ts, which needs two sessions.
begin;
select plan(94);

-- Mails of earlier files are out of the way (rolled back at the end).
delete from billing.email_outbox;

-- owner, admin, member, removed (was a member), outsider; invitees vic, wes, xan.
select tests.create_user(u) from unnest(array['owner', 'admin', 'member', 'removed', 'outsider', 'vic', 'wes', 'xan']) u;
select tests.act_as('owner');
select public.create_team('Acme Hiring') ->> 'team_id' as team \gset
select tests.reset_role();
insert into public.team_members (team_id, user_id, role, added_by)
select :'team', tests.get_user_id(u), r, tests.get_user_id('owner')
  from (values ('admin', 'admin'), ('member', 'member'), ('removed', 'member')) v(u, r);
select billing.end_membership(:'team', tests.get_user_id('removed'));

-- The token mailed for an invitation (read as the database owner: the API roles cannot).
create function pg_temp.token_of(p_invitation text) returns text language sql as $$
  select o.params ->> 'token' from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || p_invitation
$$;
create function pg_temp.mails() returns bigint language sql as $$ select count(*) from billing.email_outbox $$;

/* Who may invite */

select tests.act_as('owner');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'vic@tests.local') $$, :'team'), 'an owner invites');
select tests.act_as('admin');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'newadmin@tests.local', 'admin') $$, :'team'), 'an admin invites, an admin too');
select tests.act_as('member');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x1@tests.local') $$, :'team'), '42501', 'not_team_admin', 'a member may not invite');
select tests.act_as('removed');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x2@tests.local') $$, :'team'), '42501', 'not_team_member', 'a removed member may not invite');
select tests.act_as('outsider');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x3@tests.local') $$, :'team'), '42501', 'not_team_member', 'an outsider may not invite');
select tests.act_as_anon();
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x4@tests.local') $$, :'team'), '42501', null, 'anon may not invite');
select tests.reset_role();
select is(pg_temp.mails(), 2::bigint, 'only the two invitations that worked queued a mail');

/* Arguments */

select tests.act_as('owner');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x5@tests.local', 'owner') $$, :'team'), '22023', 'invalid_role',
  'owner is not a role one invites to (owners promote members later)');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x5@tests.local', null) $$, :'team'), '22023', 'invalid_role', 'a null role is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'x5@tests.local', 'boss') $$, :'team'), '22023', 'invalid_role', 'an unknown role is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'not an address') $$, :'team'), '22023', 'invalid_email', 'an address without @ is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'a@b') $$, :'team'), '22023', 'invalid_email', 'an address without a dotted domain is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, null) $$, :'team'), '22023', 'invalid_email', 'a null address is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'Member@Tests.Local') $$, :'team'), 'PT409', 'already_member',
  'a member''s address (in any case) is refused: already_member');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'owner@tests.local', 'admin') $$, :'team'), 'PT409', 'already_member',
  'the owner''s own address too');
select tests.reset_role();
select is(pg_temp.mails(), 2::bigint, 'no refused call queued a mail');

/* What is stored and mailed */

select tests.act_as('owner');
select public.invite_member(:'team', '  Wes@TESTS.local ') as wes \gset
select tests.reset_role();
select is(pg_catalog.array_agg(k order by k), array['email', 'expires_at', 'invitation_id', 'replaced', 'role', 'team_id'],
  'invite_member returns {invitation_id, team_id, email, role, expires_at, replaced}')
  from pg_catalog.jsonb_object_keys(:'wes'::jsonb) k;
select :'wes'::jsonb ->> 'invitation_id' as wes_id \gset
select is((select pg_catalog.format('%s %s %s %s', i.email, i.role, i.invited_by = tests.get_user_id('owner'), i.expires_at = i.created_at + interval '7 days')
             from public.team_invitations i where i.id = :'wes_id'),
  'wes@tests.local member t t', 'stored trimmed and lower-cased, role member by default, the inviter, expiring after 7 days');
select is((select pg_catalog.format('%s %s %s', o.to_address, o.template, o.status) from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || :'wes_id'),
  'wes@tests.local team_invitation pending', 'one mail queued in the same transaction, to the invited address');
select is((select pg_catalog.array_agg(k order by k) from billing.email_outbox o, pg_catalog.jsonb_object_keys(o.params) k where o.dedupe_key = 'team_invitation:' || :'wes_id'),
  array['expires_at', 'invited_by', 'role', 'team_name', 'token'], 'its params are those of the team_invitation template');
select is((select o.params - 'token' - 'expires_at' from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || :'wes_id'),
  '{"team_name": "Acme Hiring", "invited_by": "owner", "role": "member"}'::jsonb, 'the mail names the team, the inviter and the role');
select ok(pg_temp.token_of(:'wes_id') ~ '^[A-Za-z0-9_-]{43}$', 'the token is 32 random bytes as 43 base64url characters');
select is((select i.token_hash from public.team_invitations i where i.id = :'wes_id'), pg_catalog.sha256(pg_catalog.convert_to(pg_temp.token_of(:'wes_id'), 'UTF8')),
  'the table keeps the token''s sha256');
select is_empty(pg_catalog.format($$ select 1 from public.team_invitations i
                                     where pg_catalog.row_to_json(i)::text like '%%' || %L || '%%'
                                        or pg_catalog.encode(i.token_hash, 'escape') like '%%' || %L || '%%' $$,
                                  pg_temp.token_of(:'wes_id'), pg_temp.token_of(:'wes_id')),
  'and never the token in clear');
select isnt(pg_temp.token_of(:'wes_id'), (select pg_temp.token_of(i.id::text) from public.team_invitations i where i.email = 'vic@tests.local'),
  'each invitation has its own token');

/* Reading the table */

select ok(not pg_catalog.has_column_privilege('authenticated', 'public.team_invitations', 'token_hash', 'select'), 'authenticated cannot read token_hash');
select ok(not pg_catalog.has_column_privilege('service_role', 'public.team_invitations', 'token_hash', 'select'), 'service_role cannot read token_hash');
select ok(not pg_catalog.has_table_privilege('anon', 'public.team_invitations', 'select'), 'anon cannot read invitations');
select ok(not pg_catalog.has_table_privilege('authenticated', 'public.team_invitations', 'insert, update, delete'), 'nobody writes invitations but the functions');
select tests.act_as('owner');
select is((select pg_catalog.count(*) from public.team_invitations), 3::bigint, 'the owner reads the team''s invitations');
select throws_ok($$ select token_hash from public.team_invitations $$, '42501', null, 'but not their token_hash');
select tests.act_as('admin');
select is((select pg_catalog.count(*) from public.team_invitations), 3::bigint, 'an admin reads the team''s invitations');
select tests.act_as('member');
select is((select pg_catalog.count(*) from public.team_invitations), 0::bigint, 'a member reads none');
select tests.act_as('removed');
select is((select pg_catalog.count(*) from public.team_invitations), 0::bigint, 'a removed member reads none');
select tests.act_as('outsider');
select is((select pg_catalog.count(*) from public.team_invitations), 0::bigint, 'an outsider reads none');
select tests.act_as('wes');
select is((select pg_catalog.count(*) from public.team_invitations), 0::bigint, 'nor does the invitee (the mail is theirs, the team''s list is not)');

/* The accept page */

select tests.reset_role();
select pg_temp.token_of(:'wes_id') as wes_token \gset
select i.expires_at as wes_expires from public.team_invitations i where i.id = :'wes_id' \gset
select tests.act_as_anon();
select is(public.invitation_preview(:'wes_token'),
  pg_catalog.jsonb_build_object('team_name', 'Acme Hiring', 'invited_by', 'owner', 'role', 'member',
    'expires_at', :'wes_expires'::timestamptz, 'status', 'open', 'signed_in', false,
    'for_you', null, 'email', 'w…@tests.local', 'already_member', false),
  'signed out, the link shows what the mail says and the address masked');
select tests.act_as('outsider');
select is(public.invitation_preview(:'wes_token') - 'expires_at',
  '{"team_name": "Acme Hiring", "invited_by": "owner", "role": "member", "status": "open", "signed_in": true, "for_you": false, "email": "w…@tests.local", "already_member": false}'::jsonb,
  'someone else signed in: not for them, the address masked');
select tests.act_as('wes');
select is(public.invitation_preview(:'wes_token') ->> 'email', 'wes@tests.local', 'the invitee sees the address in full');
select is(public.invitation_preview(:'wes_token') ->> 'for_you', 'true', 'and that it is for them');
select throws_ok($$ select public.invitation_preview('garbage') $$, '22023', 'unknown_invitation', 'a malformed token is unknown_invitation');
select throws_ok($$ select public.invitation_preview(repeat('A', 43)) $$, '22023', 'unknown_invitation', 'a well-formed token nobody was sent is unknown_invitation');

/* Accepting */

select tests.act_as_anon();
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', null, 'anon cannot accept');
select tests.act_as('outsider');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', 'invitation_wrong_address',
  'another signed-in recruiter holding the link cannot accept it');
select tests.act_as('member');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', 'invitation_wrong_address',
  'nor can a member of the team');
select is(public.invitation_preview(:'wes_token') ->> 'email', 'w…@tests.local', 'whom it is for stays masked to a member');
select tests.act_as('admin');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', 'invitation_wrong_address',
  'nor an admin');
select tests.act_as('owner');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', 'invitation_wrong_address',
  'nor the owner who sent it');
select is(public.invitation_preview(:'wes_token') ->> 'email', 'w…@tests.local', 'and to the owner (the team''s list shows it to owners and admins)');
select tests.act_as('removed');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), '42501', 'invitation_wrong_address',
  'nor a removed member');
select throws_ok($$ select public.accept_invitation('garbage') $$, '22023', 'unknown_invitation', 'a malformed token is unknown_invitation');
select throws_ok($$ select public.accept_invitation(null) $$, '22023', 'unknown_invitation', 'a missing token is unknown_invitation');
select tests.act_as('wes');
select is(public.accept_invitation(:'wes_token'), pg_catalog.jsonb_build_object('team_id', :'team', 'team_name', 'Acme Hiring', 'role', 'member'),
  'the invitee accepts: {team_id, team_name, role}');
select tests.reset_role();
select is((select pg_catalog.format('%s %s', m.role, m.added_by = tests.get_user_id('owner')) from public.team_members m
            where m.team_id = :'team' and m.user_id = tests.get_user_id('wes')),
  'member t', 'they are a member with the invitation''s role, added by the inviter');
select is((select pg_catalog.format('%s %s', i.accepted_at is not null, i.accepted_by = tests.get_user_id('wes')) from public.team_invitations i where i.id = :'wes_id'),
  't t', 'the invitation is used, by them');
select tests.act_as('wes');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'wes_token'), 'PT409', 'invitation_used', 'the link works once');
select is(public.invitation_preview(:'wes_token') ->> 'status', 'used', 'the accept page says it was used');
select is(public.invitation_preview(:'wes_token') ->> 'already_member', 'true', 'and that they are a member');
select tests.act_as('owner');
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'wes_id'), 'PT409', 'invitation_used', 'an accepted invitation cannot be revoked');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'wes@tests.local') $$, :'team'), 'PT409', 'already_member', 'nor its address invited again');

-- An address nobody confirmed is not anyone's yet: whoever signed up with it cannot take its invitation.
select tests.reset_role();
update auth.users set email_confirmed_at = null where id = tests.get_user_id('vic');
select i.id as vic_id from public.team_invitations i where i.email = 'vic@tests.local' \gset
select pg_temp.token_of(:'vic_id') as vic_token \gset
select tests.act_as('vic');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'vic_token'), '42501', 'invitation_wrong_address',
  'an account whose address is not confirmed cannot accept');
select tests.reset_role();
update auth.users set email_confirmed_at = pg_catalog.now() where id = tests.get_user_id('vic');

-- Expired.
update public.team_invitations set expires_at = pg_catalog.now() - interval '1 second' where id = :'vic_id';
select tests.act_as('vic');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'vic_token'), 'PT409', 'invitation_expired', 'an expired link is refused');
select is(public.invitation_preview(:'vic_token') ->> 'status', 'expired', 'the accept page says it expired');

/* Inviting again replaces the open invitation */

select tests.act_as('owner');
select public.invite_member(:'team', 'vic@tests.local', 'admin') as vic2 \gset
select tests.reset_role();
select is(:'vic2'::jsonb ->> 'replaced', :'vic_id', 'inviting an open (here expired) address again replaces its invitation');
select :'vic2'::jsonb ->> 'invitation_id' as vic2_id \gset
select pg_temp.token_of(:'vic2_id') as vic2_token \gset
select is((select pg_catalog.format('%s %s', i.revoked_at is not null, i.replaced_by) from public.team_invitations i where i.id = :'vic_id'),
  't ' || :'vic2_id', 'the old one is revoked and names its replacement');
select is((select pg_catalog.count(*) from public.team_invitations i where i.email = 'vic@tests.local' and i.accepted_at is null and i.revoked_at is null),
  1::bigint, 'one open invitation per address and team');
select is((select pg_catalog.count(*) from billing.email_outbox o where o.to_address = 'vic@tests.local'), 2::bigint, 'and a new mail');
select tests.act_as('vic');
select is(tests.error_of(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'vic_token')) - 'hint',
  pg_catalog.jsonb_build_object('code', 'PT409', 'message', 'invitation_revoked', 'detail', pg_catalog.jsonb_build_object('team_id', :'team', 'replaced', true)::text),
  'the old link is dead (invitation_revoked, detail.replaced: the newest mail has the working link)');
select is(public.accept_invitation(:'vic2_token') ->> 'role', 'admin', 'the new link works, with the new role');

/* Revoking */

select tests.act_as('admin');
select public.invite_member(:'team', 'xan@tests.local') ->> 'invitation_id' as xan_id \gset
select tests.reset_role();
select pg_temp.token_of(:'xan_id') as xan_token \gset
select tests.act_as('member');
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'xan_id'), '42501', 'not_team_admin', 'a member may not revoke');
select tests.act_as('removed');
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'xan_id'), '42501', 'not_team_member', 'a removed member may not revoke');
select tests.act_as('outsider');
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'xan_id'), '42501', 'not_team_member', 'an outsider may not revoke');
select tests.act_as('xan');
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'xan_id'), '42501', 'not_team_member', 'nor may the invitee');
select tests.act_as_anon();
select throws_ok(pg_catalog.format($$ select public.revoke_invitation(%L) $$, :'xan_id'), '42501', null, 'anon may not revoke');
select tests.act_as('admin');
select throws_ok($$ select public.revoke_invitation(gen_random_uuid()) $$, '22023', 'unknown_invitation', 'an unknown id is unknown_invitation');
select is(public.revoke_invitation(:'xan_id') - 'revoked_at', pg_catalog.jsonb_build_object('invitation_id', :'xan_id', 'team_id', :'team', 'email', 'xan@tests.local'),
  'an admin revokes: {invitation_id, team_id, email, revoked_at}');
select tests.act_as('owner');
select is((public.revoke_invitation(:'xan_id') ->> 'revoked_at')::timestamptz, (select i.revoked_at from public.team_invitations i where i.id = :'xan_id'),
  'revoking again changes nothing');
select tests.act_as('xan');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'xan_token'), 'PT409', 'invitation_revoked', 'a revoked link is refused');
select is(public.invitation_preview(:'xan_token') ->> 'status', 'revoked', 'the accept page says it was withdrawn');

/* Seats */

-- Members now: owner, admin, member, wes, vic = 5; open: newadmin = 1.
select tests.reset_role();
update public.teams set seat_limit = 7 where id = :'team';
select tests.act_as('owner');
select public.invite_member(:'team', 'xan@tests.local') ->> 'invitation_id' as xan2_id \gset
select is(tests.error_of(pg_catalog.format($$ select public.invite_member(%L, 'yan@tests.local') $$, :'team')) - 'hint',
  pg_catalog.jsonb_build_object('code', 'PT409', 'message', 'team_full', 'detail', pg_catalog.jsonb_build_object('team_id', :'team', 'seat_limit', 7, 'taken', 7)::text),
  'members + open invitations may not pass the seat limit: team_full');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'xan@tests.local') $$, :'team'),
  'inviting an open address again takes no second seat');
select tests.reset_role();
update public.team_invitations set expires_at = pg_catalog.now() - interval '1 second' where email = 'newadmin@tests.local';
select tests.act_as('owner');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'yan@tests.local') $$, :'team'), 'an expired invitation holds no seat');
select tests.reset_role();
select pg_temp.token_of(i.id::text) as xan3_token from public.team_invitations i where i.email = 'xan@tests.local' and i.revoked_at is null \gset
update public.teams set seat_limit = 5 where id = :'team';
select tests.act_as('xan');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'xan3_token'), 'PT409', 'team_full', 'a full team is checked again at accept');
select tests.reset_role();
update public.teams set seat_limit = 100 where id = :'team';

-- A member by then (here: put in by hand) cannot take the invitation too.
insert into public.team_members (team_id, user_id, role, added_by) values (:'team', tests.get_user_id('xan'), 'member', tests.get_user_id('owner'));
select tests.act_as('xan');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'xan3_token'), 'PT409', 'already_member', 'a member cannot accept again');
select tests.reset_role();
delete from public.team_members where team_id = :'team' and user_id = tests.get_user_id('xan');

/* Sending limit */

select pg_temp.mails() as mails_before \gset
insert into public.team_invitations (team_id, email, role, token_hash, invited_by, expires_at, revoked_at, revoked_by)
select :'team', 'bulk' || n || '@tests.local', 'member', pg_catalog.sha256(('bulk' || n)::bytea), tests.get_user_id('owner'),
       pg_catalog.now() + interval '7 days', pg_catalog.now(), tests.get_user_id('owner')
  from pg_catalog.generate_series(1, billing.max_team_invitations_per_day() - (select pg_catalog.count(*)::int from public.team_invitations i where i.team_id = :'team')) n;
select tests.act_as('owner');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'zed@tests.local') $$, :'team'), 'PT409', 'too_many_invitations',
  'at most 50 invitation mails per team in 24 hours');
select tests.reset_role();
update public.team_invitations set created_at = pg_catalog.now() - interval '25 hours' where email like 'bulk%';
select tests.act_as('owner');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'zed@tests.local') $$, :'team'), 'the window is the last 24 hours');
select tests.reset_role();
select is(pg_temp.mails(), :'mails_before'::bigint + 1, 'the refused invitation queued no mail');

/* A removed member invited again joins again */

select tests.act_as('admin');
select public.invite_member(:'team', 'removed@tests.local') ->> 'invitation_id' as back_id \gset
select tests.reset_role();
select pg_temp.token_of(:'back_id') as back_token \gset
select tests.act_as('removed');
select is(public.accept_invitation(:'back_token') ->> 'role', 'member', 'a removed member accepts a new invitation and is a member again');
select tests.reset_role();

/* Deleting the team kills its invitations */

select i.id as zed_id from public.team_invitations i where i.email = 'zed@tests.local' \gset
select pg_temp.token_of(:'zed_id') as zed_token \gset
select tests.create_user('zed');
select tests.act_as('owner');
select lives_ok(pg_catalog.format($$ select public.delete_team(%L) $$, :'team'), 'the owner deletes the team');
select tests.reset_role();
select is_empty(pg_catalog.format($$ select 1 from public.team_invitations i where i.team_id = %L and i.accepted_at is null and i.revoked_at is null $$, :'team'),
  'delete_team revokes every open invitation');
select is((select pg_catalog.count(*) from public.team_invitations i where i.team_id = :'team' and i.accepted_at is not null), 3::bigint,
  'the accepted ones stay as they were');
select tests.act_as('zed');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'zed_token'), 'PT409', 'invitation_revoked', 'a deleted team''s link is dead');

-- Even an invitation delete_team did not revoke (written by hand) dies with its team.
select tests.reset_role();
update public.team_invitations set revoked_at = null, revoked_by = null where id = :'zed_id';
select tests.act_as('zed');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'zed_token'), 'PT409', 'invitation_revoked', 'a deleted team''s invitation cannot be accepted whatever its row says');
select is(public.invitation_preview(:'zed_token') ->> 'status', 'revoked', 'and the accept page says so');
select tests.reset_role();

select * from finish();
rollback;
