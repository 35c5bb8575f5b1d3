// realtime.messages is partitioned by day; Realtime creates the partitions from yesterday to
// three days ahead whenever it connects to a project (connect/create_partitions.ex). Without
// today's partition realtime.send only raises a warning and nothing is broadcast.
import type pg from 'pg';

const REFRESH_MS = 6 * 60 * 60 * 1000;

export async function ensureMessagePartitions(pool: pg.Pool): Promise<void> {
  await pool.query(`
    do $$
    declare
      day date;
    begin
      if pg_catalog.to_regclass('realtime.messages') is null then return; end if;
      for day in select generate_series(current_date - 1, current_date + 3, interval '1 day')::date loop
        execute format('create table if not exists realtime.%I partition of realtime.messages for values from (%L) to (%L)',
          'messages_' || to_char(day, 'YYYY_MM_DD'), day, day + 1);
      end loop;
    end
    $$`);
}

/** Keeps the partitions ahead of the calendar while the server runs. */
export function keepMessagePartitions(pool: pg.Pool): NodeJS.Timeout {
  const timer = setInterval(() => {
    ensureMessagePartitions(pool).catch((error: unknown) => {
      console.error('realtime: creating realtime.messages partitions failed:', error instanceof Error ? error.message : error);
    });
  }, REFRESH_MS);
  timer.unref();
  return timer;
}
