-- billing.idempotency_keys: the stored results of keyed calls. A call repeated with the same key
-- (per user and namespace) returns the stored result and changes nothing; the same key with different
-- arguments (or for another function) is refused with PT409.

create table billing.idempotency_keys (
  user_id uuid not null references public.users (id),
  namespace text not null check (namespace in ('user', 'system')),
  key text not null check (pg_catalog.char_length(key) between 1 and 200),
  fn text not null check (pg_catalog.char_length(fn) between 1 and 100),
  request_hash text not null,
  result jsonb,
  created_at timestamptz not null default pg_catalog.now(),
  primary key (user_id, namespace, key)
);

comment on table billing.idempotency_keys is
  'Results of calls made with an idempotency key, one row per (user, namespace, key). Keys the user chose (namespace user) never collide with keys server code chose (namespace system). A repeat with the same arguments returns result; different arguments raise PT409 idempotency_key_reused. A call that failed left no row, so it may be retried with the same key.';
comment on column billing.idempotency_keys.user_id is 'Whose key it is (the balance the call acted on).';
comment on column billing.idempotency_keys.namespace is 'user: a key the signed-in user chose (deduct_credits, create_interview, cancel_interview); system: a key server code chose (add_credits by the service role).';
comment on column billing.idempotency_keys.key is 'The caller''s idempotency key (1..200 characters).';
comment on column billing.idempotency_keys.fn is 'The function that was called with the key, e.g. deduct_credits.';
comment on column billing.idempotency_keys.request_hash is 'md5 of the call''s arguments (as jsonb text); a repeat must match it.';
comment on column billing.idempotency_keys.result is 'The JSON result returned by the first call (null only while that call is in flight).';
comment on column billing.idempotency_keys.created_at is 'When the first call was made.';

alter table billing.idempotency_keys enable row level security;
revoke all on table billing.idempotency_keys from public, anon, authenticated, service_role;

create or replace function billing.idempotency_begin(
  p_user_id uuid,
  p_key text,
  p_fn text,
  p_request jsonb,
  p_namespace text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_hash text := pg_catalog.md5(p_fn || ':' || p_request::text);
  v_row billing.idempotency_keys;
begin
  if p_key is null then
    return null;
  end if;
  -- A concurrent first call with the same key holds the unique index entry: this insert waits for
  -- it, then either takes over (the other rolled back) or finds its committed result.
  insert into billing.idempotency_keys (user_id, namespace, key, fn, request_hash)
  values (p_user_id, p_namespace, p_key, p_fn, v_hash)
  on conflict (user_id, namespace, key) do nothing;
  if found then
    return null;
  end if;
  select * into strict v_row
    from billing.idempotency_keys
   where user_id = p_user_id and namespace = p_namespace and key = p_key;
  if v_row.request_hash <> v_hash then
    raise exception using
      errcode = 'PT409',
      message = 'idempotency_key_reused',
      detail = pg_catalog.jsonb_build_object('idempotency_key', p_key, 'first_call', v_row.fn)::text,
      hint = 'This idempotency key was already used for a different request; use a new key for a new request.';
  end if;
  return v_row.result || '{"replayed": true}'::jsonb;
end;
$$;
comment on function billing.idempotency_begin(uuid, text, text, jsonb, text) is
  'Starts a keyed call: returns null when the call should run (key new or null), or the first call''s result with replayed = true. Raises PT409 idempotency_key_reused when the key was used with other arguments. Pair with billing.idempotency_finish() in the same transaction.';
revoke execute on function billing.idempotency_begin(uuid, text, text, jsonb, text) from public, anon, authenticated, service_role;

create or replace function billing.idempotency_finish(
  p_user_id uuid,
  p_key text,
  p_result jsonb,
  p_namespace text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_key is not null then
    update billing.idempotency_keys
       set result = p_result
     where user_id = p_user_id and namespace = p_namespace and key = p_key;
  end if;
  return p_result;
end;
$$;
comment on function billing.idempotency_finish(uuid, text, jsonb, text) is
  'Stores the result of a keyed call started with billing.idempotency_begin() and returns it unchanged.';
revoke execute on function billing.idempotency_finish(uuid, text, jsonb, text) from public, anon, authenticated, service_role;
