-- Interviews: the AI interviews recruiters create, their price (interview_cost, the only place
-- pricing is computed), and the hold on their credits: create_interview inserts the interview and
-- reserves its cost (a hold) in one transaction, or does neither; start_interview (the AI
-- interview runner reports that the candidate opened it) makes it in_progress: from then on the
-- recruiter cannot cancel it; complete_interview (the runner reports that it took place) captures
-- the hold: the credits are spent; cancel_interview releases the hold of a scheduled one: the
-- credits go back to the lots they came from (credits of a refunded payment repay it, credits of
-- an expired lot expire). A hold neither captured nor released within billing.hold_lifetime() is
-- settled by the scheduled billing.release_lapsed_holds: released if the interview never started,
-- captured if it did (the candidate was interviewed; the runner only failed to report the end).
-- Start, capture and release all lock the interview row first and read its status after the
-- lock: whichever comes second sees the first's status, so exactly one capture or release happens.

/**
  * Section - Interviews table
 */

create table public.interviews (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  -- The workspace: null = the creator's personal one, else the team whose wallet pays for it.
  team_id uuid references public.teams (id),
  -- Whose credits it holds: the team's, or the creator's own.
  wallet_id uuid not null generated always as (coalesce(team_id, user_id)) stored,
  job_position text not null check (pg_catalog.char_length(job_position) between 1 and 200),
  job_description text check (job_description is null or pg_catalog.char_length(job_description) <= 5000),
  duration_minutes integer not null check (duration_minutes between 15 and 120),
  interview_type text not null check (interview_type in ('technical', 'behavioral', 'screening', 'culture_fit')),
  questions jsonb not null default '[]'::jsonb check (pg_catalog.jsonb_typeof(questions) = 'array'),
  status text not null default 'scheduled' check (status in ('scheduled', 'in_progress', 'completed', 'cancelled')),
  cost integer not null check (cost > 0),
  refunded_credits integer not null default 0 check (refunded_credits >= 0 and refunded_credits <= cost),
  created_at timestamptz not null default pg_catalog.now(),
  cancelled_at timestamptz,
  completed_at timestamptz,
  started_at timestamptz,
  hold_expires_at timestamptz not null default pg_catalog.now() + billing.hold_lifetime(),
  cancellation_reason text check (cancellation_reason in ('recruiter', 'hold_lapsed')),
  constraint interviews_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null)),
  constraint interviews_cancellation_reason_matches_status check ((status = 'cancelled') = (cancellation_reason is not null)),
  constraint interviews_completed_at_matches_status check ((status = 'completed') = (completed_at is not null)),
  -- Started = in_progress now, or completed after it started; a started interview is never cancelled.
  constraint interviews_started_at_matches_status check (
    (status = 'in_progress' and started_at is not null) or (status in ('scheduled', 'cancelled') and started_at is null)
    or status = 'completed')
);

comment on table public.interviews is
  'AI interviews created by recruiters. Creating one reserves its cost (a hold, create_interview); the runner starting it (start_interview) makes it in_progress, after which it cannot be cancelled; completing it spends the reserved credits (complete_interview); cancelling a scheduled one returns them (cancel_interview). When hold_expires_at passes, the scheduled job returns the credits of an interview that never started and spends those of one that started.';
comment on column public.interviews.id is 'Interview id.';
comment on column public.interviews.user_id is 'The recruiter who created it (public.users.id).';
comment on column public.interviews.team_id is 'The team workspace it belongs to (its credits came from the team wallet); null = the creator''s personal workspace.';
comment on column public.interviews.wallet_id is 'The wallet its credits are held in and spent from: team_id, or user_id for a personal interview (generated).';
comment on column public.interviews.job_position is 'Job title the interview is for (1..200 characters).';
comment on column public.interviews.job_description is 'Job description given to the AI interviewer (at most 5000 characters).';
comment on column public.interviews.duration_minutes is 'Planned length in minutes (15..120); determines the cost, see interview_cost().';
comment on column public.interviews.interview_type is 'technical, behavioral, screening or culture_fit.';
comment on column public.interviews.questions is 'Generated interview questions (JSON array).';
comment on column public.interviews.status is 'scheduled (credits reserved, may be cancelled), in_progress (the candidate opened it: credits reserved, can no longer be cancelled), completed (credits spent) or cancelled (credits returned).';
comment on column public.interviews.cost is 'Credits reserved when the interview was created, spent when it is completed.';
comment on column public.interviews.refunded_credits is 'Credits given back (the full cost once cancelled, else 0).';
comment on column public.interviews.created_at is 'When the interview was created (and its credits reserved).';
comment on column public.interviews.hold_expires_at is 'While scheduled or in_progress: when its reserved credits are released automatically if it has been neither completed nor cancelled (created_at + billing.hold_lifetime()); then a scheduled one is cancelled (credits returned) and an in_progress one completed (credits spent).';
comment on column public.interviews.cancellation_reason is 'Why it was cancelled: recruiter (cancel_interview) or hold_lapsed (not completed before hold_expires_at); null unless cancelled.';
comment on column public.interviews.cancelled_at is 'When it was cancelled; null unless status = cancelled.';
comment on column public.interviews.completed_at is 'When the interview took place (set by complete_interview), or when the hold of a started interview the runner never reported as finished lapsed; null unless status = completed.';
comment on column public.interviews.started_at is 'When the candidate opened it (start_interview); set once, kept when it completes; null while scheduled and for cancelled interviews.';

create index interviews_user_id_created_at_idx on public.interviews (user_id, created_at desc);
create index interviews_team_id_created_at_idx on public.interviews (team_id, created_at desc) where team_id is not null;
-- The scheduled settling of lapsed holds looks only at interviews whose hold is still open.
create index interviews_hold_expires_at_idx on public.interviews (hold_expires_at) where status in ('scheduled', 'in_progress');

alter table public.interviews enable row level security;

-- Personal interviews and one's own in a team one still belongs to; team admins read all of the team's.
create policy "Users can read their own interviews"
  on public.interviews for select
  to authenticated
  using ((user_id = (select auth.uid()) and (team_id is null or team_id in (select team_access.my_team_ids())))
         or team_id in (select team_access.my_admin_team_ids()));

revoke all on table public.interviews from public, anon, authenticated, service_role;
grant select on table public.interviews to authenticated, service_role;

alter table public.credit_ledger
  add constraint credit_ledger_interview_id_fkey foreign key (interview_id) references public.interviews (id);
-- Partial: most ledger rows name no interview, and `interview_id = $1` (the foreign key's
-- check, cancel_interview's lookup) implies not null, so the planner still uses it.
create index credit_ledger_interview_id_idx on public.credit_ledger (interview_id) where interview_id is not null;
-- An interview's credits are held once and then released or captured once, whatever the code
-- path: one hold, and one release or capture (kind spend), per interview.
create unique index credit_ledger_one_hold_per_interview_idx
  on public.credit_ledger (interview_id) where kind = 'hold';
create unique index credit_ledger_one_release_or_capture_per_interview_idx
  on public.credit_ledger (interview_id) where kind in ('release', 'spend') and interview_id is not null;

/**
  * Section - Blank text
 */

-- A job title of tabs, line breaks or zero-width characters shows as nothing in every list, so it
-- is refused like an empty one. Blank = every code point that is White_Space, general category Cf
-- (format: zero-width spaces and joiners, bidi marks, word joiner, BOM, Mongolian vowel separator,
-- tags, ...) or Default_Ignorable_Code_Point (Hangul fillers U+115F U+1160 U+3164 U+FFA0,
-- variation selectors, combining grapheme joiner, ...), as of Unicode 17, plus U+2800 BRAILLE
-- PATTERN BLANK (a symbol, but it renders as a space). The SPA's schema refuses the same set
-- (web/src/interviews/blankText.ts, whose test compares the two over every code point).
-- Postgres regexes have no \p{...}: the set is spelled out as ranges.
create or replace function billing.is_blank(p_text text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select p_text !~ '[^\u0009-\u000D\u0020\u0085\u00A0\u00AD\u034F\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u115F-\u1160\u1680\u17B4-\u17B5\u180B-\u180F\u2000-\u200F\u2028-\u202F\u205F-\u206F\u2800\u3000\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]'
$$;
comment on function billing.is_blank(text) is
  'True when the text has no visible character: only White_Space, Cf (format) and Default_Ignorable_Code_Point characters (Unicode 17) and U+2800 braille blank, or nothing at all. Null for null. The same set as the SPA''s isBlankText (web/src/interviews/blankText.ts).';
revoke execute on function billing.is_blank(text) from public, anon, authenticated, service_role;

/**
  * Section - Public functions
  * Each of these functions exists in the public name space because they are accessible via the API.
 */

-- Security invoker on purpose: it reads no data, so it needs no rights, and it raises its own
-- errors rather than calling the private billing helpers the API roles cannot reach.
create or replace function public.interview_cost(
  duration_minutes integer,
  interview_type text default 'technical'
)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  if duration_minutes is null or duration_minutes not between 15 and 120 then
    raise exception using
      errcode = '22023',
      message = 'invalid_duration_minutes',
      detail = '{"argument": "duration_minutes"}',
      hint = 'duration_minutes must be from 15 to 120';
  end if;
  if interview_type is null or interview_type not in ('technical', 'behavioral', 'screening', 'culture_fit') then
    raise exception using
      errcode = '22023',
      message = 'invalid_interview_type',
      detail = '{"argument": "interview_type"}',
      hint = 'interview_type must be one of technical, behavioral, screening, culture_fit';
  end if;
  -- One credit per started half hour: 15-30 min 1, 45-60 min 2, 90 min 3, 120 min 4.
  return (duration_minutes + 29) / 30;
end;
$$;
comment on function public.interview_cost(integer, text) is
  'Credits an interview costs: one per started 30 minutes (15-30 min: 1, 45-60: 2, 90: 3, 120: 4). The single place pricing is computed. Errors: 22023 invalid_duration_minutes (15..120), invalid_interview_type.';
revoke execute on function public.interview_cost(integer, text) from public, anon, authenticated, service_role;
grant execute on function public.interview_cost(integer, text) to anon, authenticated, service_role;

create or replace function public.create_interview(
  job_position text,
  job_description text default null,
  duration_minutes integer default 30,
  interview_type text default 'technical',
  idempotency_key text default null,
  team_id uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
  v_team_id uuid := create_interview.team_id;
  v_position text := pg_catalog.btrim(job_position);
  v_cost integer;
  v_interview_id uuid;
  v_replay jsonb;
  v_change jsonb;
begin
  -- The hot path, as in deduct_credits: plain conditions, and the shared helper runs only to
  -- raise its error (a call of a function with its own search_path costs a GUC save/restore).
  if v_user_id is null then
    perform billing.require_signed_in();
  end if;
  if job_position is null or pg_catalog.char_length(job_position) > billing.max_job_position_length() or v_position = '' then
    perform billing.check_text('job_position', job_position, true, billing.max_job_position_length());
  end if;
  if billing.is_blank(job_position) then
    perform billing.raise_invalid_argument('job_position',
      'job_position must contain a visible character, not only spaces, tabs, line breaks or invisible (zero-width) characters');
  end if;
  if pg_catalog.char_length(job_description) > billing.max_job_description_length() then
    perform billing.check_text('job_description', job_description, false, billing.max_job_description_length());
  end if;
  v_cost := public.interview_cost(duration_minutes, interview_type);

  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'create_interview',
      pg_catalog.jsonb_build_object('job_position', job_position, 'job_description', job_description,
        'duration_minutes', duration_minutes, 'interview_type', interview_type)
      || case when v_team_id is null then '{}'::jsonb else pg_catalog.jsonb_build_object('team_id', v_team_id) end, 'user');
    if v_replay is not null then
      -- A team call replays only for a member still: a removed member learns nothing more of it.
      if v_team_id is not null then
        perform billing.require_team_role(v_team_id, 'member');
      end if;
      return v_replay;
    end if;
  end if;

  -- A team interview: the caller must be a member and within their monthly limit; the count moves
  -- now, under their membership row's lock (taken before the wallet's).
  if v_team_id is not null then
    perform billing.count_member_usage(v_team_id, v_user_id, v_cost);
  end if;

  -- Insert first (the ledger row references it), then reserve: if the hold fails with PT402 the
  -- whole call fails and the interview is gone with it.
  insert into public.interviews (user_id, team_id, job_position, job_description, duration_minutes, interview_type, cost)
  values (v_user_id, v_team_id, v_position, job_description, duration_minutes, interview_type, v_cost)
  returning id into v_interview_id;

  v_change := billing.apply_credit_change(coalesce(v_team_id, v_user_id), -v_cost, 'hold', 'user:' || v_user_id,
    pg_catalog.left('Reserved for interview: ' || v_position, billing.max_ledger_text_length()), 'interview:' || v_interview_id,
    v_interview_id, null, idempotency_key, null, null, null, null, case when v_team_id is not null then v_user_id end);

  v_change := pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'cost', v_cost, 'replayed', false) || v_change;
  if idempotency_key is not null then
    perform billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  return v_change;
end;
$$;
comment on function public.create_interview(text, text, integer, text, text, uuid) is
  'Creates an interview for the signed-in user in their personal workspace (team_id null) or in a team they belong to (team_id), and reserves interview_cost(duration_minutes, interview_type) of that workspace''s available credits; a team interview first counts against the member''s and the team''s monthly limits (a hold: ledger kind hold, taken from the lots in spend order) in the same transaction (both happen or neither); completing it spends them, cancelling returns them. Returns {interview_id, cost, balance (available after), reserved, ledger_id, replayed}. Errors: 42501 not_signed_in, 22023 invalid_job_position (1..200, and not blank: billing.is_blank)/invalid_job_description (<= 5000)/invalid_duration_minutes/invalid_interview_type/invalid_idempotency_key, PT402 insufficient_credits / member_limit_reached / team_limit_reached (detail {limit, used, required, resets_at}), 42501 not_team_member, PT409 idempotency_key_reused.';
revoke execute on function public.create_interview(text, text, integer, text, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.create_interview(text, text, integer, text, text, uuid) to authenticated;


/**
  * Section - Releasing a hold
 */

-- A scheduled interview is cancelled (by its recruiter, or because its hold lapsed) and the
-- credits of its hold go back to the lots they came from. Then, lot by lot: credits of a lot whose
-- payment was refunded repay what that refund could not take back (reversal rows naming the
-- payment and the interview: refunded money never becomes spendable again), and credits of a lot
-- past its expiry expire at once (an expiration row). The caller holds the interview's row lock
-- and has checked that it is scheduled.
create or replace function billing.release_interview_hold(
  p_interview public.interviews,
  p_cancellation_reason text,
  p_actor text,
  p_idempotency_key text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_release jsonb;
  v_recovered integer;
  v_expired integer := 0;
  v_lot record;
begin
  update public.interviews i
     set status = 'cancelled', cancelled_at = pg_catalog.now(), refunded_credits = p_interview.cost,
         cancellation_reason = p_cancellation_reason
   where i.id = p_interview.id;
  if p_interview.team_id is not null then
    -- What the hold counted against the member's and the team's monthly limits comes back
    -- (membership row before the wallet, the order of every team path).
    perform billing.give_back_member_usage(p_interview.team_id, p_interview.user_id, p_interview.cost, p_interview.created_at);
  end if;
  v_release := billing.apply_credit_change(p_interview.wallet_id, p_interview.cost, 'release', p_actor,
    pg_catalog.left(case p_cancellation_reason when 'hold_lapsed' then 'Not held in time, credits back'
                                               else 'Interview cancelled' end
                    || ': ' || p_interview.job_position, billing.max_ledger_text_length()),
    'interview:' || p_interview.id, p_interview.id, null, p_idempotency_key, null, null, null, null,
    case when p_interview.team_id is not null then p_interview.user_id end);
  if p_interview.team_id is not null then
    update public.teams t
       set used_this_month = greatest(t.used_this_month - p_interview.cost, 0)
     where t.id = p_interview.team_id
       and t.usage_month = (pg_catalog.date_trunc('month', p_interview.created_at at time zone 'UTC'))::date;
  end if;
  v_recovered := billing.repay_refund_debt(p_interview.wallet_id, (v_release ->> 'ledger_id')::bigint, p_actor, p_interview.id);
  for v_lot in
    select l.id from public.credit_lot_entries e join public.credit_lots l on l.id = e.lot_id
     where e.ledger_id = (v_release ->> 'ledger_id')::bigint
       and l.expires_at <= pg_catalog.now() and l.remaining > 0
     order by l.id
  loop
    v_expired := v_expired + billing.expire_lot(v_lot.id, p_actor, p_interview.id);
  end loop;
  return pg_catalog.jsonb_build_object('released', p_interview.cost, 'recovered', v_recovered, 'expired', v_expired,
    'ledger_id', v_release -> 'ledger_id')
    || (select pg_catalog.jsonb_build_object('balance', w.credits, 'reserved', w.credits_reserved)
          from billing.wallets w where w.id = p_interview.wallet_id);
end;
$$;
comment on function billing.release_interview_hold(public.interviews, text, text, text) is
  'Cancels a scheduled interview (p_cancellation_reason recruiter or hold_lapsed) and returns its reserved credits to the lots they came from (ledger kind release), then repays refunded payments from them (billing.repay_refund_debt, reversal rows) and expires those of lots already past their expiry (expiration rows). Returns {released, recovered, expired, ledger_id (the release row), balance, reserved}. The caller holds the interview row lock and has checked it is scheduled.';
revoke execute on function billing.release_interview_hold(public.interviews, text, text, text) from public, anon, authenticated, service_role;

/**
  * Section - Capturing a hold
 */

-- A scheduled or in_progress interview is completed and the credits of its hold are spent (from
-- the lots the hold took). The caller holds the interview's row lock and has checked its status;
-- the wallet's lock comes second (in apply_credit_change), the order every interview path uses.
create or replace function billing.capture_interview_hold(
  p_interview public.interviews,
  p_actor text,
  p_reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview public.interviews;
begin
  update public.interviews i
     set status = 'completed', completed_at = pg_catalog.now()
   where i.id = p_interview.id
  returning * into strict v_interview;
  return pg_catalog.jsonb_build_object('interview_id', v_interview.id, 'status', 'completed',
    'completed_at', v_interview.completed_at, 'spent', v_interview.cost, 'replayed', false)
    || billing.apply_credit_change(v_interview.wallet_id, -v_interview.cost, 'capture', p_actor,
         pg_catalog.left(p_reason || ': ' || v_interview.job_position, billing.max_ledger_text_length()),
         'interview:' || v_interview.id, v_interview.id, null, null, null, null, null, null,
         case when v_interview.team_id is not null then v_interview.user_id end);
end;
$$;
comment on function billing.capture_interview_hold(public.interviews, text, text) is
  'Completes a scheduled or in_progress interview and spends its reserved credits (ledger kind spend with delta 0 and reserved_delta -cost, from the lots the hold took; reason p_reason: <job position>). Returns {interview_id, status, completed_at, spent, replayed false, balance, reserved, ledger_id}. The caller holds the interview row lock and has checked its status.';
revoke execute on function billing.capture_interview_hold(public.interviews, text, text) from public, anon, authenticated, service_role;

/**
  * Section - Start, cancel, complete, lapse
 */

-- The runner's calls (start, complete) begin alike: service role only, an id, the interview row
-- locked (the lock cancel and the lapse take too), so the status the caller reads next is final.
create or replace function billing.lock_interview_for_runner(p_interview_id uuid)
returns public.interviews
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview public.interviews;
begin
  perform billing.require_service_role();
  if p_interview_id is null then
    perform billing.raise_invalid_argument('interview_id', 'interview_id is required');
  end if;
  select * into v_interview from public.interviews i where i.id = p_interview_id for update;
  if not found then
    perform billing.raise_unknown('interview', 'No interview with this id.');
  end if;
  return v_interview;
end;
$$;
comment on function billing.lock_interview_for_runner(uuid) is
  'For start_interview and complete_interview (the AI interview runner): refuses anyone but the service role (42501 not_allowed) and a null id (22023 invalid_interview_id), locks the interview row (22023 unknown_interview when there is none) and returns it.';
revoke execute on function billing.lock_interview_for_runner(uuid) from public, anon, authenticated, service_role;

-- The AI interview runner reports that the candidate opened the interview. From then on the
-- recruiter cannot cancel it: the service is being delivered, so a cancel during the interview
-- would make it free (the credits are captured when it ends, or when its hold lapses).
create or replace function public.start_interview(interview_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview_id uuid := start_interview.interview_id;
  v_interview public.interviews := billing.lock_interview_for_runner(v_interview_id);
begin
  if v_interview.status = 'in_progress' then
    -- The runner may report the start twice (a retry, a second tab): the first start stands.
    return pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'in_progress',
      'started_at', v_interview.started_at, 'reserved', v_interview.cost, 'replayed', true);
  end if;
  if v_interview.status <> 'scheduled' then
    raise exception using
      errcode = 'PT409',
      message = 'interview_not_startable',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status,
        'cancellation_reason', v_interview.cancellation_reason)::text,
      hint = case v_interview.status when 'cancelled' then 'The interview was cancelled and its credits returned; it cannot take place.'
                                     else 'The interview has already taken place.' end;
  end if;

  update public.interviews i
     set status = 'in_progress', started_at = pg_catalog.now()
   where i.id = v_interview_id
  returning * into strict v_interview;
  return pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'in_progress',
    'started_at', v_interview.started_at, 'reserved', v_interview.cost, 'replayed', false);
end;
$$;
comment on function public.start_interview(uuid) is
  'Service role only (the AI interview runner, when the candidate opens the interview): a scheduled interview becomes in_progress (started_at set once); its credits stay reserved and it can no longer be cancelled (cancel_interview answers PT409 interview_in_progress); complete_interview spends them, and if the runner never reports the end, the lapse job spends them when hold_expires_at passes. Returns {interview_id, status, started_at, reserved (its cost, still held), replayed}; starting it again returns the first start with replayed = true. Errors: 42501 not_allowed, 22023 invalid_interview_id/unknown_interview, PT409 interview_not_startable (cancelled, also when its hold lapsed, or completed; detail has status).';
revoke execute on function public.start_interview(uuid) from public, anon, authenticated, service_role;
grant execute on function public.start_interview(uuid) to service_role;

-- Who may cancel an interview: its creator in their personal workspace, its creator in a team
-- they still belong to, and the owners and admins of its team.
create or replace function billing.may_cancel_interview(p_interview public.interviews, p_user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (p_interview.team_id is null and p_interview.user_id = p_user_id)
         or (p_interview.team_id is not null
             and exists (select 1 from public.team_members m
                          where m.team_id = p_interview.team_id and m.user_id = p_user_id
                            and (p_interview.user_id = p_user_id or m.role in ('owner', 'admin'))));
$$;
comment on function billing.may_cancel_interview(public.interviews, uuid) is
  'True when p_user_id may cancel the interview: its creator (personal, or in a team they still belong to) or an owner or admin of its team.';
revoke execute on function billing.may_cancel_interview(public.interviews, uuid) from public, anon, authenticated, service_role;

create or replace function public.cancel_interview(interview_id uuid, idempotency_key text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := billing.require_signed_in();
  v_interview_id uuid := cancel_interview.interview_id;
  v_interview public.interviews;
  v_release public.credit_ledger;
  v_replay jsonb;
  v_change jsonb;
begin
  if v_interview_id is null then
    perform billing.raise_invalid_argument('interview_id', 'interview_id is required');
  end if;
  -- Cancelling is idempotent by itself (a second cancel replays the first); the optional key
  -- gives it the same contract as every other mutating call: the key cannot be reused for
  -- another interview or another function.
  if idempotency_key is not null then
    perform billing.check_idempotency_key(idempotency_key);
    v_replay := billing.idempotency_begin(v_user_id, idempotency_key, 'cancel_interview',
      pg_catalog.jsonb_build_object('interview_id', v_interview_id), 'user');
    -- A key replays only for someone who may still cancel the interview (a removed member may not).
    if v_replay is not null then
      if not exists (select 1 from public.interviews i where i.id = v_interview_id and billing.may_cancel_interview(i, v_user_id)) then
        perform billing.raise_unknown('interview', 'No interview with this id in your account.');
      end if;
      return v_replay;
    end if;
  end if;

  -- The row lock makes concurrent cancels, a completion and the lapse run one after the other.
  -- Yours in your personal workspace, yours in a team you still belong to, or any of a team you
  -- are an owner or admin of.
  select * into v_interview
    from public.interviews i
   where i.id = v_interview_id and billing.may_cancel_interview(i, v_user_id)
     for update;
  if not found then
    -- Someone else's interview is reported exactly like a missing one: no existence leak.
    perform billing.raise_unknown('interview', 'No interview with this id in your account.');
  end if;

  if v_interview.status = 'cancelled' then
    -- Rebuild the first answer from the ledger: the release row and the reversal and expiration
    -- rows written right after it for this interview; the balances are the last row's.
    select * into v_release
      from public.credit_ledger l
     where l.interview_id = v_interview_id and l.kind = 'release';
    v_change := (
      select pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'cancelled',
               'cancellation_reason', v_interview.cancellation_reason,
               'refunded', v_interview.refunded_credits, 'released', v_interview.refunded_credits,
               'recovered', coalesce(-pg_catalog.sum(l.delta) filter (where l.kind = 'reversal'), 0),
               'expired', coalesce(-pg_catalog.sum(l.delta) filter (where l.kind = 'expiration'), 0),
               'balance', (pg_catalog.array_agg(l.balance_after order by l.id desc))[1],
               'reserved', (pg_catalog.array_agg(l.reserved_after order by l.id desc))[1],
               'ledger_id', v_release.id, 'replayed', true)
        from public.credit_ledger l
       where l.interview_id = v_interview_id and l.kind in ('release', 'reversal', 'expiration') and l.id >= v_release.id);
    return billing.idempotency_finish(v_user_id, idempotency_key, v_change, 'user');
  end if;
  if v_interview.status = 'in_progress' then
    -- The candidate is being interviewed (or was, and the runner has not reported the end yet):
    -- the service is delivered, so its credits are not returned.
    raise exception using
      errcode = 'PT409',
      message = 'interview_in_progress',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status,
        'started_at', v_interview.started_at)::text,
      hint = 'The candidate has started this interview, so it can no longer be cancelled; its credits are spent when it ends.';
  end if;
  if v_interview.status <> 'scheduled' then
    raise exception using
      errcode = 'PT409',
      message = 'interview_not_cancellable',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status)::text,
      hint = 'Only a scheduled interview can be cancelled; this one has already taken place.';
  end if;

  v_change := billing.release_interview_hold(v_interview, 'recruiter', 'user:' || v_user_id, idempotency_key);

  return billing.idempotency_finish(v_user_id, idempotency_key,
    pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'cancelled',
      'cancellation_reason', 'recruiter', 'refunded', v_interview.cost, 'replayed', false) || v_change, 'user');
end;
$$;
comment on function public.cancel_interview(uuid, text) is
  'Cancels a scheduled interview and releases its hold once. Who may: its creator (in a team, while still a member) and the owners and admins of its team; anyone else gets unknown_interview. The credits go back to the interview''s wallet (a team interview also gives back what it counted against the member''s and team''s monthly limits, if counted this month): the reserved credits go back to the lots they came from (ledger kind release). Credits of a lot whose payment was refunded repay that refund instead (reversal rows naming the payment and the interview: refunded money never becomes spendable), and credits of a lot past its expiry expire (expiration rows). Returns {interview_id, status, cancellation_reason, refunded and released (the cost), recovered, expired, balance (available after all of it), reserved, ledger_id (the release row), replayed}; cancelling again returns the first result with replayed = true. idempotency_key (optional) may not be reused for another call (PT409). Errors: 42501 not_signed_in, 22023 invalid_interview_id/unknown_interview (also for another user''s interview)/invalid_idempotency_key, PT409 interview_in_progress (the candidate started it: start_interview), interview_not_cancellable (completed), idempotency_key_reused.';
revoke execute on function public.cancel_interview(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.cancel_interview(uuid, text) to authenticated;

-- Interview completion: the AI interview runner reports that an interview has taken place; its
-- hold is captured (the reserved credits are spent). From then on it cannot be cancelled. An
-- interview whose hold the lapse job already captured (it started, the end was never reported)
-- is completed: a late report replays that capture.
create or replace function public.complete_interview(interview_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview_id uuid := complete_interview.interview_id;
  -- Ordered against a concurrent start, cancel or lapse of the same interview: one of them wins,
  -- the other sees the final status.
  v_interview public.interviews := billing.lock_interview_for_runner(v_interview_id);
begin
  if v_interview.status = 'completed' then
    -- The first answer, rebuilt from its capture row.
    return (select pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', 'completed',
                     'completed_at', v_interview.completed_at, 'spent', v_interview.cost, 'balance', l.balance_after,
                     'reserved', l.reserved_after, 'ledger_id', l.id, 'replayed', true)
              from public.credit_ledger l
             where l.interview_id = v_interview_id and l.kind = 'spend');
  end if;
  if v_interview.status = 'cancelled' then
    raise exception using
      errcode = 'PT409',
      message = 'interview_not_completable',
      detail = pg_catalog.jsonb_build_object('interview_id', v_interview_id, 'status', v_interview.status,
        'cancellation_reason', v_interview.cancellation_reason)::text,
      hint = 'The interview was cancelled and its credits returned; it cannot take place.';
  end if;

  -- Scheduled (the runner never reported a start) or in_progress: the interview took place.
  return billing.capture_interview_hold(v_interview, 'service_role', 'Interview completed');
end;
$$;
comment on function public.complete_interview(uuid) is
  'Service role only (the AI interview runner): marks a scheduled or in_progress interview completed and captures its hold: the reserved credits are spent (ledger kind spend with delta 0 and reserved_delta -cost, from the lots the hold took). After that it can no longer be cancelled. Returns {interview_id, status, completed_at, spent, balance, reserved (both right after the capture), ledger_id (the capture row), replayed}; completing it again returns the first result with replayed = true. Errors: 42501 not_allowed, 22023 invalid_interview_id/unknown_interview, PT409 interview_not_completable (cancelled, also when its hold lapsed).';
revoke execute on function public.complete_interview(uuid) from public, anon, authenticated, service_role;
grant execute on function public.complete_interview(uuid) to service_role;

-- One lapsed hold: the interview row lock orders this against a start, a completion or a cancel
-- of the same interview, and the status is read after it, so exactly one capture or release
-- happens. Never started: released (the interview did not take place, the recruiter gets the
-- credits back). Started: captured (the candidate opened it, so the interview was delivered; a
-- runner that failed to report the end must not make it free, and the recruiter could not cancel
-- it either).
create or replace function billing.release_lapsed_hold(p_interview_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_interview public.interviews;
begin
  select * into v_interview from public.interviews i where i.id = p_interview_id for update;
  if not found or v_interview.status not in ('scheduled', 'in_progress') or v_interview.hold_expires_at > pg_catalog.now() then
    return false;
  end if;
  if v_interview.status = 'in_progress' then
    perform billing.capture_interview_hold(v_interview, 'system:hold-lapse', 'Interview started, end never reported');
  else
    perform billing.release_interview_hold(v_interview, 'hold_lapsed', 'system:hold-lapse', null);
  end if;
  return true;
end;
$$;
comment on function billing.release_lapsed_hold(uuid) is
  'Settles the hold of one interview whose hold_expires_at has passed: a scheduled one becomes cancelled (cancellation_reason hold_lapsed) and its credits go back as cancel_interview returns them; an in_progress one (started, end never reported) becomes completed and its credits are spent as complete_interview spends them. Returns false (and changes nothing) when it is completed or cancelled already, or not due yet. Called by billing.release_lapsed_holds.';
revoke execute on function billing.release_lapsed_hold(uuid) from public, anon, authenticated, service_role;

-- The scheduled release of holds nobody captured or released (pg_cron job release-lapsed-holds
-- calls it in a loop that commits after each call). One interview per call: its row lock and then
-- its wallet's, the order cancel and complete use, so the job never deadlocks with them.
create or replace function billing.release_lapsed_holds()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  -- SKIP LOCKED: an interview being started, completed or cancelled right now is not lapsing; if
  -- its hold is still open afterwards, the next call takes it.
  select i.id into v_id
    from public.interviews i
   where i.status in ('scheduled', 'in_progress') and i.hold_expires_at <= pg_catalog.now()
   order by i.hold_expires_at, i.id
   limit 1
     for update skip locked;
  if v_id is null then
    return 0;
  end if;
  perform billing.release_lapsed_hold(v_id);
  return 1;
end;
$$;
comment on function billing.release_lapsed_holds() is
  'Settles the hold of the scheduled or in_progress interview whose hold_expires_at passed first (billing.release_lapsed_hold: released if it never started, captured if it did) and returns 1; 0 = nothing is due (or every due one is being started, completed or cancelled right now). Safe next to a completion or a cancel (the interview row lock decides). pg_cron job release-lapsed-holds calls it in a loop that commits after each call; support may run the same loop: do $$ begin while billing.release_lapsed_holds() > 0 loop commit; end loop; end $$;';
revoke execute on function billing.release_lapsed_holds() from public, anon, authenticated, service_role;
