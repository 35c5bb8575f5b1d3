-- Local-only data (never run in production): the plans on sale and a demo recruiter.
-- Demo login: demo@recruiter.test / demo-password-123 (12 credits, granted through the ledger).

insert into public.plans (id, name, description, kind, credits, price_cents, currency, sort_order) values
  ('pack_5', '5 credits', 'A small pack: up to five 30-minute interviews.', 'pack', 5, 500, 'usd', 10),
  ('pack_10', '10 credits', 'A pack of ten credits at a lower price per credit.', 'pack', 10, 900, 'usd', 20),
  ('tier_starter', 'Starter', '25 credits for a small hiring round.', 'tier', 25, 2000, 'usd', 30),
  ('tier_pro', 'Pro', '60 credits for a team hiring every week.', 'tier', 60, 4500, 'usd', 40),
  ('tier_business', 'Business', '150 credits for high-volume hiring.', 'tier', 150, 10000, 'usd', 50)
on conflict (id) do update set
  name = excluded.name, description = excluded.description, kind = excluded.kind, credits = excluded.credits,
  price_cents = excluded.price_cents, currency = excluded.currency, sort_order = excluded.sort_order;

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

-- Welcome credits through the credit API (a postgres session without JWT may grant).
select public.add_credits(
  'de000000-0000-4000-8000-000000000001', 12, 'grant', 'Welcome credits for the demo account', 'seed', 'seed:demo-welcome'
);
