// auth.users rows and the GoTrue User object auth-js receives.
import crypto from 'node:crypto';
import type pg from 'pg';

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  confirmation_sent_at: Date | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date | null;
  updated_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

const USER_COLUMNS = `id, aud, role, email, phone, encrypted_password, email_confirmed_at, confirmation_sent_at, phone_confirmed_at,
  confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until,
  deleted_at, is_anonymous`;

export type Queryable = pg.Pool | pg.PoolClient;

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where lower(email) = lower($1) and is_sso_user = false and deleted_at is null`, [email]);
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [id]);
  return rows[0];
}

/** A new email user; `confirmed` false leaves email_confirmed_at null until the e-mailed link is followed. */
export async function insertUser(db: Queryable, user: { email: string; passwordHash: string; metadata: Record<string, unknown>; confirmed: boolean }): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       confirmation_token, recovery_token, email_change_token_new, email_change,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3, case when $5 then now() end,
       '', '', '', '', '{"provider":"email","providers":["email"]}', $4, now(), now(), false)
     returning ${USER_COLUMNS}`,
    [crypto.randomUUID(), user.email, user.passwordHash, JSON.stringify(user.metadata), user.confirmed]);
  return rows[0];
}

export async function touchSignIn(db: Queryable, id: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`, [id]);
  return rows[0];
}

export async function updateUser(db: Queryable, id: string, change: { metadata?: Record<string, unknown>; passwordHash?: string }): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set
       raw_user_meta_data = case when $2::jsonb is null then raw_user_meta_data else coalesce(raw_user_meta_data, '{}') || $2::jsonb end,
       encrypted_password = coalesce($3, encrypted_password),
       recovery_token = case when $3 is null then recovery_token else '' end,
       updated_at = now()
     where id = $1 returning ${USER_COLUMNS}`,
    [id, change.metadata === undefined ? null : JSON.stringify(change.metadata), change.passwordHash ?? null]);
  return rows[0];
}

/** Stores the hash an e-mailed confirmation link carries (GoTrue keeps only the hash too). */
export async function setConfirmationToken(db: Queryable, id: string, tokenHash: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set confirmation_token = $2, confirmation_sent_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
    [id, tokenHash]);
  return rows[0];
}

/** The unconfirmed user a confirmation link belongs to, locked for the confirming transaction. */
export async function findUserByConfirmationToken(db: Queryable, tokenHash: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where confirmation_token = $1 and deleted_at is null for update`, [tokenHash]);
  return rows[0];
}

/** Confirms the address; the token is spent, so the same link never works twice. */
export async function confirmEmail(db: Queryable, id: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
       last_sign_in_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`, [id]);
  return rows[0];
}

const iso = (value: Date | null): string | undefined => value?.toISOString();

/** The JSON GoTrue returns for a user (fields that are null are omitted, as GoTrue does). */
export function userJson(row: UserRow): Record<string, unknown> {
  const email = row.email ?? '';
  const userMetadata = { ...(row.raw_user_meta_data ?? {}) };
  const identity = {
    identity_id: row.id,
    id: row.id,
    user_id: row.id,
    identity_data: { sub: row.id, email, email_verified: row.email_confirmed_at !== null, phone_verified: false },
    provider: 'email',
    last_sign_in_at: iso(row.last_sign_in_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    email,
  };
  const user: Record<string, unknown> = {
    id: row.id,
    aud: row.aud ?? 'authenticated',
    role: row.role ?? 'authenticated',
    email,
    email_confirmed_at: iso(row.email_confirmed_at),
    confirmation_sent_at: iso(row.confirmation_sent_at),
    phone: row.phone ?? '',
    phone_confirmed_at: iso(row.phone_confirmed_at),
    confirmed_at: iso(row.confirmed_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: userMetadata,
    identities: email ? [identity] : [],
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    banned_until: iso(row.banned_until),
    is_anonymous: row.is_anonymous,
  };
  return Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined));
}

/** Stores the hash a mailed recovery link carries and when it went out (GoTrue's recovery_sent_at). */
export async function setRecoveryToken(db: Queryable, id: string, tokenHash: string): Promise<void> {
  await db.query(`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1`, [id, tokenHash]);
}

export async function recoverySentAt(db: Queryable, id: string): Promise<Date | null> {
  const { rows } = await db.query<{ recovery_sent_at: Date | null }>('select recovery_sent_at from auth.users where id = $1', [id]);
  return rows[0]?.recovery_sent_at ?? null;
}

/** The user a recovery link belongs to, with when the link was sent, locked for the verifying transaction. */
export async function findUserByRecoveryToken(db: Queryable, tokenHash: string): Promise<{ user: UserRow; sentAt: Date | null } | undefined> {
  const { rows } = await db.query<UserRow & { recovery_sent_at: Date | null }>(
    `select ${USER_COLUMNS}, recovery_sent_at from auth.users where recovery_token = $1 and deleted_at is null for update`, [tokenHash]);
  return rows[0] ? { user: rows[0], sentAt: rows[0].recovery_sent_at } : undefined;
}

/** Spends the recovery token; following it also proves the address, so an unconfirmed one is confirmed. */
export async function completeRecovery(db: Queryable, id: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()),
       last_sign_in_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`, [id]);
  return rows[0];
}
