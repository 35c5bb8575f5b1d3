// New-style API keys as hosted Supabase issues them, through real supabase-js: the checkout's
// publishable key works like the anon key (sign-up, RPC, realtime, functions), its secret key like
// the service_role key (but never from a browser), and any other `sb_…` string is refused by the
// gateway with hosted's 401 on REST, Auth, Realtime and Functions.
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { API_URL, balanceOf, clientWithKey, closeDb, stackEnv, uniqueEmail } from '../../../test-support/stack.ts';
import { hasValidChecksum } from '../../lib/opaque-keys.ts';
import { signUpAndConfirm } from '../../lib/confirm-signup.ts';

afterAll(closeDb);

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const INVALID_KEY = { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' };
/** Well-formed, correctly checksummed, but not this checkout's key. */
const forgedPublishable = (): string => {
  const body = `sb_publishable_${crypto.randomBytes(17).toString('base64url').slice(0, 22)}`;
  return `${body}_${crypto.createHash('sha256').update(`local|${body}`).digest('base64url').slice(0, 8)}`;
};

function subscribed(channel: RealtimeChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(error ?? new Error(status));
    });
  });
}

function upgradeStatus(query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${API_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?${query}`);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('error', reject);
  });
}

/** Signs up through the publishable-key client and confirms through the inbox, as a recruiter would. */
async function signUpWith(client: SupabaseClient): Promise<string> {
  const { user } = await signUpAndConfirm(client, API_URL, uniqueEmail('newkeys'), 'password-123456');
  return user.id;
}

describe('the checkout has one real publishable and one secret key', () => {
  it('both are minted like hosted keys: prefix, 22 random characters, `_`, 8-character checksum', () => {
    const { PUBLISHABLE_KEY, SECRET_KEY } = stackEnv();
    expect(PUBLISHABLE_KEY).toMatch(/^sb_publishable_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    expect(SECRET_KEY).toMatch(/^sb_secret_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    expect(hasValidChecksum(PUBLISHABLE_KEY)).toBe(true);
    expect(hasValidChecksum(SECRET_KEY)).toBe(true);
    expect(hasValidChecksum(`${PUBLISHABLE_KEY.slice(0, -1)}${PUBLISHABLE_KEY.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
  });
});

describe('the publishable key (supabase-js, as the SPA uses it)', () => {
  it('signs up, calls RPCs as the user and as anon, and joins realtime', async () => {
    const client = clientWithKey(stackEnv().PUBLISHABLE_KEY);
    const anonCost = await client.rpc('interview_cost', { duration_minutes: 30 });
    expect(anonCost.error).toBeNull();
    expect(typeof anonCost.data).toBe('number');
    const id = await signUpWith(client);
    const own = await client.from('users').select('id, credits').eq('id', id);
    expect(own.error).toBeNull();
    expect(own.data).toEqual([{ id, credits: 0 }]);
    // The user's JWT rides in Authorization beside the publishable key: the user's role applies.
    const { data, error } = await client.rpc('billing_summary');
    expect(error).toBeNull();
    expect(data).toBeTruthy();

    const channel = client.channel(`newkeys-${id}`).on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'users', filter: `id=eq.${id}` }, () => {});
    await subscribed(channel);
    await client.removeAllChannels();
  });

  it('is anon without a session: anon may read plans but not grant credits', async () => {
    const key = stackEnv().PUBLISHABLE_KEY;
    const plans = await fetch(`${API_URL}/rest/v1/plans?select=id&id=eq.pack_5`, { headers: { apikey: key, Authorization: `Bearer ${key}` } });
    expect(plans.status).toBe(200);
    expect(await plans.json()).toEqual([{ id: 'pack_5' }]);
    const grant = await clientWithKey(key).rpc('add_credits', { user_id: crypto.randomUUID(), amount: 5 });
    expect(grant.error?.code).toBe('42501');
  });

  it('buys credits end to end: the checkout function takes the signed-in user beside the publishable key', async () => {
    const client = clientWithKey(stackEnv().PUBLISHABLE_KEY);
    const id = await signUpWith(client);
    const checkout = await client.functions.invoke('checkout', { body: { plan_id: 'pack_5' } });
    expect(checkout.error).toBeNull();
    const { session_id } = checkout.data as { session_id: string };
    const paid = await client.functions.invoke('local-checkout-complete', { body: { session_id } });
    expect(paid.error).toBeNull();
    expect(await balanceOf(id)).toBe(5);
  });

  it('as the bearer it must equal the apikey; a different key there is not a JWT (PGRST301)', async () => {
    const response = await fetch(`${API_URL}/rest/v1/plans?select=id`, { headers: { apikey: stackEnv().ANON_KEY, Authorization: `Bearer ${stackEnv().PUBLISHABLE_KEY}` } });
    expect(response.status).toBe(401);
    expect((await response.json() as { code: string }).code).toBe('PGRST301');
  });
});

describe('the secret key', () => {
  it('is service_role from a server: supabase-js reads every user and grants credits', async () => {
    const service = clientWithKey(stackEnv().SECRET_KEY);
    const id = await signUpWith(clientWithKey(stackEnv().PUBLISHABLE_KEY));
    const { error } = await service.rpc('add_credits', { user_id: id, amount: 7, kind: 'grant', reason: 'secret key test' });
    expect(error).toBeNull();
    const row = await service.from('users').select('credits').eq('id', id).single();
    expect(row.data).toEqual({ credits: 7 });
    const everyone = await service.from('users').select('id').limit(2);
    expect(everyone.data?.length).toBe(2);
  });

  it('is refused when a browser sends it, on REST, Auth and Realtime, and changes nothing', async () => {
    const key = stackEnv().SECRET_KEY;
    const browser = { apikey: key, Authorization: `Bearer ${key}`, 'User-Agent': BROWSER_UA };
    for (const path of ['/rest/v1/users?select=id', '/auth/v1/settings', '/realtime/v1/api/broadcast']) {
      const response = await fetch(`${API_URL}${path}`, { method: path.includes('broadcast') ? 'POST' : 'GET', headers: browser, body: path.includes('broadcast') ? '{"messages":[]}' : undefined });
      expect(response.status, path).toBe(401);
      expect((await response.json() as { message: string }).message, path).toBe('Forbidden use of secret API key in browser');
    }
    // User-Agent values are compared case-insensitively, as HTTP tokens are.
    const lower = await fetch(`${API_URL}/rest/v1/users?select=id`, { headers: { ...browser, 'User-Agent': BROWSER_UA.toLowerCase() } });
    expect(lower.status).toBe(401);
    const ws = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${API_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${key}&vsn=2.0.0`, { headers: { 'User-Agent': BROWSER_UA } });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => { socket.close(); resolve(101); });
      socket.once('error', reject);
    });
    expect(ws).toBe(401);
  });
});

describe('any other sb_ key is refused by the gateway (hosted 401 shape)', () => {
  it('REST, Auth and the broadcast API answer 401 Invalid API key', async () => {
    for (const key of [forgedPublishable(), 'sb_publishable_xxx', 'sb_secret_guessed']) {
      for (const path of ['/rest/v1/plans?select=id', '/auth/v1/settings', '/auth/v1/signup']) {
        const response = await fetch(`${API_URL}${path}`, {
          method: path.endsWith('signup') ? 'POST' : 'GET',
          headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: path.endsWith('signup') ? JSON.stringify({ email: uniqueEmail('forged'), password: 'password-123456' }) : undefined,
        });
        expect(response.status, `${key} ${path}`).toBe(401);
        expect(await response.json(), `${key} ${path}`).toEqual(INVALID_KEY);
      }
    }
    const client = clientWithKey('sb_publishable_xxx');
    const signUp = await client.auth.signUp({ email: uniqueEmail('forged'), password: 'password-123456' });
    expect(signUp.error?.status).toBe(401);
  });

  it('Realtime refuses the websocket upgrade; the real key opens it', async () => {
    expect(await upgradeStatus(`apikey=${forgedPublishable()}&vsn=2.0.0`)).toBe(401);
    expect(await upgradeStatus('apikey=sb_publishable_xxx&vsn=2.0.0')).toBe(401);
    expect(await upgradeStatus(`apikey=${stackEnv().PUBLISHABLE_KEY}&vsn=2.0.0`)).toBe(101);
  });

  it('Functions: verify_jwt refuses any sb_ key as the bearer (not a JWT), forged or real', async () => {
    for (const key of [forgedPublishable(), stackEnv().PUBLISHABLE_KEY]) {
      const response = await fetch(`${API_URL}/functions/v1/checkout`, {
        method: 'POST', headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: '{"plan_id":"pack_5"}',
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ code: 401, message: 'Invalid JWT' });
    }
  });
});
