// /auth/v1: the GoTrue endpoints auth-js uses (signup, otp, verify, resend, recover, password and refresh_token
// grants, user, logout, settings, health), routed here and implemented in grants.ts, otp.ts,
// confirmation.ts, recovery.ts and current-user.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, send, BodyTooLarge, ClientGone } from '../http.ts';
import { JsonTooDeep, parseJsonBounded } from '../json-depth.ts';
import { apiKeyOf, apiKeyIdentity, AuthFailure } from '../keys.ts';
import type { LocalConfig } from '../config-toml.ts';
import { AuthError, OAuthError, sendAuthError, API_VERSION, isDataException, validationFailed } from './errors.ts';
import { passwordGrant, refreshGrant, signup } from './grants.ts';
import { getUser, logout, putUser } from './current-user.ts';
import { resend, verifyLink } from './confirmation.ts';
import { FailedVerifications } from './verify-limit.ts';
import { recover } from './recovery.ts';
import { otp } from './otp.ts';
import type { AuthDeps } from './deps.ts';

export type { AuthDeps } from './deps.ts';

type Json = Record<string, unknown>;

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const value: unknown = parseJsonBounded(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch (error) {
    // Go's encoding/json (GoTrue) words its own depth limit this way.
    if (error instanceof JsonTooDeep) throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: exceeded max depth');
  }
  throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
}

function settings(config: LocalConfig): Json {
  return {
    external: { email: true, phone: false, anonymous_users: config.enableAnonymousSignIns },
    disable_signup: !config.enableSignup,
    mailer_autoconfirm: !config.enableConfirmations,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
  };
}

/** The gateway (Kong key-auth) refuses /auth/v1 requests without a valid API key. */
async function requireApiKey(req: IncomingMessage, url: URL, deps: AuthDeps): Promise<void> {
  const key = apiKeyOf(req.headers, url.searchParams);
  if (!key) throw new AuthError(401, 'no_api_key', 'No API key found in request');
  try {
    await apiKeyIdentity(key, deps.secret, deps.keys, req.headers['user-agent']);
  } catch (error) {
    if (error instanceof AuthFailure) throw new AuthError(401, 'bad_api_key', 'Invalid API key');
    throw error;
  }
}

export function createAuthHandler(deps: AuthDeps) {
  const failedVerifications = new FailedVerifications(deps.config.tokenVerificationsPer5Min);
  return async function handleAuth(req: IncomingMessage, res: ServerResponse, url: URL, subPath: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = `${method} ${subPath.replace(/\/+$/, '') || '/'}`;
    const versionHeader = { 'X-Supabase-Api-Version': API_VERSION };
    try {
      if (route === 'GET /health') {
        sendJson(res, 200, { version: 'local', name: 'GoTrue', description: 'GoTrue stand-in of the local Supabase stack' });
        return;
      }
      // The gateway leaves /verify open: it is the link in an e-mail, followed without an API key.
      if (route === 'GET /verify') {
        const ip = req.socket.remoteAddress ?? 'unknown';
        if (failedVerifications.blocked(ip)) throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
        const location = await verifyLink(req, url, deps);
        if (location.includes('error_code=')) failedVerifications.record(ip);
        send(res, 303, undefined, { Location: location });
        return;
      }
      await requireApiKey(req, url, deps);
      const body = method === 'GET' ? {} : parseJson(await readBody(req));
      switch (route) {
        case 'GET /settings':
          sendJson(res, 200, settings(deps.config));
          return;
        case 'POST /signup':
          sendJson(res, 200, await signup(req, url, body, deps), versionHeader);
          return;
        case 'POST /otp':
          sendJson(res, 200, await otp(req, url, body, deps), versionHeader);
          return;
        case 'POST /resend':
          sendJson(res, 200, await resend(req, url, body, deps), versionHeader);
          return;
        case 'POST /recover':
          sendJson(res, 200, await recover(req, url, body, deps), versionHeader);
          return;
        case 'POST /token': {
          const grant = url.searchParams.get('grant_type');
          if (grant === 'password') sendJson(res, 200, await passwordGrant(body, deps), versionHeader);
          else if (grant === 'refresh_token') sendJson(res, 200, await refreshGrant(body, deps), versionHeader);
          else throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
          return;
        }
        case 'GET /user':
          sendJson(res, 200, await getUser(req, deps), versionHeader);
          return;
        case 'PUT /user':
          sendJson(res, 200, await putUser(req, body, deps), versionHeader);
          return;
        case 'POST /logout':
          await logout(req, url, deps);
          send(res, 204, undefined, versionHeader);
          return;
        default:
          throw new AuthError(404, 'not_found', `Unsupported route ${route} on the local auth server`);
      }
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (error instanceof AuthError || error instanceof OAuthError) sendAuthError(req, res, error);
      else if (error instanceof BodyTooLarge) sendAuthError(req, res, new AuthError(413, 'request_too_large', error.message));
      // Postgres data exceptions (class 22: a NUL in metadata, bytes that are not UTF-8, a value too
      // long for its column) come from what the client sent: its fault, a 400, never a 500.
      else if (isDataException(error)) {
        sendAuthError(req, res, validationFailed(`The request holds a value that cannot be stored: ${error.message}`));
      } else {
        console.error('auth: unexpected error', error);
        sendAuthError(req, res, new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'));
      }
    }
  };
}
