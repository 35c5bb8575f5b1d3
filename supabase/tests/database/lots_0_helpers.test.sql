-- Helpers for the lots_* property files (like 000-setup-tests-helpers, NOT rolled back; it sorts
-- before the other lots_* files). They recompute every lot from its moves (billing.credit_lot_moves:
-- the lot a ledger row names, and credit_lot_entries) and the kind of each move's ledger row, independently of the columns the credit core keeps, so a core that moves
-- the wrong part of a lot (spends a held credit, expires a spent one, returns a voided one) is seen.


-- Every lot whose kept parts differ from the parts its entries say it has.
--   creation (the lot's own ledger row): amount; spend / negative adjustment: spent;
--   hold: remaining -> held; capture (spend with delta 0): held -> spent; release: held -> remaining;
--   expiration: expired; reversal: voided; rollover: rolled_over (the lot it takes from; the lot it
--   creates has the row as its own ledger row).
create or replace function tests.lot_audit(p_user_id uuid default null)
returns table (lot_id bigint, kept jsonb, derived jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  with moves as (
    select e.lot_id,
           pg_catalog.sum(e.remaining_delta) filter (where e.ledger_id = c.ledger_id) as amount,
           coalesce(pg_catalog.sum(e.remaining_delta), 0) as remaining,
           coalesce(pg_catalog.sum(e.held_delta), 0) as held,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.ledger_id <> c.ledger_id and e.kind in ('spend', 'adjustment')), 0)
             + coalesce(-pg_catalog.sum(e.held_delta) filter (where e.kind = 'spend'), 0) as spent,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'expiration'), 0) as expired,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'reversal'), 0) as voided,
           coalesce(-pg_catalog.sum(e.remaining_delta) filter (where e.kind = 'rollover' and e.ledger_id <> c.ledger_id), 0) as rolled_over
      from billing.credit_lot_moves e
      join public.credit_lots c on c.id = e.lot_id
     where p_user_id is null or (c.user_id = p_user_id and e.user_id = p_user_id)
     group by e.lot_id
  )
  select c.id,
         pg_catalog.jsonb_build_object('amount', c.amount, 'remaining', c.remaining, 'held', c.held, 'spent', c.spent,
           'expired', c.expired, 'voided', c.voided, 'rolled_over', c.rolled_over),
         pg_catalog.jsonb_build_object('amount', m.amount, 'remaining', m.remaining, 'held', m.held, 'spent', m.spent,
           'expired', m.expired, 'voided', m.voided, 'rolled_over', m.rolled_over)
    from public.credit_lots c
    left join moves m on m.lot_id = c.id
   where (p_user_id is null or c.user_id = p_user_id)
     and (m.lot_id is null
          or (c.amount, c.remaining, c.held, c.spent, c.expired, c.voided, c.rolled_over)
             is distinct from (m.amount, m.remaining, m.held, m.spent, m.expired, m.voided, m.rolled_over)
          -- never more out of a lot than went in: no entry sequence overdraws it at any point
          or m.spent + m.expired + m.voided + m.rolled_over + m.held + m.remaining <> c.amount)
$$;
comment on function tests.lot_audit(uuid) is
  'Lots whose kept parts (amount, remaining, held, spent, expired, voided, rolled_over) differ from the parts recomputed from their moves (billing.credit_lot_moves: ledger rows naming the lot and credit_lot_entries) and the kinds of the ledger rows (empty = every lot is exactly its history).';

-- Entries that took more from a lot than it had at that moment (running sums in ledger order).
create or replace function tests.lot_overdrafts(p_user_id uuid default null)
returns table (lot_id bigint, ledger_id bigint, remaining_after bigint, held_after bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select r.lot_id, r.ledger_id, r.remaining_after, r.held_after
    from (select e.lot_id, e.ledger_id,
                 pg_catalog.sum(e.remaining_delta) over (partition by e.lot_id order by e.ledger_id) as remaining_after,
                 pg_catalog.sum(e.held_delta) over (partition by e.lot_id order by e.ledger_id) as held_after
            from billing.credit_lot_moves e
           where p_user_id is null or e.user_id = p_user_id) r
   where r.remaining_after < 0 or r.held_after < 0
$$;
comment on function tests.lot_overdrafts(uuid) is
  'Lot moves (billing.credit_lot_moves) after which, in ledger order, the lot''s remaining or held part would be negative (empty = no lot was ever spent, held or taken twice).';

-- A user's available credits that can really be spent: remaining in lots not past expiry.
create or replace function tests.spendable_lots(p_user_id uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(pg_catalog.sum(c.remaining), 0)::integer from public.credit_lots c
   where c.user_id = p_user_id and (c.expires_at is null or c.expires_at > pg_catalog.now())
$$;
comment on function tests.spendable_lots(uuid) is 'Credits of a user''s lots that are spendable now (remaining, not past expiry).';

-- A dblink connection string to this same database, as the same superuser (for race tests that
-- need separate sessions). The local stack's password is postgres.
create or replace function tests.self_conninfo()
returns text
language sql
stable
set search_path = ''
as $$
  select pg_catalog.format('host=%s port=%s dbname=%s user=%s password=postgres',
    coalesce(pg_catalog.host(pg_catalog.inet_server_addr()), '127.0.0.1'), pg_catalog.current_setting('port'),
    pg_catalog.current_database(), session_user)
$$;
comment on function tests.self_conninfo() is 'libpq connection string back to this database (dblink race tests).';

-- The racer machinery of the race files (lots_races, team_races): queues of calls, one per
-- dblink connection back to this database, each call its own transaction as an API request is,
-- all connections driven at once. A race file fills tests.race_queue inside its own transaction
-- (rolled back with it) and calls tests.race_drive().
create extension if not exists dblink with schema extensions;

create table if not exists tests.race_queue (conn text, seq int, sql text, sent boolean default false, result text);
comment on table tests.race_queue is 'Racer queues of the race tests: per connection, the calls in order, and each answer (or error).';

-- Opens a racer connection and runs its set-up statements (e.g. tests.race_as_caller).
create or replace function tests.race_open(p_conn text, p_setup text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_sql text;
begin
  perform extensions.dblink_connect(p_conn, tests.self_conninfo());
  foreach v_sql in array p_setup loop
    perform extensions.dblink_exec(p_conn, v_sql);
  end loop;
end $$;
comment on function tests.race_open(text, text[]) is 'Opens dblink connection p_conn to this database and runs p_setup on it.';

-- A session acting as an API caller: role and JWT claims for the whole session.
create or replace function tests.race_as_caller(p_role text, p_sub uuid)
returns text[]
language sql
set search_path = ''
as $$
  select array[pg_catalog.format('set role %I', p_role),
               pg_catalog.format('set request.jwt.claims = %L', pg_catalog.jsonb_build_object('role', p_role, 'sub', p_sub)::text)] $$;
comment on function tests.race_as_caller(text, uuid) is 'The set-up statements that make a racer session an API caller (role, JWT claims).';

-- A call through tests.error_of: 'ok' when it succeeded, else its SQLSTATE and message.
create or replace function tests.race_call(p_sql text)
returns text
language sql
set search_path = ''
as $$
  select pg_catalog.format($q$select coalesce((select (e ->> 'code') || ' ' || (e ->> 'message') from (select tests.error_of(%L) as e) x), 'ok')$q$,
                p_sql) $$;
comment on function tests.race_call(text) is 'Wraps a call so a racer answers ok or its SQLSTATE and message.';

-- Runs every queue at once: sends each connection its next query as soon as the previous one is
-- answered, until all are done. Each answer (or error message) goes to race_queue.result.
create or replace function tests.race_drive()
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_conn text;
  v_item tests.race_queue;
  v_result text;
  v_pending boolean;
  v_inflight text[] := '{}'::text[];
begin
  loop
    v_pending := false;
    for v_conn in select distinct conn from tests.race_queue order by conn loop
      if v_conn = any (v_inflight) then
        if extensions.dblink_is_busy(v_conn) = 1 then
          v_pending := true;
          continue;
        end if;
        select r into v_result from extensions.dblink_get_result(v_conn, false) as t(r text);
        if v_result is null then
          v_result := 'dblink error: ' || extensions.dblink_error_message(v_conn);
        end if;
        perform 1 from extensions.dblink_get_result(v_conn, false) as t(r text);
        update tests.race_queue set result = v_result
         where conn = v_conn and seq = (select pg_catalog.max(seq) from tests.race_queue where conn = v_conn and sent);
        v_inflight := pg_catalog.array_remove(v_inflight, v_conn);
      end if;
      select * into v_item from tests.race_queue where conn = v_conn and not sent order by seq limit 1;
      if found then
        perform extensions.dblink_send_query(v_conn, v_item.sql);
        update tests.race_queue set sent = true where conn = v_conn and seq = v_item.seq;
        v_inflight := v_inflight || v_conn;
        v_pending := true;
      end if;
    end loop;
    exit when not v_pending;
    perform pg_catalog.pg_sleep(0.0005);
  end loop;
end $$;
comment on function tests.race_drive() is 'Sends each racer connection its next queued call as soon as the previous one answered, until every queue is done; answers go to tests.race_queue.result.';

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(3);
select has_function('tests', 'lot_audit', array['uuid'], 'tests.lot_audit(user) exists');
select has_function('tests', 'lot_overdrafts', array['uuid'], 'tests.lot_overdrafts(user) exists');
select is_empty($$ select * from tests.lot_audit() $$, 'the seed''s lots are exactly their moves');
select * from finish();
rollback;
