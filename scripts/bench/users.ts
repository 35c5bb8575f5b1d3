// Users made straight in a database (the sign-up trigger creates their recruiter rows), funded
// through add_credits, each with a JWT signed by the stack's secret and a supabase-js client.
import pg from 'pg';
import { SignJWT } from 'jose';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { StackEnv } from '../lib/stack-env.ts';

export interface BenchUser { id: string; jwt: string; claims: string }

/** Users made directly in the database (sign-up trigger included), with credits and a JWT each. */
export async function makeBenchUsers(dbUrl: string, env: StackEnv, count: number, credits: number, prefix: string): Promise<BenchUser[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select gen_random_uuid(), 'authenticated', 'authenticated', $1 || g || '-' || md5(random()::text) || '@bench.test',
              '{"provider":"email"}', '{}', now(), now()
         from generate_series(1, $2::int) g
       returning id`, [prefix, count]);
    for (let granted = 0; granted < credits; granted += 10_000) {
      await client.query(`select public.add_credits(id, least(10000, $2::int), 'grant', 'benchmark float') from unnest($1::uuid[]) id`,
        [rows.map((r) => r.id), credits - granted]);
    }
    const secret = new TextEncoder().encode(env.JWT_SECRET);
    return await Promise.all(rows.map(async ({ id }) => {
      const claims = { sub: id, role: 'authenticated', aud: 'authenticated' };
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').sign(secret);
      return { id, jwt, claims: JSON.stringify(claims) };
    }));
  } finally {
    await client.end();
  }
}

export function userClient(apiUrl: string, env: StackEnv, jwt: string): SupabaseClient {
  return createClient(apiUrl, env.ANON_KEY, {
    // realtime-js types its transport as the DOM WebSocket constructor; `ws` is API-compatible.
    realtime: { transport: ws as unknown as typeof WebSocket },
    // The signed-in user's token for REST, functions and the realtime join alike.
    accessToken: async () => jwt,
  });
}
