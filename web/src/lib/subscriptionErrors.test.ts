// The subscription codes (supabase/README.md, subscriptions) reach the recruiter as their own plain
// words, from the SQL functions (PostgREST) and from the checkout, billing-portal and
// local-subscription functions alike, never as the generic "conflict" or "invalid input".
import { describe, expect, it } from 'vitest';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { toAppError, toAppErrorFromFunction } from './appError.ts';
import { SUBSCRIPTION_ERROR_MESSAGES } from './subscriptionErrorMessages.ts';

const SQLSTATE = {
  subscription_exists: { code: 'PT409', status: 409 },
  plan_not_subscription: { code: '22023', status: 400 },
  no_subscription: { code: '22023', status: 400 },
  team_has_subscription: { code: 'PT409', status: 409 },
  plan_is_subscription: { code: '22023', status: 400 },
} as const;

const functionError = (code: string, status: number) => new FunctionsHttpError(
  new Response(JSON.stringify({ error: { code, message: 'raw words the recruiter never sees' } }), { status }));

describe('subscription error codes', () => {
  it('every code from the SQL functions has its own words', () => {
    for (const [message, { code, status }] of Object.entries(SQLSTATE)) {
      const mapped = toAppError({ code, message, details: '' }, status);
      expect(mapped.code, message).toBe(message);
      expect(mapped.title).toBe(SUBSCRIPTION_ERROR_MESSAGES[message as keyof typeof SQLSTATE].title);
    }
  });

  it('the same codes from the Edge Functions, and not_team_admin for a member who tries to subscribe or manage', async () => {
    for (const [code, { status }] of Object.entries(SQLSTATE)) {
      expect((await toAppErrorFromFunction(functionError(code, status))).code, code).toBe(code);
    }
    const admin = await toAppErrorFromFunction(functionError('not_team_admin', 403));
    expect(admin.code).toBe('not_team_admin');
  });

  it('says what happened and what to do next', () => {
    expect(toAppError({ code: 'PT409', message: 'subscription_exists' }, 409).message)
      .toBe('This workspace already has a subscription. Change its plan with Manage subscription instead of starting a second one.');
    expect(toAppError({ code: '22023', message: 'no_subscription' }, 400).title).toBe('There is no subscription to change');
    expect(toAppError({ code: '22023', message: 'plan_not_subscription' }, 400).title).toBe('That plan is not a subscription');
    // delete_team of a team whose subscription still runs.
    expect(toAppError({ code: 'PT409', message: 'team_has_subscription' }, 409).message)
      .toBe('Cancel it first with Manage subscription on the team’s billing page; once it has ended the team can be deleted. A subscription checkout started in the last 24 hours counts too: the team can be deleted once it has expired.');
  });
});
