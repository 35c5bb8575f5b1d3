// Static checks of the migrated database: plpgsql_check on every PL/pgSQL function of ours, and
// the Supabase security advisors (the same lints the hosted dashboard shows). Each fails when it
// checked nothing: no function found, or a CLI that exited non-zero or returned no results.
import path from 'node:path';
import pg from 'pg';
import { run } from './run.ts';
import { ROOT } from './config.ts';
import type { LayerResult } from './layers.ts';

export async function runPlpgsqlCheck(dbUrl: string): Promise<LayerResult> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query('create extension if not exists plpgsql_check with schema extensions');
    // Every PL/pgSQL function no extension owns, in whatever schema: a new schema is checked too.
    const fns = await client.query<{ oid: number; name: string; schema: string; trigger_rel: number | null; is_trigger: boolean }>(`
      select p.oid, p.oid::regprocedure::text as name, n.nspname as schema,
             p.prorettype = 'trigger'::regtype as is_trigger,
             (select t.tgrelid::int from pg_catalog.pg_trigger t where t.tgfoid = p.oid limit 1) as trigger_rel
        from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        join pg_catalog.pg_language l on l.oid = p.prolang
       where l.lanname = 'plpgsql' and n.nspname not in ('pg_catalog', 'information_schema')
         and not exists (select 1 from pg_catalog.pg_depend d
                          where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 2`);
    let passed = 0;
    let failed = 0;
    for (const fn of fns.rows) {
      const relid = fn.is_trigger ? (fn.trigger_rel ?? 0) : 0;
      const issues = await client.query<{ level: string; message: string; lineno: number | null }>(
        'select level, message, lineno from extensions.plpgsql_check_function_tb($1::oid, $2::oid)', [fn.oid, relid])
        .catch((error: Error) => ({ rows: [{ level: 'error', message: `plpgsql_check could not check it: ${error.message}`, lineno: null }] }));
      const errors = issues.rows.filter((i) => i.level === 'error');
      for (const i of issues.rows) {
        process.stdout.write(`plpgsql_check ${i.level}: ${fn.name} line ${i.lineno ?? '?'}: ${i.message}\n`);
      }
      if (errors.length > 0) failed += 1; else passed += 1;
    }
    const schemas = [...new Set(fns.rows.map((f) => f.schema))].sort().join(', ');
    if (fns.rows.length === 0) {
      process.stdout.write('plpgsql_check found no PL/pgSQL function to check\n');
      return { layer: 'plpgsql_check', passed: 0, failed: 1, note: 'no PL/pgSQL functions found' };
    }
    return { layer: 'plpgsql_check', passed, failed, note: `${fns.rowCount} functions in ${schemas}` };
  } finally {
    await client.query('drop extension if exists plpgsql_check').catch(() => {});
    await client.end();
  }
}

interface Advisory { name: string; level: string; categories: string[]; detail: string }

export async function runSecurityAdvisors(dbUrl: string): Promise<LayerResult> {
  const r = await run(path.join(ROOT, 'node_modules/.bin/supabase'),
    ['db', 'advisors', `--remote=${dbUrl}`, '--type', 'security', '--level', 'info', '--output-format', 'json'],
    { check: false, cwd: ROOT, env: { ...process.env, DO_NOT_TRACK: '1' } });
  const start = r.stdout.indexOf('{');
  let body: { results?: unknown } = {};
  try { body = JSON.parse(r.stdout.slice(start)) as typeof body; } catch { /* judged below */ }
  if (r.code !== 0 || start < 0 || !Array.isArray(body.results)) {
    process.stdout.write(`supabase db advisors exited ${r.code} without a results list:\n${r.stdout}\n${r.stderr}\n`);
    return { layer: 'security advisors', passed: 0, failed: 1, note: `supabase db advisors exited ${r.code} without results` };
  }
  const findings = body.results as Advisory[];
  const blocking = findings.filter((f) => f.categories.includes('SECURITY') && (f.level === 'WARN' || f.level === 'ERROR'));
  for (const f of findings) process.stdout.write(`advisor ${f.level} ${f.name}: ${f.detail}\n`);
  return { layer: 'security advisors', passed: blocking.length === 0 ? 1 : 0, failed: blocking.length,
    note: `${findings.length} findings, ${blocking.length} WARN/ERROR` };
}
