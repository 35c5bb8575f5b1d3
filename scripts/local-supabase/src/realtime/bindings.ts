// The postgres_changes part of a phx_join: turns the client's binding objects into our bindings,
// the echo for the join reply (each object unchanged plus its id, in the same order, as
// realtime-js requires) and the problems to report as `system` errors.
import crypto from 'node:crypto';
import type { PostgresBinding } from './channel.ts';
import { FilterError, parseChangeFilter } from './filters.ts';

type Json = Record<string, unknown>;

export interface JoinBindings {
  bindings: PostgresBinding[];
  echoed: Json[];
  problems: string[];
}

/** A stable integer per binding, like Realtime's :erlang.phash2(params). */
function bindingId(params: Json): number {
  return crypto.createHash('sha1').update(JSON.stringify(params)).digest().readUInt32BE(0) % 100_000_000;
}

/** The join reply's postgres_changes: each requested object unchanged plus its id. */
export function echoBindings(requested: Json[]): Json[] {
  return requested.map((params) => ({ ...params, id: bindingId(params) }));
}

/** `published` holds `schema.table` names of the supabase_realtime publication. */
export function parseBindings(requested: Json[], published: Set<string>): JoinBindings {
  const bindings: PostgresBinding[] = [];
  const problems: string[] = [];
  const echoed = requested.map((params) => {
    const id = bindingId(params);
    const event = String(params.event ?? '*').toUpperCase();
    const schema = typeof params.schema === 'string' ? params.schema : 'public';
    const table = typeof params.table === 'string' ? params.table : '*';
    const inPublication = [...published].some((name) => {
      const [s, t] = name.split('.');
      return (schema === '*' || schema === s) && (table === '*' || table === t);
    });
    try {
      const filters = parseChangeFilter(typeof params.filter === 'string' ? params.filter : undefined);
      if (inPublication) {
        bindings.push({ id, event: (['INSERT', 'UPDATE', 'DELETE'].includes(event) ? event : '*') as PostgresBinding['event'], schema, table, filters });
      } else {
        problems.push(`Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: ${event}, schema: ${schema}, table: ${table}, filters: [${String(params.filter ?? '')}]]`);
      }
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      problems.push(error.message);
    }
    return { ...params, id };
  });
  return { bindings, echoed, problems };
}
