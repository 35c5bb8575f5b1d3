-- Attacks on team invitations (issue 19's adversary pass): an invitation is the authority of
-- whoever sent it, so it dies with that authority (inviter removed, left, or no longer an admin);
-- an address nobody proved cannot take one (a GoTrue e-mail change not yet confirmed); look-alike
-- and control characters in an address are refused or stay a different address; an unknown link
-- answers the same whatever it looks like.
begin;
select plan(20);

delete from billing.email_outbox;

select tests.create_user(u) from unnest(array['ia_owner', 'ia_admin', 'ia_admin2', 'ia_admin3', 'ia_alt', 'ia_alt2', 'ia_alt3', 'ia_vic', 'ia_eve']) u;
select tests.act_as('ia_owner');
select public.create_team('Invite Attack Co') ->> 'team_id' as team \gset
select tests.reset_role();
insert into public.team_members (team_id, user_id, role, added_by)
select :'team', tests.get_user_id(u), 'admin', tests.get_user_id('ia_owner')
  from unnest(array['ia_admin', 'ia_admin2', 'ia_admin3']) u;

create function pg_temp.token_of(p_invitation text) returns text language sql as $$
  select o.params ->> 'token' from billing.email_outbox o where o.dedupe_key = 'team_invitation:' || p_invitation
$$;
create function pg_temp.mails() returns bigint language sql as $$ select count(*) from billing.email_outbox $$;

/* An admin invites their own other address as admin, then is removed: the link dies with them */

select tests.act_as('ia_admin');
select public.invite_member(:'team', 'ia_alt@tests.local', 'admin') ->> 'invitation_id' as alt_id \gset
select tests.act_as('ia_owner');
select public.remove_member(:'team', tests.get_user_id('ia_admin'));
select tests.reset_role();
select pg_temp.token_of(:'alt_id') as alt_token \gset
select is((select pg_catalog.format('%s %s', i.revoked_at is not null, i.revoked_by = tests.get_user_id('ia_owner'))
             from public.team_invitations i where i.id = :'alt_id'),
  't t', 'removing an admin revokes the invitations they sent (by whoever removed them)');
select tests.act_as('ia_alt');
select is(public.invitation_preview(:'alt_token') ->> 'status', 'revoked', 'the accept page says the link was withdrawn');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'alt_token'), 'PT409', 'invitation_revoked',
  'the removed admin''s other account cannot come back through an invitation they sent');
select tests.reset_role();
select is((select pg_catalog.count(*) from public.team_members m where m.team_id = :'team' and m.user_id = tests.get_user_id('ia_alt')),
  0::bigint, 'and is no member');

/* An admin demoted to member: what they sent as an admin no longer holds */

select tests.act_as('ia_admin2');
select public.invite_member(:'team', 'ia_alt2@tests.local', 'admin') ->> 'invitation_id' as alt2_id \gset
select tests.act_as('ia_owner');
select public.set_member_role(:'team', tests.get_user_id('ia_admin2'), 'member');
select tests.reset_role();
select pg_temp.token_of(:'alt2_id') as alt2_token \gset
select tests.act_as('ia_alt2');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'alt2_token'), 'PT409', 'invitation_revoked',
  'an invitation sent by an admin who is now a member does not work');

/* An admin who leaves: their open invitations end too */

select tests.act_as('ia_admin3');
select public.invite_member(:'team', 'ia_alt3@tests.local') ->> 'invitation_id' as alt3_id \gset
select public.leave_team(:'team');
select tests.reset_role();
select pg_temp.token_of(:'alt3_id') as alt3_token \gset
select tests.act_as('ia_alt3');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'alt3_token'), 'PT409', 'invitation_revoked',
  'an invitation sent by an admin who left does not work');

/* Still an admin (an owner made admin): what they sent stays valid */

select tests.act_as('ia_owner');
select public.invite_member(:'team', 'ia_vic@tests.local') ->> 'invitation_id' as vic_id \gset
select tests.reset_role();
insert into public.team_members (team_id, user_id, role, added_by) values (:'team', tests.get_user_id('ia_admin'), 'owner', tests.get_user_id('ia_owner'));
select tests.act_as('ia_admin');
select public.set_member_role(:'team', tests.get_user_id('ia_owner'), 'admin');
select tests.reset_role();
select is((select i.revoked_at from public.team_invitations i where i.id = :'vic_id'), null,
  'an owner made admin keeps the invitations they sent (an admin may invite)');

/* An address change nobody confirmed yet gives no claim on the new address */

-- GoTrue's e-mail change: the new address waits in email_change until its link is followed;
-- auth.users.email (and so public.users.email) stays the old, proven one.
select pg_temp.token_of(:'vic_id') as vic_token \gset
update auth.users set email_change = 'ia_vic@tests.local', email_change_sent_at = pg_catalog.now()
 where id = tests.get_user_id('ia_eve');
select tests.act_as('ia_eve');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'vic_token'), '42501', 'invitation_wrong_address',
  'an e-mail change to the invited address that is not confirmed yet does not let its requester accept');
select is(public.invitation_preview(:'vic_token') ->> 'for_you', 'false', 'nor does the accept page call the invitation theirs');
select tests.reset_role();

/* Addresses: look-alikes are other addresses, control and invisible characters are refused */

select tests.act_as('ia_owner');
-- Cyrillic і (U+0456) in place of the Latin i: a different mailbox, never the victim's.
select public.invite_member(:'team', e'ia_v\u0456c@tests.local') ->> 'invitation_id' as homo_id \gset
select tests.reset_role();
select pg_temp.token_of(:'homo_id') as homo_token \gset
select tests.act_as('ia_vic');
select throws_ok(pg_catalog.format($$ select public.accept_invitation(%L) $$, :'homo_token'), '42501', 'invitation_wrong_address',
  'a look-alike address is not the recruiter''s own');
select tests.act_as('ia_owner');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, %L) $$, :'team', e'ia_x\u0001y@tests.local'), '22023', 'invalid_email',
  'a C0 control character in an address is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, %L) $$, :'team', e'ia_x\u007fy@tests.local'), '22023', 'invalid_email',
  'DEL in an address is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, %L) $$, :'team', e'ia_x\u0085y@tests.local'), '22023', 'invalid_email',
  'NEL (a C1 line break) in an address is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, %L) $$, :'team', e'ia_\u202Emoc.live@tests.local'), '22023', 'invalid_email',
  'a bidi override (it shows the address reversed in the admins'' list) is refused');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, %L) $$, :'team', e'ia_x\u200By@tests.local'), '22023', 'invalid_email',
  'a zero-width space (an address that looks like another) is refused');

/* The sending limit cannot be multiplied by owning more teams */

-- One recruiter may own 20 teams; 50 mails per team per day would make them a relay of 1000.
select tests.act_as('ia_owner');
select public.create_team('Second Co') ->> 'team_id' as team2 \gset
select tests.reset_role();
select pg_temp.mails() as mails_before \gset
insert into public.team_invitations (team_id, email, role, token_hash, invited_by, expires_at, revoked_at, revoked_by)
select :'team', 'ia_bulk' || n || '@tests.local', 'member', pg_catalog.sha256(('ia_bulk' || n)::bytea), tests.get_user_id('ia_owner'),
       pg_catalog.now() + interval '7 days', pg_catalog.now(), tests.get_user_id('ia_owner')
  from pg_catalog.generate_series(1, billing.max_invitations_per_inviter_per_day()
                                       - (select pg_catalog.count(*)::int from public.team_invitations i
                                           where i.invited_by = tests.get_user_id('ia_owner'))) n;
select tests.act_as('ia_owner');
select throws_ok(pg_catalog.format($$ select public.invite_member(%L, 'ia_spam@tests.local') $$, :'team2'), 'PT409', 'too_many_invitations',
  'a recruiter who sent 50 invitations today cannot send more from another team they own');
select tests.reset_role();
select is(pg_temp.mails(), :'mails_before'::bigint, 'and no mail is queued');
update public.team_invitations set created_at = pg_catalog.now() - interval '25 hours' where email like 'ia_bulk%';
select tests.act_as('ia_owner');
select lives_ok(pg_catalog.format($$ select public.invite_member(%L, 'ia_spam@tests.local') $$, :'team2'),
  'the recruiter''s window is the last 24 hours too');
select tests.reset_role();

/* Guessing: every unknown link answers the same, whatever it looks like */

select tests.act_as_anon();
select throws_ok($$ select public.invitation_preview('garbage') $$, '22023', 'unknown_invitation', 'a malformed link: unknown_invitation');
select throws_ok($$ select public.invitation_preview(repeat('A', 43)) $$, '22023', 'unknown_invitation',
  'a well-formed link nobody was sent: the same error, so a guess learns nothing about the format either');
select tests.reset_role();

select * from finish();
rollback;
