-- public.interviews: the AI interviews recruiters create. Created only by create_interview()
-- (which charges for it in the same transaction) and cancelled only by cancel_interview().

create table public.interviews (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  job_position text not null check (pg_catalog.char_length(job_position) between 1 and 200),
  job_description text check (job_description is null or pg_catalog.char_length(job_description) <= 5000),
  duration_minutes integer not null check (duration_minutes between 15 and 120),
  interview_type text not null check (interview_type in ('technical', 'behavioral', 'screening', 'culture_fit')),
  questions jsonb not null default '[]'::jsonb check (pg_catalog.jsonb_typeof(questions) = 'array'),
  status text not null default 'scheduled' check (status in ('scheduled', 'completed', 'cancelled')),
  cost integer not null check (cost > 0),
  refunded_credits integer not null default 0 check (refunded_credits >= 0 and refunded_credits <= cost),
  created_at timestamptz not null default pg_catalog.now(),
  cancelled_at timestamptz,
  constraint interviews_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null))
);

comment on table public.interviews is
  'AI interviews created by recruiters. Each one was charged cost credits when created (create_interview); cancelling a scheduled one refunds the cost once (cancel_interview).';
comment on column public.interviews.id is 'Interview id.';
comment on column public.interviews.user_id is 'The recruiter who created it (public.users.id).';
comment on column public.interviews.job_position is 'Job title the interview is for (1..200 characters).';
comment on column public.interviews.job_description is 'Job description given to the AI interviewer (at most 5000 characters).';
comment on column public.interviews.duration_minutes is 'Planned length in minutes (15..120); determines the cost, see interview_cost().';
comment on column public.interviews.interview_type is 'technical, behavioral, screening or culture_fit.';
comment on column public.interviews.questions is 'Generated interview questions (JSON array).';
comment on column public.interviews.status is 'scheduled, completed or cancelled.';
comment on column public.interviews.cost is 'Credits charged when the interview was created.';
comment on column public.interviews.refunded_credits is 'Credits given back (the full cost once cancelled, else 0).';
comment on column public.interviews.created_at is 'When the interview was created (and charged).';
comment on column public.interviews.cancelled_at is 'When it was cancelled; null unless status = cancelled.';

create index interviews_user_id_created_at_idx on public.interviews (user_id, created_at desc);

alter table public.interviews enable row level security;

create policy "Users can read their own interviews"
  on public.interviews for select
  to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.interviews from public, anon, authenticated, service_role;
grant select on table public.interviews to authenticated, service_role;

alter table public.credit_ledger
  add constraint credit_ledger_interview_id_fkey foreign key (interview_id) references public.interviews (id);
-- Partial: most ledger rows name no interview, and `interview_id = $1` (the foreign key's
-- check, cancel_interview's lookup) implies not null, so the planner still uses it.
create index credit_ledger_interview_id_idx on public.credit_ledger (interview_id) where interview_id is not null;
-- An interview is refunded at most once, whatever the code path.
create unique index credit_ledger_one_refund_per_interview_idx
  on public.credit_ledger (interview_id) where kind = 'refund';
