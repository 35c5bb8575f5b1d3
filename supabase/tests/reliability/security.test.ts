// A fixed list of attacks, each refused: forged, unsigned (`alg: none`) and expired tokens,
// another user's id in the body, direct table writes around the credit functions, the private
// schema, and the service key leaking into the SPA bundle. Balances must not move.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../scripts/lib/run.ts';
import { ROOT } from '../../../scripts/lib/config.ts';
import { API_URL, anonClient, balanceOf, closeDb, db, grantCredits, serviceClient, signUpUser, stackEnv, type SignedUpUser } from '../../../test-support/stack.ts';

afterAll(closeDb);

let victim: SignedUpUser;
let attacker: SignedUpUser;
let victimInterview: string;

beforeAll(async () => {
  [victim, attacker] = await Promise.all([signUpUser('victim'), signUpUser('attacker')]);
  await grantCredits(victim.user.id, 10);
  await grantCredits(attacker.user.id, 1);
  const { data, error } = await victim.client.rpc('create_interview', { job_position: 'Target', duration_minutes: 30 });
  if (error) throw error;
  victimInterview = (data as { interview_id: string }).interview_id;
});

async function call(pathname: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${API_URL}${pathname}`, {
    method: init.method ?? 'POST',
    headers: { apikey: stackEnv().ANON_KEY, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

function claimsOf(user: SignedUpUser, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: user.user.id, role: 'authenticated', aud: 'authenticated', email: user.email, ...extra };
}

async function signed(claims: Record<string, unknown>, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

async function expectBalancesUnchanged(work: () => Promise<void>): Promise<void> {
  const before = [await balanceOf(victim.user.id), await balanceOf(attacker.user.id)];
  await work();
  expect([await balanceOf(victim.user.id), await balanceOf(attacker.user.id)]).toEqual(before);
}

describe('tokens', () => {
  const targets = ['/rest/v1/rpc/deduct_credits', '/functions/v1/checkout'];
  const bodies: Record<string, unknown> = { '/rest/v1/rpc/deduct_credits': { amount: 1 }, '/functions/v1/checkout': { plan_id: 'pack_5' } };

  it('a token signed with another secret (even claiming service_role) is 401', async () => {
    await expectBalancesUnchanged(async () => {
      for (const claims of [claimsOf(victim, { exp: now() + 3600 }), { role: 'service_role', exp: now() + 3600 }]) {
        const forged = await signed(claims, crypto.randomBytes(32).toString('base64url'));
        for (const target of targets) expect((await call(target, forged, { body: bodies[target] })).status, target).toBe(401);
        expect((await call('/rest/v1/rpc/add_credits', forged, { body: { user_id: attacker.user.id, amount: 100 } })).status).toBe(401);
      }
    });
  });

  it('an unsigned token (alg: none) is 401', async () => {
    await expectBalancesUnchanged(async () => {
      for (const claims of [claimsOf(victim, { exp: now() + 3600 }), { role: 'service_role', exp: now() + 3600 }]) {
        for (const token of [`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, `${b64({ alg: 'none' })}.${b64(claims)}.x`]) {
          for (const target of targets) expect((await call(target, token, { body: bodies[target] })).status, target).toBe(401);
          expect((await call('/rest/v1/rpc/add_credits', token, { body: { user_id: attacker.user.id, amount: 100 } })).status).toBe(401);
        }
      }
    });
  });

  it('an expired token is 401, and so is one claiming RS256 (algorithm confusion)', async () => {
    await expectBalancesUnchanged(async () => {
      const expired = await signed(claimsOf(victim, { iat: now() - 7200, exp: now() - 3600 }), stackEnv().JWT_SECRET);
      for (const target of targets) expect((await call(target, expired, { body: bodies[target] })).status, target).toBe(401);
      const confused = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claimsOf(victim, { exp: now() + 3600 }))}.${crypto.randomBytes(32).toString('base64url')}`;
      for (const target of targets) expect((await call(target, confused, { body: bodies[target] })).status, target).toBe(401);
    });
  });
});

describe("another user's id", () => {
  it('add_credits for oneself or the victim is refused to a signed-in user', async () => {
    await expectBalancesUnchanged(async () => {
      for (const userId of [attacker.user.id, victim.user.id]) {
        const { error, status } = await attacker.client.rpc('add_credits', { user_id: userId, amount: 100 });
        expect(status).toBe(403);
        expect(error?.code).toBe('42501');
      }
    });
  });

  it('deduct_credits and create_interview take no user id: naming the victim is a 404 (no such function), not a spend', async () => {
    await expectBalancesUnchanged(async () => {
      const spend = await attacker.client.rpc('deduct_credits', { amount: 1, user_id: victim.user.id } as never);
      expect(spend.status).toBe(404);
      expect(spend.error?.code).toBe('PGRST202');
      const create = await attacker.client.rpc('create_interview', { job_position: 'x', user_id: victim.user.id } as never);
      expect(create.status).toBe(404);
    });
  });

  it("cancelling the victim's interview is unknown_interview and refunds nothing", async () => {
    await expectBalancesUnchanged(async () => {
      const { error, status } = await attacker.client.rpc('cancel_interview', { interview_id: victimInterview });
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: '22023', message: 'unknown_interview' });
    });
    const { rows } = await db().query('select status from public.interviews where id = $1', [victimInterview]);
    expect(rows[0].status).toBe('scheduled');
  });

  it("the victim's rows are invisible: users, ledger, interviews, payments", async () => {
    for (const table of ['users', 'credit_ledger', 'interviews', 'payments']) {
      const column = table === 'users' ? 'id' : 'user_id';
      const { data, error } = await attacker.client.from(table).select('*').eq(column, victim.user.id);
      expect(error, table).toBeNull();
      expect(data, table).toEqual([]);
    }
  });

  it('checkout takes no user id: naming the victim is a 400 invalid_request and creates no payment', async () => {
    const answer = await call('/functions/v1/checkout', attacker.session.access_token, { body: { plan_id: 'pack_5', user_id: victim.user.id } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request' } });
    const { rows } = await db().query('select count(*)::int as n from public.payments where user_id = $1', [victim.user.id]);
    expect(rows[0].n).toBe(0);
  });

  it("completing the victim's local checkout as the attacker is 403 forbidden", async () => {
    const { data, error } = await victim.client.functions.invoke('checkout', { body: { plan_id: 'pack_5' } });
    expect(error).toBeNull();
    const sessionId = (data as { session_id: string }).session_id;
    await expectBalancesUnchanged(async () => {
      const answer = await call('/functions/v1/local-checkout-complete', attacker.session.access_token, { body: { session_id: sessionId } });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    });
  });
});

describe('direct table writes', () => {
  it('a recruiter cannot write credits, the ledger, interviews, payments or plans', async () => {
    await expectBalancesUnchanged(async () => {
      const c = attacker.client;
      const me = attacker.user.id;
      const attempts = [
        await c.from('users').update({ credits: 1000 }).eq('id', me),
        await c.from('users').update({ credits: 1000 }).eq('id', victim.user.id),
        await c.from('credit_ledger').insert({ user_id: me, delta: 1000, balance_after: 1001, kind: 'grant', actor: 'me' }),
        await c.from('credit_ledger').delete().eq('user_id', me),
        await c.from('credit_ledger').update({ delta: 1000 }).eq('user_id', me),
        await c.from('interviews').insert({ user_id: me, job_position: 'free', duration_minutes: 30, interview_type: 'technical', cost: 1 }),
        await c.from('interviews').update({ status: 'cancelled' }).eq('id', victimInterview),
        await c.from('payments').insert({ user_id: me, plan_id: 'pack_10', provider: 'local', provider_session_id: 'cs_forged', credits: 10, amount_cents: 900, currency: 'usd', status: 'paid' }),
        await c.from('plans').update({ price_cents: 1 }).eq('id', 'pack_10'),
      ];
      for (const attempt of attempts) {
        expect([attempt.status, attempt.error?.code], JSON.stringify(attempt.error)).toEqual([403, '42501']);
      }
    });
    const { rows } = await db().query("select price_cents from public.plans where id = 'pack_10'");
    expect(rows[0].price_cents).toBe(900);
    // The refusals are not a broken client: the columns a recruiter owns can be written.
    const { error } = await attacker.client.from('users').update({ name: 'Still works' }).eq('id', attacker.user.id);
    expect(error).toBeNull();
  });

  it('even the service role cannot write a balance directly (only through the credit functions)', async () => {
    await expectBalancesUnchanged(async () => {
      const { status, error } = await serviceClient().from('users').update({ credits: 1000 }).eq('id', attacker.user.id);
      expect(status).toBe(403);
      expect(error?.code).toBe('42501');
    });
  });

  it('the private billing schema is not exposed, and anon may not spend', async () => {
    const hidden = await call('/rest/v1/idempotency_keys?select=*', attacker.session.access_token, { method: 'GET', headers: { 'Accept-Profile': 'billing' } });
    expect(hidden.status).toBe(406);
    const internal = await call('/rest/v1/rpc/apply_credit_change', attacker.session.access_token, { body: { p_user_id: attacker.user.id, p_delta: 100, p_kind: 'grant', p_actor: 'x' }, headers: { 'Content-Profile': 'billing' } });
    expect(internal.status).toBe(406);
    const anon = await anonClient().rpc('deduct_credits', { amount: 1 });
    expect(anon.status).toBe(401);
  });
});

describe('the SPA bundle', () => {
  it('carries the anon key only: no service key, JWT secret or webhook secret, no service_role token', async () => {
    const env = stackEnv();
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-bundle-'));
    try {
      // The secrets are in the build's environment on purpose: nothing may copy them into the bundle.
      await run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
        cwd: ROOT,
        env: {
          ...process.env, VITE_SUPABASE_URL: API_URL, VITE_SUPABASE_ANON_KEY: env.ANON_KEY,
          SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY, SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
          SUPABASE_SECRET_KEY: env.SECRET_KEY, SECRET_KEY: env.SECRET_KEY,
          JWT_SECRET: env.JWT_SECRET, STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET,
        },
      });
      const files = fs.readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
      const bundle = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      expect(bundle).toContain(env.ANON_KEY);
      for (const [name, secret] of Object.entries({ SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY, SECRET_KEY: env.SECRET_KEY, JWT_SECRET: env.JWT_SECRET, STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET })) {
        expect(bundle.includes(secret), `${name} is in the bundle`).toBe(false);
      }
      const roles = [...bundle.matchAll(/eyJ[\w-]+\.(eyJ[\w-]+)\.[\w-]+/g)].map((m) => (JSON.parse(Buffer.from(m[1], 'base64url').toString()) as { role?: string }).role);
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.filter((role) => role !== 'anon')).toEqual([]);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
