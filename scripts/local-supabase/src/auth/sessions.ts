// GoTrue sessions: a row in auth.sessions, a chain of rotating refresh tokens in
// auth.refresh_tokens, and short-lived HS256 access tokens with GoTrue's claims.
import crypto from 'node:crypto';
import type pg from 'pg';
import { signJwt } from '../jwt.ts';
import { AuthError } from './errors.ts';
import { findUserById, userJson, type UserRow } from './users.ts';

export interface SessionSettings {
  secret: Uint8Array;
  issuer: string;
  expirySeconds: number;
  reuseIntervalSeconds: number;
}

interface SessionRow { id: string; user_id: string; created_at: Date }

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** GoTrue v1 refresh tokens are opaque alphanumeric strings; ours are longer (22 chars ≈ 131 bits). */
function newRefreshToken(): string {
  const bytes = crypto.randomBytes(22);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

async function accessToken(user: UserRow, session: SessionRow, settings: SessionSettings): Promise<{ token: string; exp: number }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + settings.expirySeconds;
  const token = await signJwt({
    aud: user.aud ?? 'authenticated',
    exp,
    iat,
    iss: settings.issuer,
    sub: user.id,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  }, settings.secret);
  return { token, exp };
}

async function sessionResponse(user: UserRow, session: SessionRow, refreshToken: string, settings: SessionSettings): Promise<Record<string, unknown>> {
  const { token, exp } = await accessToken(user, session, settings);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: settings.expirySeconds,
    expires_at: exp,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

async function insertRefreshToken(client: pg.PoolClient, session: SessionRow, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await client.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [token, session.user_id, parent, session.id]);
  return token;
}

/** Opens a new session for a user who just proved who they are. */
export async function createSession(client: pg.PoolClient, user: UserRow, settings: SessionSettings): Promise<Record<string, unknown>> {
  const { rows } = await client.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1, $2, now(), now(), 'aal1')
     returning id, user_id, created_at`, [crypto.randomUUID(), user.id]);
  const refreshToken = await insertRefreshToken(client, rows[0], null);
  return sessionResponse(user, rows[0], refreshToken, settings);
}

interface TokenRow { token: string; revoked: boolean; updated_at: Date; session_id: string | null }

/**
 * Rotates a refresh token. A revoked token used again within the reuse interval gets the
 * session's current token back (concurrent tabs); later reuse is treated as theft and ends the
 * whole session, like GoTrue.
 */
export async function refreshSession(client: pg.PoolClient, refreshToken: string, settings: SessionSettings): Promise<Record<string, unknown> | AuthError> {
  const found = await client.query<TokenRow>(
    `select token, revoked, updated_at, session_id from auth.refresh_tokens where token = $1 for update`, [refreshToken]);
  const row = found.rows[0];
  if (!row || !row.session_id) return new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const sessions = await client.query<SessionRow>(
    `select id, user_id, created_at from auth.sessions where id = $1 for update`, [row.session_id]);
  const session = sessions.rows[0];
  if (!session) return new AuthError(400, 'session_not_found', 'Invalid Refresh Token: Session Not Found');
  const user = await findUserById(client, session.user_id);
  if (!user) return new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  // A ban ends sign-ins and refreshes alike (GoTrue: 400 user_banned), so a banned user's
  // session dies with its last access token.
  if (user.banned_until && user.banned_until.getTime() > Date.now()) return new AuthError(400, 'user_banned', 'User is banned');
  if (row.revoked) {
    const withinInterval = Date.now() - row.updated_at.getTime() < settings.reuseIntervalSeconds * 1000;
    if (withinInterval) {
      const active = await client.query<{ token: string }>(
        `select token from auth.refresh_tokens where session_id = $1 and revoked = false order by id desc limit 1`, [session.id]);
      if (active.rows[0]) return sessionResponse(user, session, active.rows[0].token, settings);
    }
    await client.query('delete from auth.sessions where id = $1', [session.id]);
    return new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  }
  await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1', [row.token]);
  await client.query('update auth.sessions set updated_at = now() where id = $1', [session.id]);
  const next = await insertRefreshToken(client, session, row.token);
  return sessionResponse(user, session, next, settings);
}

export async function sessionExists(db: pg.Pool, id: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from auth.sessions where id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

export async function endSessions(db: pg.Pool, userId: string, sessionId: string | undefined, scope: 'global' | 'local' | 'others'): Promise<void> {
  if (scope === 'global' || !sessionId) await db.query('delete from auth.sessions where user_id = $1', [userId]);
  else if (scope === 'local') await db.query('delete from auth.sessions where id = $1 and user_id = $2', [sessionId, userId]);
  else await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, sessionId]);
}
