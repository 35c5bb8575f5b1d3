-- Team invitations: owners and admins invite an address; the invitee follows the mailed link
-- ${SITE_URL}/invite/<token> and, signed in with that address (or after signing up with it),
-- accepts and becomes a member. A link works once, for 7 days, for the invited address only, and
-- dies when revoked, when the address is invited again (the new mail's link replaces it) or when
-- the team is deleted.
--
-- The token is 32 random bytes (base64url, 43 characters). Only its sha256 is stored: the token
-- itself exists in the outbox mail's params until the mail is sent (billing.email_templates
-- marks it secret, so the sender scrubs it), then only in the recipient's mailbox. Nobody reading
-- the database, a dump or the dashboard can accept someone else's invitation.
--
-- Seats: members + open (unexpired) invitations never pass teams.seat_limit when inviting; at
-- accept the membership itself is checked again (support may have lowered the limit).
-- Invitations and membership changes of one team run one at a time (billing.lock_team_membership).

/**
  * Section - Settings
 */

create or replace function billing.invitation_lifetime()
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select interval '7 days';
$$;
comment on function billing.invitation_lifetime() is
  'How long an invitation link works after it was sent (or sent again).';
revoke execute on function billing.invitation_lifetime() from public, anon, authenticated, service_role;

create or replace function billing.max_team_invitations_per_day()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 50;
$$;
comment on function billing.max_team_invitations_per_day() is
  'Most invitation mails one team may send in 24 hours (sending one again counts): invite_member refuses more (too_many_invitations), so nobody uses our sender to spam.';
revoke execute on function billing.max_team_invitations_per_day() from public, anon, authenticated, service_role;

create or replace function billing.max_invitations_per_inviter_per_day()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 50;
$$;
comment on function billing.max_invitations_per_inviter_per_day() is
  'Most invitation mails one recruiter may send in 24 hours over all their teams: invite_member refuses more (too_many_invitations, detail.scope inviter). Without it, owning 20 teams would make one account a relay of 1000 mails a day.';
revoke execute on function billing.max_invitations_per_inviter_per_day() from public, anon, authenticated, service_role;

/**
  * Section - Table
 */

create table public.team_invitations (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  team_id uuid not null references public.teams (id),
  email text not null check (email = pg_catalog.lower(pg_catalog.btrim(email))),
  role text not null check (role in ('admin', 'member')),
  token_hash bytea not null unique check (pg_catalog.octet_length(token_hash) = 32),
  invited_by uuid not null,
  created_at timestamptz not null default pg_catalog.now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid,
  revoked_at timestamptz,
  revoked_by uuid,
  replaced_by uuid references public.team_invitations (id),
  constraint team_invitations_accepted_together check ((accepted_at is null) = (accepted_by is null)),
  constraint team_invitations_used_or_revoked check (accepted_at is null or revoked_at is null),
  constraint team_invitations_replaced_is_revoked check (replaced_by is null or revoked_at is not null)
);

comment on table public.team_invitations is
  'Invitations to join a team, one row per mail sent. Open = neither accepted nor revoked (and, to be usable, not expired); at most one open row per (team, email). Written only by invite_member, revoke_invitation, accept_invitation and delete_team; owners and admins of the team read its rows (all columns but token_hash).';
comment on column public.team_invitations.id is 'Invitation id (what revoke_invitation takes); also in the outbox mail''s dedupe key team_invitation:<id>.';
comment on column public.team_invitations.team_id is 'The team the invitee joins.';
comment on column public.team_invitations.email is 'The invited address, trimmed and lower-cased. Only a recruiter whose confirmed address is this one can accept.';
comment on column public.team_invitations.role is 'Role the invitee gets: admin or member (owners are made later by an owner, set_member_role).';
comment on column public.team_invitations.token_hash is 'sha256 of the link''s token (its 43 base64url characters as UTF-8). The token itself is never stored here; no API role may read this column.';
comment on column public.team_invitations.invited_by is 'The owner or admin who sent it (public.users.id); becomes team_members.added_by at accept.';
comment on column public.team_invitations.created_at is 'When it was sent; the 24-hour sending limit per team counts these.';
comment on column public.team_invitations.expires_at is 'The link works until then (created_at + billing.invitation_lifetime(), 7 days).';
comment on column public.team_invitations.accepted_at is 'When the invitee accepted (the link is then used up); null while not accepted.';
comment on column public.team_invitations.accepted_by is 'The recruiter who accepted (public.users.id).';
comment on column public.team_invitations.revoked_at is 'When it stopped working: revoked by an owner or admin, replaced by a newer invitation of the same address, the team deleted, or its inviter no longer an owner or admin of the team (removed, left, made a member).';
comment on column public.team_invitations.revoked_by is 'Who revoked it (the owner or admin who revoked, re-invited or deleted the team).';
comment on column public.team_invitations.replaced_by is 'The newer invitation of the same address that replaced this one (its link is the one that works); null if revoked otherwise.';

-- One open invitation per address and team; also how invite_member and the seat count find them.
create unique index team_invitations_one_open_idx on public.team_invitations (team_id, email)
  where accepted_at is null and revoked_at is null;
-- The team's list for its admins and the sending limit (rows of the last 24 hours).
create index team_invitations_team_created_idx on public.team_invitations (team_id, created_at);
-- The sending limit per recruiter (rows they sent in the last 24 hours, over all their teams).
create index team_invitations_inviter_created_idx on public.team_invitations (invited_by, created_at);
create index team_invitations_replaced_by_idx on public.team_invitations (replaced_by) where replaced_by is not null;

alter table public.team_invitations enable row level security;

create policy "Team owners and admins read the team's invitations"
  on public.team_invitations for select
  to authenticated
  using (team_id in (select team_access.my_admin_team_ids()));

-- Column privileges: token_hash is readable by no API role (not even service_role: nothing
-- server-side needs it). A REST select must name its columns (select=* is refused).
revoke all on table public.team_invitations from public, anon, authenticated, service_role;
grant select (id, team_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by,
              revoked_at, revoked_by, replaced_by)
  on table public.team_invitations to authenticated, service_role;

/**
  * Section - Helpers
 */

-- The link's token: 32 random bytes as base64url without padding (43 characters).
create or replace function billing.new_invitation_token()
returns text
language sql
volatile
set search_path = ''
as $$
  select pg_catalog.rtrim(pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
$$;
comment on function billing.new_invitation_token() is
  'A new invitation token: 32 random bytes (pgcrypto) as 43 base64url characters.';
revoke execute on function billing.new_invitation_token() from public, anon, authenticated, service_role;

create or replace function billing.invitation_token_hash(p_token text)
returns bytea
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.sha256(pg_catalog.convert_to(p_token, 'UTF8'));
$$;
comment on function billing.invitation_token_hash(text) is
  'What team_invitations.token_hash stores for a token: sha256 of its text (UTF-8).';
revoke execute on function billing.invitation_token_hash(text) from public, anon, authenticated, service_role;

-- Finds the invitation a token names, or raises 22023 unknown_invitation (for garbage too: no
-- hint about why, so a guess learns nothing).
create or replace function billing.invitation_by_token(p_token text)
returns public.team_invitations
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_invitation public.team_invitations;
begin
  if p_token is not null and p_token ~ '^[A-Za-z0-9_-]{43}$' then
    select * into v_invitation from public.team_invitations i
     where i.token_hash = billing.invitation_token_hash(p_token);
  end if;
  if v_invitation.id is null then
    perform billing.raise_unknown('invitation', 'This invitation link is not valid: check that you opened the whole link from the e-mail, or ask for a new invitation.');
  end if;
  return v_invitation;
end;
$$;
comment on function billing.invitation_by_token(text) is
  'The invitation whose token_hash matches the token, or 22023 unknown_invitation (also for a malformed token).';
revoke execute on function billing.invitation_by_token(text) from public, anon, authenticated, service_role;

-- What an invitation is now: open, expired, used or revoked (a deleted team kills its invitations).
create or replace function billing.invitation_status(p_invitation public.team_invitations)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case when p_invitation.accepted_at is not null then 'used'
              when p_invitation.revoked_at is not null
                or exists (select 1 from public.teams t where t.id = p_invitation.team_id and t.deleted_at is not null) then 'revoked'
              when p_invitation.expires_at <= pg_catalog.now() then 'expired'
              else 'open' end;
$$;
comment on function billing.invitation_status(public.team_invitations) is
  'open, expired, used or revoked (also when the team was deleted).';
revoke execute on function billing.invitation_status(public.team_invitations) from public, anon, authenticated, service_role;

-- The signed-in user's confirmed address, lower-cased; null when it is not confirmed (an account
-- whose address nobody proved cannot take an invitation sent to it).
create or replace function billing.my_confirmed_email()
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.lower(u.email)
    from public.users u join auth.users a on a.id = u.id
   where u.id = auth.uid() and a.email_confirmed_at is not null;
$$;
comment on function billing.my_confirmed_email() is
  'The signed-in user''s address (public.users.email) lower-cased, if auth.users says it is confirmed; else null.';
revoke execute on function billing.my_confirmed_email() from public, anon, authenticated, service_role;

-- How an inviter is named in the mail and on the accept page: their name, else their address.
create or replace function billing.inviter_name(p_user_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select coalesce(case when not billing.is_blank(u.name) then pg_catalog.btrim(u.name) end, u.email)
                      from public.users u where u.id = p_user_id), 'A team admin');
$$;
comment on function billing.inviter_name(uuid) is
  'The inviter as the mail and invitation_preview name them: public.users.name, else their e-mail, else "A team admin".';
revoke execute on function billing.inviter_name(uuid) from public, anon, authenticated, service_role;

-- An address shown to someone who may not be its owner: first character of the local part and the
-- domain (j…@acme.com), enough to know which account to sign in with, not enough to learn it.
create or replace function billing.mask_email(p_email text)
returns text
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.left(p_email, 1) || '…@' || pg_catalog.split_part(p_email, '@', 2);
$$;
comment on function billing.mask_email(text) is
  'name@domain -> n…@domain: how invitation_preview shows the invited address to anyone but its owner.';
revoke execute on function billing.mask_email(text) from public, anon, authenticated, service_role;

create or replace function billing.raise_invitation_state(p_invitation public.team_invitations, p_status text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_status = 'used' then
    raise exception using
      errcode = 'PT409',
      message = 'invitation_used',
      detail = pg_catalog.jsonb_build_object('team_id', p_invitation.team_id, 'accepted_at', p_invitation.accepted_at)::text,
      hint = 'This invitation was accepted already: an invitation link works once.';
  elsif p_status = 'revoked' then
    raise exception using
      errcode = 'PT409',
      message = 'invitation_revoked',
      detail = pg_catalog.jsonb_build_object('team_id', p_invitation.team_id, 'replaced', p_invitation.replaced_by is not null)::text,
      hint = case when p_invitation.replaced_by is not null
                  then 'A newer invitation was sent to this address: use the link in the latest e-mail.'
                  else 'This invitation was withdrawn. Ask a team admin to invite you again.' end;
  elsif p_status = 'expired' then
    raise exception using
      errcode = 'PT409',
      message = 'invitation_expired',
      detail = pg_catalog.jsonb_build_object('team_id', p_invitation.team_id, 'expires_at', p_invitation.expires_at)::text,
      hint = 'This invitation has expired. Ask a team admin to invite you again.';
  end if;
end;
$$;
comment on function billing.raise_invitation_state(public.team_invitations, text) is
  'Raises PT409 invitation_used, invitation_revoked (detail.replaced: a newer mail has the working link) or invitation_expired for that status; nothing for open.';
revoke execute on function billing.raise_invitation_state(public.team_invitations, text) from public, anon, authenticated, service_role;

-- Seats taken: members plus open, unexpired invitations (each may become a member).
create or replace function billing.team_seats_taken(p_team_id uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select (select pg_catalog.count(*) from public.team_members m where m.team_id = p_team_id)
       + (select pg_catalog.count(*) from public.team_invitations i
           where i.team_id = p_team_id and i.accepted_at is null and i.revoked_at is null and i.expires_at > pg_catalog.now());
$$;
comment on function billing.team_seats_taken(uuid) is
  'Members of the team plus its open, unexpired invitations: what invite_member holds against teams.seat_limit.';
revoke execute on function billing.team_seats_taken(uuid) from public, anon, authenticated, service_role;

create or replace function billing.raise_team_full(p_team_id uuid, p_taken bigint)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'PT409',
    message = 'team_full',
    detail = pg_catalog.jsonb_build_object('team_id', p_team_id, 'seat_limit',
      (select t.seat_limit from public.teams t where t.id = p_team_id), 'taken', p_taken)::text,
    hint = 'The team has no free seat: remove a member or revoke an open invitation first, or ask support for more seats.';
end;
$$;
comment on function billing.raise_team_full(uuid, bigint) is
  'Raises PT409 team_full, detail {team_id, seat_limit, taken}.';
revoke execute on function billing.raise_team_full(uuid, bigint) from public, anon, authenticated, service_role;

-- An invitation carries the authority of whoever sent it. When that ends (removed, left, made a
-- member) the open ones end too: otherwise an admin about to be removed could invite their own
-- other address as an admin and walk back in after the removal.
create or replace function billing.revoke_invitations_sent_by(p_team_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.team_invitations i set revoked_at = pg_catalog.now(), revoked_by = auth.uid()
   where i.team_id = p_team_id and i.invited_by = p_user_id and i.accepted_at is null and i.revoked_at is null;
end;
$$;
comment on function billing.revoke_invitations_sent_by(uuid, uuid) is
  'Revokes the open invitations p_user_id sent for the team (revoked_by = the signed-in user who made the change): called when they stop being an owner or admin of it (end_membership, set_member_role to member).';
revoke execute on function billing.revoke_invitations_sent_by(uuid, uuid) from public, anon, authenticated, service_role;

create or replace function billing.is_team_member_email(p_team_id uuid, p_email text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.team_members m join public.users u on u.id = m.user_id
                  where m.team_id = p_team_id and pg_catalog.lower(u.email) = p_email);
$$;
comment on function billing.is_team_member_email(uuid, text) is
  'Whether a member of the team has this (lower-case) address.';
revoke execute on function billing.is_team_member_email(uuid, text) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * Each of these functions exists in the public name space because they are accessible via the API.
 */

create or replace function public.invite_member(team_id uuid, email text, role text default 'member')
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team_id uuid := invite_member.team_id;
  v_user_id uuid := billing.require_signed_in();
  v_email text;
  v_token text := billing.new_invitation_token();
  v_old uuid;
  v_taken bigint;
  v_invitation public.team_invitations;
begin
  perform billing.require_team_role(v_team_id, 'admin');
  if invite_member.role is null or invite_member.role not in ('admin', 'member') then
    perform billing.raise_invalid_argument('role', 'role must be admin or member (make someone an owner after they joined).');
  end if;
  v_email := billing.check_email_address(invite_member.email);

  perform billing.lock_team_membership(v_team_id);
  if billing.is_team_member_email(v_team_id, v_email) then
    raise exception using
      errcode = 'PT409',
      message = 'already_member',
      detail = pg_catalog.jsonb_build_object('team_id', v_team_id, 'email', v_email)::text,
      hint = 'This address belongs to a member of the team already.';
  end if;
  if (select pg_catalog.count(*) from public.team_invitations i
       where i.team_id = v_team_id and i.created_at > pg_catalog.now() - interval '1 day')
     >= billing.max_team_invitations_per_day() then
    raise exception using
      errcode = 'PT409',
      message = 'too_many_invitations',
      detail = pg_catalog.jsonb_build_object('team_id', v_team_id, 'scope', 'team', 'limit', billing.max_team_invitations_per_day())::text,
      hint = 'The team sent as many invitations as it may in 24 hours: try again tomorrow.';
  end if;
  -- The same bound per recruiter over all their teams (one invite of theirs at a time, so two
  -- teams' invitations at once cannot both count 49).
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('invitations_by:' || v_user_id::text, 0));
  if (select pg_catalog.count(*) from public.team_invitations i
       where i.invited_by = v_user_id and i.created_at > pg_catalog.now() - interval '1 day')
     >= billing.max_invitations_per_inviter_per_day() then
    raise exception using
      errcode = 'PT409',
      message = 'too_many_invitations',
      detail = pg_catalog.jsonb_build_object('team_id', v_team_id, 'scope', 'inviter', 'limit', billing.max_invitations_per_inviter_per_day())::text,
      hint = 'You sent as many invitations as one person may in 24 hours (over all your teams): try again tomorrow.';
  end if;

  -- Inviting an address again replaces its open invitation: the old link stops working, the seat
  -- it held passes to the new one.
  select i.id into v_old from public.team_invitations i
   where i.team_id = v_team_id and i.email = v_email and i.accepted_at is null and i.revoked_at is null
     for update;
  v_taken := billing.team_seats_taken(v_team_id)
           - (select pg_catalog.count(*) from public.team_invitations i where i.id = v_old and i.expires_at > pg_catalog.now());
  if v_taken + 1 > (select t.seat_limit from public.teams t where t.id = v_team_id) then
    perform billing.raise_team_full(v_team_id, v_taken);
  end if;
  update public.team_invitations i set revoked_at = pg_catalog.now(), revoked_by = v_user_id where i.id = v_old;

  insert into public.team_invitations (team_id, email, role, token_hash, invited_by, expires_at)
  values (v_team_id, v_email, invite_member.role, billing.invitation_token_hash(v_token), v_user_id,
          pg_catalog.now() + billing.invitation_lifetime())
  returning * into v_invitation;
  update public.team_invitations i set replaced_by = v_invitation.id where i.id = v_old;

  perform billing.enqueue_email(v_email, 'team_invitation',
    pg_catalog.jsonb_build_object(
      'team_name', (select t.name from public.teams t where t.id = v_team_id),
      'invited_by', billing.inviter_name(v_user_id),
      'role', v_invitation.role,
      'token', v_token,
      'expires_at', v_invitation.expires_at),
    'team_invitation:' || v_invitation.id::text);

  return pg_catalog.jsonb_build_object('invitation_id', v_invitation.id, 'team_id', v_team_id, 'email', v_email,
    'role', v_invitation.role, 'expires_at', v_invitation.expires_at, 'replaced', v_old);
end;
$$;
comment on function public.invite_member(uuid, text, text) is
  'Owners and admins invite an address to the team as admin or member: stores the invitation (token hashed) and queues the mail with the link ${SITE_URL}/invite/<token> (outbox template team_invitation) in the same transaction. Inviting an address with an open invitation again replaces it (new link, new 7 days; the old link answers invitation_revoked). Returns {invitation_id, team_id, email, role, expires_at, replaced (the replaced invitation''s id or null)}. Errors: 42501 not_signed_in/not_team_member/not_team_admin; 22023 invalid_role (owner is not invitable), invalid_email; PT409 already_member, team_full (detail {seat_limit, taken}: members + open invitations), too_many_invitations (50 mails per team, and 50 per inviter over all their teams, per 24 hours; detail.scope team or inviter).';
revoke execute on function public.invite_member(uuid, text, text) from public, anon, authenticated, service_role;
grant execute on function public.invite_member(uuid, text, text) to authenticated;

create or replace function public.revoke_invitation(invitation_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_invitation public.team_invitations;
begin
  select * into v_invitation from public.team_invitations i where i.id = revoke_invitation.invitation_id;
  if not found then
    perform billing.raise_unknown('invitation', 'No invitation has this id.');
  end if;
  perform billing.require_team_role(v_invitation.team_id, 'admin');
  perform billing.lock_team_membership(v_invitation.team_id);
  select * into strict v_invitation from public.team_invitations i where i.id = revoke_invitation.invitation_id for update;
  if v_invitation.accepted_at is not null then
    perform billing.raise_invitation_state(v_invitation, 'used');
  end if;
  -- Revoking twice is not an error: the link is dead either way, the first revocation stays.
  if v_invitation.revoked_at is null then
    update public.team_invitations i set revoked_at = pg_catalog.now(), revoked_by = v_user_id
     where i.id = v_invitation.id
    returning * into v_invitation;
  end if;
  return pg_catalog.jsonb_build_object('invitation_id', v_invitation.id, 'team_id', v_invitation.team_id,
    'email', v_invitation.email, 'revoked_at', v_invitation.revoked_at);
end;
$$;
comment on function public.revoke_invitation(uuid) is
  'Owners and admins withdraw an invitation that was not accepted: its link stops working (invitation_revoked) and its seat is free. Revoking a revoked one again changes nothing. Returns {invitation_id, team_id, email, revoked_at}. Errors: 42501 not_signed_in/not_team_member/not_team_admin; 22023 unknown_invitation; PT409 invitation_used (accepted already: remove the member instead).';
revoke execute on function public.revoke_invitation(uuid) from public, anon, authenticated, service_role;
grant execute on function public.revoke_invitation(uuid) to authenticated;

create or replace function public.accept_invitation(token text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_invitation public.team_invitations := billing.invitation_by_token(accept_invitation.token);
  v_taken bigint;
begin
  -- Two accepts of one link: the second waits here and then finds it used.
  perform billing.lock_team_membership(v_invitation.team_id);
  select * into strict v_invitation from public.team_invitations i where i.id = v_invitation.id for update;
  perform billing.raise_invitation_state(v_invitation, billing.invitation_status(v_invitation));
  if billing.my_confirmed_email() is distinct from v_invitation.email then
    raise exception using
      errcode = '42501',
      message = 'invitation_wrong_address',
      detail = pg_catalog.jsonb_build_object('team_id', v_invitation.team_id, 'invited', billing.mask_email(v_invitation.email))::text,
      hint = 'This invitation is for another e-mail address: sign in with the address it was sent to (or create an account with it).';
  end if;
  if exists (select 1 from public.team_members m where m.team_id = v_invitation.team_id and m.user_id = v_user_id) then
    raise exception using
      errcode = 'PT409',
      message = 'already_member',
      detail = pg_catalog.jsonb_build_object('team_id', v_invitation.team_id)::text,
      hint = 'You are a member of this team already.';
  end if;
  v_taken := (select pg_catalog.count(*) from public.team_members m where m.team_id = v_invitation.team_id);
  if v_taken >= (select t.seat_limit from public.teams t where t.id = v_invitation.team_id) then
    perform billing.raise_team_full(v_invitation.team_id, v_taken);
  end if;

  update public.team_invitations i set accepted_at = pg_catalog.now(), accepted_by = v_user_id where i.id = v_invitation.id;
  -- Someone who was a member before comes back with the limit an owner gave them and this
  -- month's usage (billing.former_team_members): removing and re-inviting lifts neither.
  insert into public.team_members (team_id, user_id, role, added_by, monthly_limit, usage_month, used_this_month)
  select v_invitation.team_id, v_user_id, v_invitation.role, v_invitation.invited_by, f.monthly_limit,
         coalesce(f.usage_month, billing.current_month()), coalesce(f.used_this_month, 0)
    from (select 1) one
    left join billing.former_team_members f on f.team_id = v_invitation.team_id and f.user_id = v_user_id;
  delete from billing.former_team_members f where f.team_id = v_invitation.team_id and f.user_id = v_user_id;
  return pg_catalog.jsonb_build_object('team_id', v_invitation.team_id,
    'team_name', (select t.name from public.teams t where t.id = v_invitation.team_id), 'role', v_invitation.role);
end;
$$;
comment on function public.accept_invitation(text) is
  'The invitee, signed in with the invited (confirmed) address, accepts with the link''s token and becomes a member with the invitation''s role (added_by = the inviter); a former member gets back their monthly limit and this month''s usage. Works once. Returns {team_id, team_name, role}. Errors: 42501 not_signed_in, invitation_wrong_address (detail.invited: the address masked); 22023 unknown_invitation (also a malformed token); PT409 invitation_used, invitation_revoked (also when the team was deleted, or detail.replaced when a newer mail has the working link), invitation_expired, already_member, team_full.';
revoke execute on function public.accept_invitation(text) from public, anon, authenticated, service_role;
grant execute on function public.accept_invitation(text) to authenticated;

-- For the accept page (/invite/<token>), before and after signing in. Whoever holds the link sees
-- what its mail says (team, inviter, role, until when) and its state; the invited address only
-- masked (j…@acme.com), in full only to its owner. Holding the link is the only way to learn any of
-- it (a token is 256 random bits), and it never lets anyone but the invitee in.
create or replace function public.invitation_preview(token text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_invitation public.team_invitations := billing.invitation_by_token(invitation_preview.token);
  v_mine text := billing.my_confirmed_email();
  v_for_you boolean := case when auth.uid() is not null then v_mine is not distinct from v_invitation.email end;
begin
  return pg_catalog.jsonb_build_object(
    'team_name', (select t.name from public.teams t where t.id = v_invitation.team_id),
    'invited_by', billing.inviter_name(v_invitation.invited_by),
    'role', v_invitation.role,
    'expires_at', v_invitation.expires_at,
    'status', billing.invitation_status(v_invitation),
    'signed_in', auth.uid() is not null,
    'for_you', v_for_you,
    'email', case when v_for_you then v_invitation.email else billing.mask_email(v_invitation.email) end,
    'already_member', coalesce(v_for_you, false) and exists (select 1 from public.team_members m
                                             where m.team_id = v_invitation.team_id and m.user_id = auth.uid()));
end;
$$;
comment on function public.invitation_preview(text) is
  'What the accept page shows for a link, to anyone holding it (anon too): {team_name, invited_by, role, expires_at, status (open, expired, used, revoked), signed_in, for_you (null when signed out; true when the signed-in user''s confirmed address is the invited one), email (in full only when for_you, else masked like j…@acme.com), already_member}. Changes nothing. Error: 22023 unknown_invitation.';
revoke execute on function public.invitation_preview(text) from public, anon, authenticated, service_role;
grant execute on function public.invitation_preview(text) to anon, authenticated;
