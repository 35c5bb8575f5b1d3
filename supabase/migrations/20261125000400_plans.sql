-- public.plans: the credit packs and pricing tiers on sale. Everyone may read the active ones;
-- they change only through migrations or support (the API roles cannot write them).

create table public.plans (
  id text primary key check (id ~ '^[a-z0-9_]{1,50}$'),
  name text not null check (pg_catalog.char_length(name) between 1 and 100),
  description text check (description is null or pg_catalog.char_length(description) <= 1000),
  kind text not null check (kind in ('pack', 'tier')),
  credits integer not null check (credits > 0 and credits <= 10000),
  credits_expire_after interval check (credits_expire_after is null or credits_expire_after > interval '0' and credits_expire_after <= interval '100 years'),
  price_cents integer not null check (price_cents > 0),
  currency text not null default 'usd' check (currency ~ '^[a-z]{3}$'),
  provider_price_id text check (provider_price_id is null or pg_catalog.char_length(provider_price_id) <= 200),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default pg_catalog.now(),
  updated_at timestamptz not null default pg_catalog.now()
);

comment on table public.plans is
  'Credit packs and pricing tiers on sale. Readable by everyone while active; changed only by migrations or support. Deactivate (active = false) instead of deleting a plan that has payments.';
comment on column public.plans.id is 'Stable plan id used by the app and the payment provider metadata, e.g. pack_5, tier_pro.';
comment on column public.plans.name is 'Name shown to buyers.';
comment on column public.plans.description is 'Short description shown to buyers.';
comment on column public.plans.kind is 'pack (one-off credit pack) or tier (pricing tier).';
comment on column public.plans.credits is 'Credits granted when the plan is paid (1..10000).';
comment on column public.plans.credits_expire_after is 'How long the credits last after payment (their lot expires at paid_at + this; more than 0, at most 100 years); null = they never expire. Copied to the payment when a checkout starts.';
comment on column public.plans.price_cents is 'Price in minor units of currency (cents).';
comment on column public.plans.currency is 'ISO 4217 currency code, lower case (e.g. usd).';
comment on column public.plans.provider_price_id is 'Price id at the payment provider (Stripe price_...), if the provider uses one; null means price_cents is sent inline.';
comment on column public.plans.active is 'Whether the plan is on sale; inactive plans are hidden from users and cannot be bought.';
comment on column public.plans.sort_order is 'Display order, ascending.';
comment on column public.plans.created_at is 'When the plan was created.';
comment on column public.plans.updated_at is 'When the plan last changed.';

create trigger plans_touch_updated_at
  before update on public.plans
  for each row execute function billing.touch_updated_at();

create index plans_active_sort_order_idx on public.plans (active, sort_order);

alter table public.plans enable row level security;

create policy "Anyone can read active plans"
  on public.plans for select
  to anon, authenticated
  using (active);

revoke all on table public.plans from public, anon, authenticated, service_role;
grant select on table public.plans to anon, authenticated, service_role;

-- The catalogue on sale. Part of the schema, not of seed.sql: a hosted `supabase db push` has
-- no seed, and an empty catalogue would make every checkout fail. `do nothing` keeps prices
-- support changed later (a migration never overwrites them).
-- Packs never expire; a tier's credits last a year from payment.
insert into public.plans (id, name, description, kind, credits, credits_expire_after, price_cents, currency, sort_order) values
  ('pack_5', '5 credits', 'A small pack: up to five 30-minute interviews.', 'pack', 5, null, 500, 'usd', 10),
  ('pack_10', '10 credits', 'A pack of ten credits at a lower price per credit.', 'pack', 10, null, 900, 'usd', 20),
  ('tier_starter', 'Starter', '25 credits for a small hiring round.', 'tier', 25, interval '365 days', 2000, 'usd', 30),
  ('tier_pro', 'Pro', '60 credits for a team hiring every week.', 'tier', 60, interval '365 days', 4500, 'usd', 40),
  ('tier_business', 'Business', '150 credits for high-volume hiring.', 'tier', 150, interval '365 days', 10000, 'usd', 50)
on conflict (id) do nothing;
