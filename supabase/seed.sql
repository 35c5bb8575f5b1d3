-- Local-only data (never run in production): a demo recruiter. The plans on sale are part of
-- the schema (migration 20261125000400_plans.sql), so a hosted project has them too.
-- Demo login: demo@recruiter.test / demo-password-123 (12 credits, granted through the ledger).

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
