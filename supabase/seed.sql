-- Local-only data (never run in production): a demo recruiter. The plans on sale are part of
-- the schema (migration 20261125000400_plans.sql), so a hosted project has them too.
-- Demo login: demo@recruiter.test / demo-password-123: four weeks of history (a welcome grant,
-- two purchases, thirteen interviews, one cancelled, four still scheduled, a support credit): 15 credits
-- available and 7 reserved by the scheduled interviews.

-- The auth.users row as GoTrue writes it (empty-string tokens: GoTrue cannot scan NULL there);
-- the sign-up trigger creates public.users.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at
) values (
  '00000000-0000-0000-0000-000000000000', 'de000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated',
  'demo@recruiter.test', extensions.crypt('demo-password-123', extensions.gen_salt('bf', 10)), pg_catalog.now(),
  '', '', '', '',
  '{"provider":"email","providers":["email"]}', '{"name":"Demo Recruiter"}', pg_catalog.now(), pg_catalog.now()
) on conflict (id) do nothing;

-- Real GoTrue (supabase start) also needs an identity row to sign in with a password; the local
-- stack's auth schema has no such table, so this runs only where it exists.
do $$
begin
  if pg_catalog.to_regclass('auth.identities') is not null then
    execute $sql$
      insert into auth.identities (id, user_id, provider_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
      values (pg_catalog.gen_random_uuid(), 'de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000001',
              '{"sub":"de000000-0000-4000-8000-000000000001","email":"demo@recruiter.test","email_verified":true}',
              'email', pg_catalog.now(), pg_catalog.now(), pg_catalog.now())
      on conflict do nothing
    $sql$;
  end if;
end
$$;

-- Four weeks of a recruiter's history, so the first look shows the product, written in time order
-- through billing.apply_credit_change with each change's past date (p_at): the ledger stays
-- append-only and its guards stay on for everyone.
-- Completions and cancellations happen days after the interview was created: they wait here and
-- are written when the history reaches their date, so ledger ids follow time.
create table pg_temp.demo_later (
  at timestamptz not null, delta integer not null, kind text not null, actor text not null, reason text not null,
  interview_id uuid not null, status text not null
);

create function pg_temp.demo_apply(
  p_at timestamptz, p_delta integer, p_kind text, p_actor text, p_reason text, p_reference text,
  p_interview_id uuid, p_payment_id uuid, p_key text
) returns void language sql as $$
  -- The one writer of balances, dated in the past: the same ledger row, lots and running totals it
  -- writes for every change (it refuses a balance below zero with PT402).
  select billing.apply_credit_change('de000000-0000-4000-8000-000000000001', p_delta, p_kind, p_actor, p_reason,
                                     p_reference, p_interview_id, p_payment_id, p_key, p_at);
$$;

create function pg_temp.demo_flush(p_at timestamptz) returns void language plpgsql as $$
declare
  v_later record;
begin
  for v_later in select * from pg_temp.demo_later l where l.at <= p_at order by l.at loop
    if v_later.status = 'completed' then
      update public.interviews set status = 'completed', completed_at = v_later.at where id = v_later.interview_id;
    else
      update public.interviews set status = 'cancelled', cancelled_at = v_later.at, refunded_credits = v_later.delta,
                                   cancellation_reason = 'recruiter' where id = v_later.interview_id;
    end if;
    perform pg_temp.demo_apply(v_later.at, v_later.delta, v_later.kind, v_later.actor, v_later.reason,
      'interview:' || v_later.interview_id, v_later.interview_id, null, null);
  end loop;
  delete from pg_temp.demo_later l where l.at <= p_at;
end;
$$;

create function pg_temp.demo_change(
  p_at timestamptz, p_delta integer, p_kind text, p_actor text, p_reason text, p_reference text,
  p_interview_id uuid default null, p_payment_id uuid default null, p_key text default null
) returns void language plpgsql as $$
begin
  perform pg_temp.demo_flush(p_at);
  perform pg_temp.demo_apply(p_at, p_delta, p_kind, p_actor, p_reason, p_reference, p_interview_id, p_payment_id, p_key);
end;
$$;

-- A paid checkout of the local provider, credited as complete_checkout credits it.
create function pg_temp.demo_purchase(p_at timestamptz, p_plan text, p_n integer) returns void language plpgsql as $$
declare
  v_plan public.plans;
  v_payment uuid;
begin
  select * into strict v_plan from public.plans where id = p_plan;
  insert into public.payments (user_id, plan_id, provider, provider_session_id, provider_payment_intent, credits,
                               amount_cents, currency, status, created_at, updated_at, paid_at)
  values ('de000000-0000-4000-8000-000000000001', p_plan, 'local', 'cs_local_demo_' || p_n, 'pi_local_demo_' || p_n,
          v_plan.credits, v_plan.price_cents, v_plan.currency, 'paid', p_at - interval '2 minutes', p_at, p_at)
  returning id into v_payment;
  perform pg_temp.demo_change(p_at, v_plan.credits, 'purchase', 'service_role',
    pg_catalog.format('Purchase of %s (%s credits)', v_plan.name, v_plan.credits), 'payment:' || v_payment,
    null, v_payment, pg_catalog.format('payment:%s:purchase', v_payment));
end;
$$;

-- An interview whose credits are reserved as create_interview reserves them; completed (the hold
-- captured) or cancelled (the hold released) later if given.
create function pg_temp.demo_interview(
  p_at timestamptz, p_position text, p_description text, p_minutes integer, p_type text,
  p_completed_at timestamptz default null, p_cancelled_at timestamptz default null
) returns void language plpgsql as $$
declare
  v_cost integer := public.interview_cost(p_minutes, p_type);
  v_id uuid;
begin
  insert into public.interviews (user_id, job_position, job_description, duration_minutes, interview_type, cost, created_at,
                                 hold_expires_at)
  values ('de000000-0000-4000-8000-000000000001', p_position, p_description, p_minutes, p_type, v_cost, p_at,
          p_at + billing.hold_lifetime())
  returning id into v_id;
  perform pg_temp.demo_change(p_at, -v_cost, 'hold', 'user:de000000-0000-4000-8000-000000000001',
    'Reserved for interview: ' || p_position, 'interview:' || v_id, v_id);
  if p_completed_at is not null then
    insert into pg_temp.demo_later values (p_completed_at, -v_cost, 'capture', 'service_role',
      'Interview completed: ' || p_position, v_id, 'completed');
  elsif p_cancelled_at is not null then
    insert into pg_temp.demo_later values (p_cancelled_at, v_cost, 'release', 'user:de000000-0000-4000-8000-000000000001',
      'Interview cancelled: ' || p_position, v_id, 'cancelled');
  end if;
end;
$$;

do $$
declare
  -- Whole days back from today at working hours, so the history reads like a real month.
  d date := current_date;
begin
  if exists (select 1 from public.credit_ledger where user_id = 'de000000-0000-4000-8000-000000000001') then
    return;  -- seeded already
  end if;
  perform pg_temp.demo_change((d - 27) + time '09:12', 12, 'grant', 'postgres',
    'Welcome credits for the demo account', 'seed', null, null, 'seed:demo-welcome');
  perform pg_temp.demo_purchase((d - 27) + time '09:40', 'pack_10', 1);
  perform pg_temp.demo_interview((d - 26) + time '10:05', 'Senior Backend Engineer',
    'Go and Postgres services for our payments platform; on-call one week in six.', 60, 'technical', (d - 22) + time '14:00');
  perform pg_temp.demo_interview((d - 25) + time '11:30', 'Product Designer',
    'Own the recruiter dashboard end to end, from research to shipped UI.', 45, 'behavioral', (d - 21) + time '16:00');
  perform pg_temp.demo_interview((d - 20) + time '09:50', 'Data Analyst',
    'SQL, dashboards and experiment analysis for the growth team.', 30, 'screening', (d - 18) + time '11:00');
  perform pg_temp.demo_interview((d - 18) + time '15:20', 'Frontend Engineer (React)',
    'React and TypeScript for the candidate-facing app.', 45, 'technical', null, (d - 17) + time '10:10');
  perform pg_temp.demo_interview((d - 13) + time '13:45', 'Customer Success Lead',
    'Lead a team of four looking after our enterprise accounts.', 30, 'culture_fit', (d - 11) + time '15:30');
  perform pg_temp.demo_purchase((d - 12) + time '08:55', 'pack_10', 2);
  perform pg_temp.demo_interview((d - 10) + time '10:25', 'DevOps Engineer',
    'Kubernetes, Terraform and the CI that ships forty times a day.', 60, 'technical', (d - 6) + time '09:30');
  perform pg_temp.demo_interview((d - 9) + time '15:05', 'Mobile Engineer (iOS)',
    'Swift and SwiftUI for the recruiter app; shipping every two weeks.', 45, 'technical', (d - 5) + time '13:00');
  perform pg_temp.demo_change((d - 8) + time '17:02', 2, 'adjustment', 'support:postgres',
    'An interview dropped the candidate''s call: credits back', 'ticket:SUP-1042');
  perform pg_temp.demo_interview((d - 7) + time '10:50', 'Recruiting Coordinator',
    'Schedule panels and keep candidates informed.', 30, 'screening', (d - 3) + time '11:30');
  perform pg_temp.demo_interview((d - 6) + time '11:15', 'Sales Development Representative',
    'Outbound to HR leaders at mid-sized companies.', 15, 'screening', (d - 4) + time '10:00');
  perform pg_temp.demo_interview((d - 4) + time '14:40', 'Engineering Manager',
    'Manage two product teams; hands-on with architecture reviews.', 60, 'behavioral');
  perform pg_temp.demo_interview((d - 3) + time '16:10', 'Site Reliability Engineer',
    'Own uptime of the interview platform across three regions.', 90, 'technical');
  perform pg_temp.demo_interview((d - 2) + time '09:35', 'QA Engineer',
    'Playwright end-to-end tests and release sign-off.', 30, 'technical');
  perform pg_temp.demo_interview((d - 1) + time '16:20', 'Technical Writer',
    'API references and guides for our developer platform.', 30, 'screening');
  perform pg_temp.demo_flush(pg_catalog.now());
end
$$;
