// The team workspaces' error codes reach the recruiter as their own plain words, never as the
// generic "not allowed" / "conflict" / "not enough credits" the SQLSTATE alone would give.
import { describe, expect, it } from 'vitest';
import { toAppError, toAppErrorFromFunction } from './appError.ts';
import { TEAM_ERROR_MESSAGES } from './teamErrorMessages.ts';
import { FunctionsHttpError } from '@supabase/supabase-js';

const SQLSTATE: Record<string, { code: string; status: number }> = {
  not_team_member: { code: '42501', status: 403 }, not_team_admin: { code: '42501', status: 403 },
  not_team_owner: { code: '42501', status: 403 }, invitation_wrong_address: { code: '42501', status: 403 },
  member_limit_reached: { code: 'PT402', status: 402 }, team_limit_reached: { code: 'PT402', status: 402 },
  last_owner: { code: 'PT409', status: 409 }, team_has_credits: { code: 'PT409', status: 409 },
  team_topup_in_flight: { code: 'PT409', status: 409 },
  already_member: { code: 'PT409', status: 409 }, team_full: { code: 'PT409', status: 409 },
  invitation_expired: { code: 'PT409', status: 409 }, invitation_used: { code: 'PT409', status: 409 },
  invitation_revoked: { code: 'PT409', status: 409 }, too_many_teams: { code: 'PT409', status: 409 },
  unknown_invitation: { code: '22023', status: 400 }, invalid_name: { code: '22023', status: 400 },
  invalid_email: { code: '22023', status: 400 }, invalid_monthly_limit: { code: '22023', status: 400 },
  invalid_role: { code: '22023', status: 400 }, unknown_member: { code: '22023', status: 400 },
  too_many_invitations: { code: 'PT409', status: 409 },
};

describe('team error codes', () => {
  it('every code the team functions raise has its own words', () => {
    for (const [message, { code, status }] of Object.entries(SQLSTATE)) {
      const mapped = toAppError({ code, message, details: '{}' }, status);
      expect(mapped.code, message).toBe(message);
      expect(mapped.title).toBe(TEAM_ERROR_MESSAGES[message as keyof typeof TEAM_ERROR_MESSAGES].title);
      expect(mapped.message.length).toBeGreaterThan(20);
    }
  });

  it('a monthly limit says how much was used of how much, what was needed and when it resets', () => {
    const mapped = toAppError({
      code: 'PT402', message: 'member_limit_reached',
      details: '{"limit": 10, "used": 9, "required": 2, "resets_at": "2027-01-01T00:00:00+00:00"}',
    }, 402);
    expect(mapped).toMatchObject({ code: 'member_limit_reached', limit: 10, used: 9, required: 2 });
    expect(mapped.message).toBe(
      'This needs 2 credits, and you have used 9 of your 10 credits this month (1 credit left). It resets on Jan 1, 2027 (UTC). Ask a team owner to raise your limit. Nothing was charged.');
    const team = toAppError({ code: 'PT402', message: 'team_limit_reached', details: '{"limit": 50, "used": 50, "required": 1, "resets_at": "2027-01-01T00:00:00Z"}' }, 402);
    expect(team.message).toMatch(/^This needs 1 credit, and the team has used 50 of its 50 credits this month \(none left\)\./);
  });

  it('deleting a team with credits left says how many', () => {
    const mapped = toAppError({ code: 'PT409', message: 'team_has_credits', details: '{"team_id": "x", "available": 7, "reserved": 2}' }, 409);
    expect(mapped.message).toMatch(/^It still has 7 credits available and 2 credits reserved for scheduled interviews\./);
  });

  it('a replaced invitation says to use the latest e-mail; a wrong address names the (masked) invited one', () => {
    expect(toAppError({ code: 'PT409', message: 'invitation_revoked', details: '{"replaced": true}' }, 409).message).toMatch(/newer invitation replaced/);
    expect(toAppError({ code: 'PT409', message: 'invitation_revoked', details: '{}' }, 409).message).toMatch(/revoked it/);
    expect(toAppError({ code: '42501', message: 'invitation_wrong_address', details: '{"invited": "j…@acme.com"}' }, 403).message)
      .toMatch(/^It was sent to j…@acme\.com\./);
  });

  it('too many invitations says whose limit: the team\'s or the inviter\'s across their teams', () => {
    expect(toAppError({ code: 'PT409', message: 'too_many_invitations', details: '{"scope": "team"}' }, 409).message).toMatch(/^A team may send 50/);
    expect(toAppError({ code: 'PT409', message: 'too_many_invitations', details: '{"scope": "inviter"}' }, 409).message).toMatch(/^You sent 50 invitations/);
  });

  it('the checkout function refusing a member names the rule, not a generic refusal', async () => {
    const response = new Response(JSON.stringify({ error: { code: 'not_team_admin', message: 'x' } }), { status: 403 });
    expect((await toAppErrorFromFunction(new FunctionsHttpError(response))).code).toBe('not_team_admin');
  });
});
