-- public.payments: one row per checkout session, pending -> paid -> refunded / failed.
-- Written only by the service-role payment functions; users read their own.

create table public.payments (
  id uuid primary key default pg_catalog.gen_random_uuid(),
  user_id uuid not null references public.users (id),
  plan_id text not null references public.plans (id),
  provider text not null check (provider in ('stripe', 'local')),
  provider_session_id text not null unique check (pg_catalog.char_length(provider_session_id) between 1 and 500),
  provider_payment_intent text unique check (provider_payment_intent is null or pg_catalog.char_length(provider_payment_intent) between 1 and 500),
  credits integer not null check (credits > 0),
  amount_cents integer not null check (amount_cents > 0),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  status text not null default 'pending' check (status in ('pending', 'paid', 'refunded', 'partially_refunded', 'failed')),
  amount_refunded_cents integer not null default 0 check (amount_refunded_cents >= 0),
  credits_reversed integer not null default 0 check (credits_reversed >= 0),
  credits_unrecovered integer not null default 0 check (credits_unrecovered >= 0),
  failure_reason text check (failure_reason is null or pg_catalog.char_length(failure_reason) <= 1000),
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now(),
  paid_at timestamptz,
  constraint payments_refund_within_amount check (amount_refunded_cents <= amount_cents),
  constraint payments_reversal_within_credits check (credits_reversed + credits_unrecovered <= credits)
);

comment on table public.payments is
  'One checkout (a purchase of a plan): pending when the checkout starts, paid when the provider confirms, then refunded/partially_refunded, or failed. Written only by the payment functions (service role).';
comment on column public.payments.id is 'Payment id.';
comment on column public.payments.user_id is 'The buyer (public.users.id).';
comment on column public.payments.plan_id is 'The plan bought (public.plans.id).';
comment on column public.payments.provider is 'Payment provider: stripe, or local (the development checkout without a Stripe account).';
comment on column public.payments.provider_session_id is 'Checkout session id at the provider (Stripe cs_...; local cs_local_...). Unique.';
comment on column public.payments.provider_payment_intent is 'Payment intent id at the provider (Stripe pi_...), known once paid; refunds are matched by it.';
comment on column public.payments.credits is 'Credits this payment grants, copied from the plan when the checkout started.';
comment on column public.payments.amount_cents is 'Amount charged in minor units, copied from the plan when the checkout started.';
comment on column public.payments.currency is 'ISO 4217 currency code, lower case.';
comment on column public.payments.status is 'pending, paid, refunded, partially_refunded or failed.';
comment on column public.payments.amount_refunded_cents is 'Total refunded so far by the provider, in minor units.';
comment on column public.payments.credits_reversed is 'Credits taken back from the balance because of refunds.';
comment on column public.payments.credits_unrecovered is 'Credits a refund should have taken back but could not because they were already spent.';
comment on column public.payments.failure_reason is 'Why the payment failed (e.g. amount mismatch), for support.';
comment on column public.payments.created_at is 'When the checkout started.';
comment on column public.payments.updated_at is 'When the row last changed.';
comment on column public.payments.paid_at is 'When the provider confirmed the payment.';

create index payments_user_id_created_at_idx on public.payments (user_id, created_at desc);
create index payments_plan_id_idx on public.payments (plan_id);

create trigger payments_touch_updated_at
  before update on public.payments
  for each row execute function billing.touch_updated_at();

alter table public.payments enable row level security;

create policy "Users can read their own payments"
  on public.payments for select
  to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.payments from public, anon, authenticated, service_role;
grant select on table public.payments to authenticated, service_role;

alter table public.credit_ledger
  add constraint credit_ledger_payment_id_fkey foreign key (payment_id) references public.payments (id);
-- Partial: most ledger rows name no payment, and `payment_id = $1` (the foreign key's check,
-- lookups) implies not null, so the planner still uses it.
create index credit_ledger_payment_id_idx on public.credit_ledger (payment_id) where payment_id is not null;
