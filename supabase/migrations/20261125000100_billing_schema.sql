-- The private schema `billing`: internals of the credit system (idempotency records, processed
-- webhook events, trigger functions, support tools). It is not in the API's exposed schemas and
-- the API roles get no privilege on it, so nothing here is reachable over REST/RPC.

create schema if not exists billing;
comment on schema billing is
  'Private internals of the credit system (idempotency records, webhook bookkeeping, trigger and support functions). Not exposed by the API; reached only through the security definer functions in public.';

revoke all on schema billing from public, anon, authenticated, service_role;

-- Functions are executable by PUBLIC by default; in this schema nobody but the owner may call them.
alter default privileges in schema billing revoke execute on functions from public;

create or replace function billing.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
comment on function billing.touch_updated_at() is
  'Trigger: sets updated_at to now() on every update of the row.';
revoke execute on function billing.touch_updated_at() from public, anon, authenticated, service_role;
