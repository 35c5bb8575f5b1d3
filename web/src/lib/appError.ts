// Turns whatever supabase-js (PostgREST, Auth, Functions) or the browser throws into an AppError:
// a stable code plus the plain words from errorMessages.ts. This is the only place that looks at
// raw error shapes.
import { ERROR_MESSAGES, isErrorCode, type ErrorAction, type ErrorCode } from './errorMessages.ts';
import { isTeamErrorCode, teamErrorFacts } from './teamErrorDetail.ts';
import { isSubscriptionErrorCode } from './subscriptionErrorMessages.ts';

export interface AppError {
  code: ErrorCode;
  title: string;
  message: string;
  action?: ErrorAction;
  /** For insufficient_credits: what the server said the balance and the price were. */
  balance?: number;
  required?: number;
  /** For member_limit_reached / team_limit_reached: the monthly limit, what was used of it, when it resets. */
  limit?: number;
  used?: number;
  resetsAt?: string;
}

interface ErrorFields {
  name?: string;
  code?: string;
  message?: string;
  details?: string;
  status?: number;
}

function fieldsOf(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) {
    return { message: typeof error === 'string' ? error : undefined };
  }
  const record = error as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  return {
    name: text('name'),
    code: text('code'),
    message: text('message'),
    details: text('details') ?? text('detail'),
    status: typeof record.status === 'number' ? record.status : undefined,
  };
}

export function appError(code: ErrorCode, extra: Partial<Pick<AppError, 'balance' | 'required' | 'message' | 'limit' | 'used' | 'resetsAt'>> = {}): AppError {
  const text = ERROR_MESSAGES[code];
  return { code, title: text.title, message: text.message, ...('action' in text ? { action: text.action } : {}), ...extra };
}

const NETWORK_PATTERN = /failed to fetch|fetch failed|networkerror|network request failed|econnrefused|load failed/i;
const SESSION_PATTERN = /jwt expired|invalid jwt|not_signed_in|session.*(missing|expired)|refresh token/i;

function parseCreditDetail(details: string | undefined): Pick<AppError, 'balance' | 'required'> {
  if (!details) return {};
  try {
    const parsed: unknown = JSON.parse(details);
    if (typeof parsed === 'object' && parsed !== null) {
      const { balance, required } = parsed as Record<string, unknown>;
      return {
        ...(typeof balance === 'number' ? { balance } : {}),
        ...(typeof required === 'number' ? { required } : {}),
      };
    }
  } catch {
    // detail is informative only; the code alone decides what we show
  }
  return {};
}

/** Maps a raw error (and, for PostgREST, the HTTP status of the response) to an AppError. */
export function toAppError(error: unknown, status?: number): AppError {
  const fields = fieldsOf(error);
  const httpStatus = status ?? fields.status;
  const message = fields.message ?? '';
  const code = fields.code ?? '';

  if (fields.name === 'FunctionsFetchError' || fields.name === 'AuthRetryableFetchError'
    || httpStatus === 0 || NETWORK_PATTERN.test(message)) {
    return appError('network');
  }
  // The team and subscription codes first: their SQLSTATEs (42501, PT402, PT409, 22023) alone would read as the
  // generic refusal, "not enough credits" or "conflict".
  if (isTeamErrorCode(message)) return appError(message, teamErrorFacts(message, fields.details));
  if (isSubscriptionErrorCode(message)) return appError(message);
  if (code === 'PT402' || message === 'insufficient_credits' || httpStatus === 402) {
    return appError('insufficient_credits', parseCreditDetail(fields.details));
  }
  if (message === 'interview_not_cancellable') return appError('interview_not_cancellable');
  if (message === 'interview_in_progress') return appError('interview_in_progress');
  if (message === 'idempotency_key_reused' || code === 'PT409') return appError('conflict');
  if (message === 'unknown_plan') return appError('unknown_plan');
  if (message === 'unknown_interview') return appError('unknown_interview');
  if (code === 'invalid_credentials' || /invalid login credentials/i.test(message)) return appError('invalid_credentials');
  if (code === 'user_already_exists' || code === 'email_exists' || /already registered/i.test(message)) return appError('email_taken');
  if (code === 'weak_password' || fields.name === 'AuthWeakPasswordError') return appError('weak_password');
  if (code === 'email_address_invalid' || (code === 'validation_failed' && /email/i.test(message))) return appError('email_invalid');
  // Postgres refuses NUL (and JSON's \u0000) in text: 22P05, or 22021 for bad encodings.
  if (code === '22P05' || code === '22021' || /\\u0000|unsupported unicode escape|invalid byte sequence/i.test(message)) {
    return appError('unsupported_character');
  }
  if (code === 'same_password') return appError('same_password');
  if (code === 'email_not_confirmed') return appError('email_not_confirmed');
  if (code === 'over_email_send_rate_limit') return appError('email_rate_limited');
  if (code === 'over_request_rate_limit' || httpStatus === 429) return appError('rate_limited');
  if (fields.name === 'AuthSessionMissingError' || code === 'PGRST301' || code === 'PGRST303'
    || httpStatus === 401 || SESSION_PATTERN.test(message)) {
    return appError('session_expired');
  }
  if (code === '42501' || httpStatus === 403) return appError('not_allowed');
  if (code === '22023' || code === 'validation_failed' || httpStatus === 400 || httpStatus === 422) {
    return appError('invalid_input');
  }
  if (httpStatus !== undefined && httpStatus >= 500) return appError('server');
  if (isErrorCode(code)) return appError(code);
  return appError('unknown');
}

/** The Edge Functions' stable error codes (supabase/functions/_shared/errors.ts) in our terms. */
const FUNCTION_ERROR_CODES: Record<string, ErrorCode | undefined> = {
  unauthorized: 'session_expired',
  forbidden: 'not_allowed',
  invalid_request: 'invalid_input',
  method_not_allowed: 'payment_unavailable',
  unknown_plan: 'unknown_plan',
  not_found: 'unknown',
  conflict: 'conflict',
  provider_error: 'payment_unavailable',
  missing_env: 'payment_unavailable',
  internal_error: 'payment_unavailable',
};

/**
 * Edge Functions answer errors as `{ error: { code, message } }`; supabase-js hands us a
 * FunctionsHttpError whose `context` is the Response. Read the body to find the code.
 *
 * Every Edge Function of this app is a payment step, so a function that failed (5xx, a boot or
 * worker error of the runtime, a relay error) or could not be reached at all is "the payment
 * service is unavailable, nothing was charged", never "check your internet connection": a
 * function that fails to boot answers without CORS headers, so a browser sees a failed fetch
 * (FunctionsFetchError) even though the recruiter's network is fine.
 */
export async function toAppErrorFromFunction(error: unknown): Promise<AppError> {
  const fields = fieldsOf(error);
  if (fields.name === 'FunctionsFetchError' || fields.name === 'FunctionsRelayError') return appError('payment_unavailable');
  if (fields.name !== 'FunctionsHttpError' || typeof error !== 'object' || error === null) return toAppError(error);
  const context = (error as { context?: unknown }).context;
  if (!(context instanceof Response)) return appError('payment_unavailable');
  let body: unknown = null;
  try {
    body = await context.clone().json();
  } catch {
    // a non-JSON error body (e.g. a proxy page): fall back to the status
  }
  const inner = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
  const innerFields = fieldsOf(inner);
  const innerCode = innerFields.code ?? '';
  const mapped = FUNCTION_ERROR_CODES[innerCode];
  if (mapped) return appError(mapped);
  if (isErrorCode(innerCode)) return appError(innerCode);
  // The runtime's own answers (BOOT_ERROR, WORKER_ERROR: `{ code, message }` at the top level)
  // and any 5xx without our code.
  if (context.status >= 500) return appError('payment_unavailable');
  return toAppError({ code: innerCode }, context.status);
}
