// PostgREST's schema cache: the tables, columns and functions of the exposed schema, read from
// pg_catalog. Every identifier the REST layer puts into SQL comes from here, never from the
// request. Reloaded on `NOTIFY pgrst, 'reload schema'` and when a lookup misses.
import pg from 'pg';

export const EXPOSED_SCHEMA = 'public';

export interface Column {
  name: string;
  /** SQL type as format_type() prints it, safe to splice after `::`. */
  type: string;
  typname: string;
}

export interface Table {
  name: string;
  columns: Map<string, Column>;
  columnList: Column[];
  primaryKey: string[];
}

export interface FunctionArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface DbFunction {
  name: string;
  args: FunctionArg[];
  returnsSet: boolean;
  returnsVoid: boolean;
  volatility: 'i' | 's' | 'v';
  /** Columns of a composite / TABLE result (for filters and order on rpc results). */
  resultColumns: Map<string, Column>;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const TABLES_SQL = `
  select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typname
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_catalog.pg_type t on t.oid = a.atttypid
  where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
  order by c.relname, a.attnum`;

const PRIMARY_KEYS_SQL = `
  select c.relname as table, array_agg(a.attname::text order by k.ord) as columns
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
  where i.indisprimary and n.nspname = $1
  group by c.relname`;

const FUNCTIONS_SQL = `
  select p.proname as name, p.proretset as returns_set, p.provolatile as volatility,
         p.pronargs as nargs, p.pronargdefaults as ndefaults,
         coalesce(p.proargnames, '{}') as arg_names,
         coalesce(p.proargmodes::text[], '{}') as arg_modes,
         array(select format_type(u.t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, i) order by u.i) as arg_types,
         (p.prorettype = 'pg_catalog.void'::regtype) as returns_void,
         coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'typname', t.typname) order by a.attnum)
                   from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid
                   where a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped), '[]') as rel_columns
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  join pg_catalog.pg_type rt on rt.oid = p.prorettype
  where n.nspname = $1 and p.prokind = 'f'`;

// The authenticator's `pgrst.*` role settings (PostgREST's in-database configuration, on by default
// and not turned off by `supabase start`); a database-specific setting wins over a role-wide one.
const ROLE_SETTINGS_SQL = `
  select coalesce(array_agg(cfg order by s.setdatabase), '{}') as settings
  from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) cfg
  where s.setrole = (select oid from pg_catalog.pg_roles where rolname = current_user)
    and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
    and cfg like 'pgrst.%'`;

/** The PostgREST settings the REST layer honours; their defaults are PostgREST's (and `supabase start`'s). */
export interface PgrstSettings {
  /** db-tx-end: `commit` (default: `Prefer: tx=rollback` is ignored), `commit-allow-override`, `rollback`, `rollback-allow-override`. */
  txEnd: string;
  /** db-aggregates-enabled (default false: aggregates answer PGRST123). */
  aggregatesEnabled: boolean;
}

export const DEFAULT_SETTINGS: PgrstSettings = { txEnd: 'commit', aggregatesEnabled: false };

function toSettings(entries: string[]): PgrstSettings {
  const values = new Map(entries.map((entry) => {
    const eq = entry.indexOf('=');
    return [entry.slice(0, eq), entry.slice(eq + 1)] as const;
  }));
  const txEnd = values.get('pgrst.db_tx_end') ?? DEFAULT_SETTINGS.txEnd;
  return {
    txEnd: ['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'].includes(txEnd) ? txEnd : DEFAULT_SETTINGS.txEnd,
    aggregatesEnabled: ['true', 'on', '1'].includes((values.get('pgrst.db_aggregates_enabled') ?? '').toLowerCase()),
  };
}

interface FunctionRow {
  name: string;
  returns_set: boolean;
  volatility: 'i' | 's' | 'v';
  nargs: number;
  ndefaults: number;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  returns_void: boolean;
  rel_columns: Column[];
}

function toFunction(row: FunctionRow): DbFunction {
  const args: FunctionArg[] = [];
  const outColumns: Column[] = [];
  row.arg_types.forEach((type, i) => {
    const mode = row.arg_modes[i] ?? 'i';
    const name = row.arg_names[i] ?? '';
    if (mode === 'i' || mode === 'b' || mode === 'v') args.push({ name, type, hasDefault: false });
    if (mode === 'o' || mode === 'b' || mode === 't') outColumns.push({ name, type, typname: type });
  });
  // Defaults belong to the last `ndefaults` input arguments.
  for (let i = args.length - row.ndefaults; i < args.length; i += 1) if (i >= 0) args[i].hasDefault = true;
  const columns = row.rel_columns.length > 0 ? row.rel_columns : outColumns;
  return {
    name: row.name,
    args,
    returnsSet: row.returns_set,
    returnsVoid: row.returns_void,
    volatility: row.volatility,
    resultColumns: new Map(columns.map((c) => [c.name, c])),
  };
}

export class SchemaCache {
  private tables = new Map<string, Table>();
  private functions = new Map<string, DbFunction[]>();
  private pgrstSettings: PgrstSettings = DEFAULT_SETTINGS;
  private current: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private loadStartedAt = 0;

  constructor(private readonly pool: pg.Pool) {}

  /** Loads the catalog; loads never overlap, and at most one more waits behind a running one. */
  load(): Promise<void> {
    this.next ??= (this.current ?? Promise.resolve()).catch(() => {}).then(() => {
      this.next = undefined;
      this.loadStartedAt = performance.now();
      this.current = this.doLoad();
      return this.current;
    });
    return this.next;
  }

  /** A miss reloads unless a load started after the request did (it would already see the object). */
  private async reloadOnMiss(since: number): Promise<void> {
    if (this.loadStartedAt >= since) await this.current?.catch(() => {});
    else await this.load();
  }

  private async doLoad(): Promise<void> {
    const [columns, keys, functions, settings] = await Promise.all([
      this.pool.query<{ table: string } & Column>(TABLES_SQL, [EXPOSED_SCHEMA]),
      this.pool.query<{ table: string; columns: string[] }>(PRIMARY_KEYS_SQL, [EXPOSED_SCHEMA]),
      this.pool.query<FunctionRow>(FUNCTIONS_SQL, [EXPOSED_SCHEMA]),
      this.pool.query<{ settings: string[] }>(ROLE_SETTINGS_SQL),
    ]);
    this.pgrstSettings = toSettings(settings.rows[0]?.settings ?? []);
    const tables = new Map<string, Table>();
    for (const row of columns.rows) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, columns: new Map(), columnList: [], primaryKey: [] };
        tables.set(row.table, table);
      }
      const column = { name: row.name, type: row.type, typname: row.typname };
      table.columns.set(row.name, column);
      table.columnList.push(column);
    }
    for (const row of keys.rows) {
      const table = tables.get(row.table);
      if (table) table.primaryKey = row.columns;
    }
    const byName = new Map<string, DbFunction[]>();
    for (const row of functions.rows) {
      const fn = toFunction(row);
      byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn]);
    }
    this.tables = tables;
    this.functions = byName;
  }

  /** The authenticator's `pgrst.*` settings as of the last load. */
  settings(): PgrstSettings {
    return this.pgrstSettings;
  }

  async table(name: string): Promise<Table | undefined> {
    if (!this.tables.has(name)) await this.reloadOnMiss(performance.now());
    return this.tables.get(name);
  }

  async functionOverloads(name: string): Promise<DbFunction[]> {
    if (!this.functions.has(name)) await this.reloadOnMiss(performance.now());
    return this.functions.get(name) ?? [];
  }

  /** Names of all functions, for PostgREST's "Perhaps you meant" hint. */
  functionNames(): string[] {
    return [...this.functions.keys()];
  }

  /**
   * LISTEN pgrst; 'reload schema' (and 'reload config', for the pgrst.* settings) reloads the cache like PostgREST does. The listener reconnects
   * (and reloads) when the database goes away and comes back.
   */
  async watch(connectionString: string): Promise<() => Promise<void>> {
    let stopped = false;
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString });
      next.on('error', () => {});
      next.on('end', () => {
        if (stopped || client !== next) return;
        client = undefined;
        retry = setTimeout(() => { void connect().then(() => this.load()).catch(() => {}); }, 1000);
      });
      next.on('notification', (message) => {
        if (message.channel === 'pgrst' && /reload (schema|config)/.test(message.payload ?? 'reload schema')) {
          void this.load().catch(() => {});
        }
      });
      try {
        await next.connect();
        await next.query('listen pgrst');
        client = next;
      } catch (error) {
        await next.end().catch(() => {});
        if (stopped) return;
        retry = setTimeout(() => { void connect().then(() => this.load()).catch(() => {}); }, 1000);
        throw error;
      }
    };
    await connect();
    return async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    };
  }
}
