// The test runners' wrappers report what really happened: each fixture below is a real run of
// the real runner (Vitest, Deno, plpgsql_check, the Supabase CLI) on a tiny project, and every
// way a run can look green while something did not pass must come out as a failure.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeno, runPgTap, runVitest, type LayerResult } from './layers.ts';
import { runPlpgsqlCheck, runSecurityAdvisors } from './db-checks.ts';
import { ROOT, dbUrl } from './config.ts';

const FIXTURES = path.join(ROOT, 'scripts/lib/fixtures');
const VITEST_CONFIG = path.join(FIXTURES, 'vitest/vitest.config.ts');
const vitestFixture = (file: string): Promise<LayerResult> => runVitest(`fixture ${file}`, VITEST_CONFIG, {}, [file], { echo: false });
const denoFixture = (dir: string): Promise<LayerResult> => runDeno(path.join(FIXTURES, dir), {}, { echo: false });

describe('Vitest layer', () => {
  it('passes an honest file', async () => {
    expect(await vitestFixture('honest.fixture.ts')).toMatchObject({ passed: 2, failed: 0 });
  });

  it('fails when Vitest exits non-zero, even with every test passed (a leaked rejection)', async () => {
    expect((await vitestFixture('leaks_rejection.fixture.ts')).failed).toBeGreaterThanOrEqual(1);
  });

  it('counts skipped and todo tests as failures', async () => {
    expect(await vitestFixture('skips.fixture.ts')).toMatchObject({ passed: 1, failed: 2 });
  });

  it('fails a file that runs fewer tests than it declares', async () => {
    expect((await vitestFixture('loses_tests.fixture.ts')).failed).toBeGreaterThanOrEqual(1);
  });
});

describe('Deno layer', () => {
  it('passes an honest module', async () => {
    expect(await denoFixture('deno-honest')).toMatchObject({ passed: 1, failed: 0 });
  });

  it('counts ignored tests as failures', async () => {
    expect(await denoFixture('deno-ignored')).toMatchObject({ passed: 1, failed: 1 });
  });

  it('fails a test module that declares no test', async () => {
    expect((await denoFixture('deno-empty')).failed).toBeGreaterThanOrEqual(1);
  });
});

describe('database checks', () => {
  const name = `layers_fixture_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.TEST_DB_URL ?? dbUrl('postgres') });
  const emptyDb = (): string => {
    const url = new URL(process.env.TEST_DB_URL ?? dbUrl('postgres'));
    url.pathname = `/${name}`;
    return url.toString();
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const empty = new pg.Client({ connectionString: emptyDb() });
    await empty.connect();
    // pgTAP lives out of public, so the database holds no PL/pgSQL function outside an extension.
    await empty.query('create schema extensions');
    await empty.query('create extension pgtap with schema extensions');
    await empty.query(`alter database ${name} set search_path = public, extensions`);
    await empty.end();
  });

  afterAll(async () => {
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  });

  it('pgTAP counts skipped and todo tests as failures', async () => {
    expect(await runPgTap(emptyDb(), path.join(FIXTURES, 'pgtap-skips'), { echo: false })).toMatchObject({ passed: 1, failed: 2 });
  });

  it('plpgsql_check fails when it finds no function to check', async () => {
    expect((await runPlpgsqlCheck(emptyDb())).failed).toBeGreaterThanOrEqual(1);
  });

  it('the security advisors fail when the CLI exits non-zero (its JSON then has no results)', async () => {
    const unreachable = 'postgresql://postgres:postgres@127.0.0.1:1/postgres';
    expect((await runSecurityAdvisors(unreachable)).failed).toBeGreaterThanOrEqual(1);
  });
});
