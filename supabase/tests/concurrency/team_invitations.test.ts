// Team invitations under contention, each call in its own connection and transaction as PostgREST
// runs them: one link accepted by many requests at once joins once (the others: invitation_used),
// and many invitations at once never pass the team's seats (the team's membership lock).
import { describe, expect, it } from 'vitest';
import { countBy, createUser, runConcurrently, withOwnerClient } from './_sessions.ts';

/** A recruiter whose address is confirmed (an invitation is only ever for a confirmed address). */
async function confirmedUser(prefix: string): Promise<{ id: string; email: string }> {
  const id = await createUser(prefix, 0);
  return withOwnerClient(async (client) => {
    const { rows } = await client.query<{ email: string }>(
      'update auth.users set email_confirmed_at = now() where id = $1 returning email', [id]);
    return { id, email: rows[0].email };
  });
}

/** Runs one call as `userId` in a transaction of its own and returns its result. */
async function callAs<T>(userId: string, text: string, values: unknown[]): Promise<T> {
  const [outcome] = await runConcurrently<T>(1, userId, () => ({ text, values }));
  if (!outcome.ok) throw new Error(`${text}: ${outcome.code} ${outcome.message}`);
  return outcome.value;
}

async function teamOf(ownerId: string, seatLimit: number): Promise<string> {
  const { team_id: teamId } = await callAs<{ team_id: string }>(ownerId, `select public.create_team('Contention') as result`, []);
  await withOwnerClient((client) => client.query('update public.teams set seat_limit = $2 where id = $1', [teamId, seatLimit]));
  return teamId;
}

describe('team invitations under contention', () => {
  it('20 accepts of one link at once: one joins, 19 get invitation_used', async () => {
    const owner = await confirmedUser('inv-owner');
    const invitee = await confirmedUser('inv-racer');
    const teamId = await teamOf(owner.id, 10);
    const { invitation_id: invitationId } = await callAs<{ invitation_id: string }>(owner.id,
      'select public.invite_member($1, $2) as result', [teamId, invitee.email]);
    const token = await withOwnerClient(async (client) => (await client.query<{ token: string }>(
      `select params ->> 'token' as token from billing.email_outbox where dedupe_key = 'team_invitation:' || $1`, [invitationId])).rows[0].token);

    const outcomes = await runConcurrently<{ team_id: string }>(20, invitee.id, () => ({
      text: 'select public.accept_invitation($1) as result', values: [token],
    }));
    expect(countBy(outcomes)).toEqual({ ok: 1, PT409: 19 });
    expect(new Set(outcomes.flatMap((o) => (o.ok ? [] : [o.message])))).toEqual(new Set(['invitation_used']));
    const members = await withOwnerClient(async (client) => (await client.query(
      'select count(*)::int as n from public.team_members where team_id = $1 and user_id = $2', [teamId, invitee.id])).rows[0].n);
    expect(members).toBe(1);
  }, 60_000);

  it('20 invitations at once into 5 seats (the owner has one): 4 are sent, 16 get team_full, one mail each', async () => {
    const owner = await confirmedUser('inv-seats');
    const teamId = await teamOf(owner.id, 5);
    const outcomes = await runConcurrently<{ email: string }>(20, owner.id, (i) => ({
      text: 'select public.invite_member($1, $2) as result', values: [teamId, `seat-${i}-${teamId}@concurrency.test`],
    }));
    expect(countBy(outcomes)).toEqual({ ok: 4, PT409: 16 });
    expect(new Set(outcomes.flatMap((o) => (o.ok ? [] : [o.message])))).toEqual(new Set(['team_full']));
    const sent = outcomes.flatMap((o) => (o.ok ? [o.value.email] : []));
    const mails = await withOwnerClient(async (client) => (await client.query<{ to_address: string }>(
      `select to_address from billing.email_outbox where template = 'team_invitation' and to_address = any($1)`, [sent])).rows);
    expect(mails.map((m) => m.to_address).sort()).toEqual([...sent].sort());
  }, 60_000);

  it('10 invitations of one address at once: one stays open, each replaced the one before', async () => {
    const owner = await confirmedUser('inv-same');
    const teamId = await teamOf(owner.id, 10);
    const email = `same-${teamId}@concurrency.test`;
    const outcomes = await runConcurrently<{ invitation_id: string }>(10, owner.id, () => ({
      text: 'select public.invite_member($1, $2) as result', values: [teamId, email],
    }));
    expect(countBy(outcomes)).toEqual({ ok: 10 });
    const rows = await withOwnerClient(async (client) => (await client.query<{ open: number; replaced: number }>(
      `select count(*) filter (where revoked_at is null)::int as open, count(replaced_by)::int as replaced
         from public.team_invitations where team_id = $1 and email = $2`, [teamId, email])).rows[0]);
    expect(rows).toEqual({ open: 1, replaced: 9 });
  }, 60_000);
});
