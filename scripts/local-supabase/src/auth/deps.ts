// What the auth endpoints share: their dependencies, a transaction helper, the session
// settings taken from config.toml, and the password rules.
import type pg from 'pg';
import type { LocalConfig } from '../config-toml.ts';
import type { ApiKeyRing } from '../keys.ts';
import type { Mailbox } from '../inbox/mailbox.ts';
import { AuthError, validationFailed } from './errors.ts';
import type { SessionSettings } from './sessions.ts';

export interface AuthDeps {
  pool: pg.Pool;
  secret: Uint8Array;
  /** The new-style API keys the gateway accepts. */
  keys: ApiKeyRing;
  config: LocalConfig;
  issuer: string;
  /** Where "sent" e-mail goes (the local inbox). */
  mailbox: Mailbox;
}

export const BCRYPT_COST = 10;

/** bcrypt reads only the first 72 bytes; GoTrue refuses longer passwords rather than truncate. */
export const MAX_PASSWORD_BYTES = 72;

/** Passwords of unknown emails are checked against this, so a miss takes as long as a wrong password. */
export const DUMMY_PASSWORD_HASH = '$2b$10$o/rPLI2YgjL2LhT.1irX6.iGQ4mUCK5mmfd5xyPuSJBVSn6prGiI6';

export function passwordTooLong(password: string): boolean {
  return Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
}

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function checkPassword(password: string | undefined, minimum: number, missingMessage: string): string {
  if (!password) throw validationFailed(missingMessage);
  if (password.length < minimum) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${minimum} characters.`, { weak_password: { reasons: ['length'] } });
  }
  if (passwordTooLong(password)) throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  return password;
}

export function sessionSettings(deps: AuthDeps): SessionSettings {
  return {
    secret: deps.secret,
    issuer: deps.issuer,
    expirySeconds: deps.config.jwtExpirySeconds,
    reuseIntervalSeconds: deps.config.refreshTokenReuseIntervalSeconds,
  };
}

