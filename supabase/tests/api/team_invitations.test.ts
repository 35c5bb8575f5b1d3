// Team invitations end to end on the running stack, as the SPA and a mail client see them: an
// owner invites through supabase.rpc, the real send-email function (invoked here; `npm start`'s
// cron may send it first, the test works either way) delivers the mail to the local inbox, the
// invitee follows the link's token, signs up with the invited address or is signed in with it,
// accepts, and works in the team's workspace. Plus each refusal as the SPA sees it (code,
// message, HTTP status) and the two races: two senders for one mail, two accepts of one link.
import crypto from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpAndConfirm } from '../../../scripts/lib/confirm-signup.ts';
import { API_URL, anonClient, closeDb, db, signUpUser, stackEnv, uniqueEmail, waitFor } from '../../../test-support/stack.ts';

afterAll(closeDb);

interface InboxMail { id: string; to: string; subject: string; links: string[] }

async function inboxOf(to: string): Promise<InboxMail[]> {
  const response = await fetch(`${API_URL}/inbox/api/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: InboxMail[] }).messages;
}

const isInvitation = (mail: InboxMail) => / invited you to /.test(mail.subject);

/** Runs the sender as a signed-in recruiter may (the SPA's "flush now"). */
async function sendEmail(client: SupabaseClient): Promise<void> {
  const { error } = await client.functions.invoke('send-email', { body: {} });
  expect(error).toBeNull();
}

/** The token of the invitation mailed to `email`: the last path segment of ${SITE_URL}/invite/<token>. */
async function invitationToken(email: string): Promise<string> {
  await waitFor(async () => (await inboxOf(email)).some(isInvitation), 10_000, 100);
  const mail = (await inboxOf(email)).find(isInvitation)!;
  const link = mail.links.find((l) => l.startsWith(`${stackEnv().SITE_URL}/invite/`));
  expect(link).toBeDefined();
  return decodeURIComponent(new URL(link!).pathname.split('/').pop()!);
}

/** A recruiter who owns a new team. */
async function teamOwner(name = 'Acme Hiring') {
  const owner = await signUpUser('inv-owner');
  const { data, error } = await owner.client.rpc('create_team', { name });
  expect(error).toBeNull();
  return { ...owner, teamId: (data as { team_id: string }).team_id };
}

async function invite(client: SupabaseClient, teamId: string, email: string, role = 'member') {
  return client.rpc('invite_member', { team_id: teamId, email, role });
}

/** Invites `email` as the owner, sends the mail, and returns the link's token. */
async function invitedToken(owner: { client: SupabaseClient; teamId: string }, email: string, role = 'member'): Promise<string> {
  const { error } = await invite(owner.client, owner.teamId, email, role);
  expect(error).toBeNull();
  await sendEmail(owner.client);
  return invitationToken(email);
}

describe('invite, mail, accept', () => {
  it('the invitee signs up with the invited address, accepts through the link and creates an interview in the team', async () => {
    const owner = await teamOwner();
    const email = uniqueEmail('inv-new');
    const invited = await invite(owner.client, owner.teamId, email.toUpperCase());
    expect(invited.error).toBeNull();
    expect(invited.data).toMatchObject({ team_id: owner.teamId, email, role: 'member', replaced: null });

    // Two senders at once (and maybe the cron): the invitee still gets one mail.
    await Promise.all([sendEmail(owner.client), sendEmail(owner.client)]);
    const token = await invitationToken(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await sendEmail(owner.client);
    const mails = (await inboxOf(email)).filter(isInvitation);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`${owner.email} invited you to Acme Hiring`);

    // The accept page before signing in: what the mail says, the address masked.
    const preview = await anonClient().rpc('invitation_preview', { token });
    expect(preview.error).toBeNull();
    expect(preview.data).toMatchObject({ team_name: 'Acme Hiring', role: 'member', status: 'open', signed_in: false, for_you: null,
      email: `${email[0]}…@example.test` });

    // No account yet: sign up with the invited address (confirmed through its own mail), then accept.
    const invitee = anonClient();
    await signUpAndConfirm(invitee, API_URL, email, `pw-${crypto.randomBytes(8).toString('hex')}`);
    const mine = await invitee.rpc('invitation_preview', { token });
    expect(mine.data).toMatchObject({ for_you: true, email, already_member: false });
    const accepted = await invitee.rpc('accept_invitation', { token });
    expect(accepted.error).toBeNull();
    expect(accepted.data).toEqual({ team_id: owner.teamId, team_name: 'Acme Hiring', role: 'member' });

    const workspaces = await invitee.rpc('my_workspaces');
    expect((workspaces.data as { team_id: string | null; role: string }[]).map((w) => [w.team_id, w.role]))
      .toContainEqual([owner.teamId, 'member']);
    // The team's wallet, filled as support would (purchases for teams are another item's).
    await db().query(`select billing.support_adjust_credits($1, 10, 'invitation test', 'TEST-1')`, [owner.teamId]);
    const interview = await invitee.rpc('create_interview', { job_position: 'Backend engineer', duration_minutes: 30, team_id: owner.teamId });
    expect(interview.error).toBeNull();
    expect(interview.data).toMatchObject({ cost: expect.any(Number) });

    // The mail's token is gone from the outbox once sent; the table never had it.
    const { rows } = await db().query<{ params: { token: string } }>(
      `select params from billing.email_outbox where dedupe_key = 'team_invitation:' || $1`, [(invited.data as { invitation_id: string }).invitation_id]);
    expect(rows[0].params.token).toBe('[removed after sending]');
  });

  it('a recruiter with an account accepts while signed in; two accepts of one link at once: one joins, the other is invitation_used', async () => {
    const owner = await teamOwner('Race Team');
    const invitee = await signUpUser('inv-existing');
    const token = await invitedToken(owner, invitee.email, 'admin');
    const results = await Promise.all([invitee.client.rpc('accept_invitation', { token }), invitee.client.rpc('accept_invitation', { token })]);
    const ok = results.filter((r) => r.error === null);
    const refused = results.filter((r) => r.error !== null);
    expect(ok).toHaveLength(1);
    expect(ok[0].data).toMatchObject({ team_id: owner.teamId, role: 'admin' });
    expect(refused.map((r) => [r.status, r.error?.code, r.error?.message])).toEqual([[409, 'PT409', 'invitation_used']]);
    const { rows } = await db().query('select role, added_by from public.team_members where team_id = $1 and user_id = $2', [owner.teamId, invitee.user.id]);
    expect(rows).toEqual([{ role: 'admin', added_by: owner.user.id }]);

    // Used is used: the same link later too.
    const again = await invitee.client.rpc('accept_invitation', { token });
    expect([again.status, again.error?.code, again.error?.message]).toEqual([409, 'PT409', 'invitation_used']);
  });
});

describe('links that do not let you in', () => {
  it('another signed-in recruiter holding the link: 403 invitation_wrong_address, and the preview masks the address', async () => {
    const owner = await teamOwner();
    const email = uniqueEmail('inv-target');
    const token = await invitedToken(owner, email);
    const stranger = await signUpUser('inv-stranger');
    const preview = await stranger.client.rpc('invitation_preview', { token });
    expect(preview.data).toMatchObject({ signed_in: true, for_you: false, email: `${email[0]}…@example.test` });
    const { status, error } = await stranger.client.rpc('accept_invitation', { token });
    expect([status, error?.code, error?.message]).toEqual([403, '42501', 'invitation_wrong_address']);
    expect(error?.hint).toBeTruthy();
    const { rows } = await db().query('select 1 from public.team_members where team_id = $1 and user_id = $2', [owner.teamId, stranger.user.id]);
    expect(rows).toEqual([]);
  });

  it('expired: 409 invitation_expired', async () => {
    const owner = await teamOwner();
    const invitee = await signUpUser('inv-late');
    const token = await invitedToken(owner, invitee.email);
    await db().query(`update public.team_invitations set expires_at = now() - interval '1 second' where team_id = $1 and email = $2`, [owner.teamId, invitee.email]);
    const { status, error } = await invitee.client.rpc('accept_invitation', { token });
    expect([status, error?.code, error?.message]).toEqual([409, 'PT409', 'invitation_expired']);
  });

  it('revoked by an admin: 409 invitation_revoked; inviting again mails a new link and the old one stays dead', async () => {
    const owner = await teamOwner();
    const invitee = await signUpUser('inv-revoked');
    const first = await invite(owner.client, owner.teamId, invitee.email);
    await sendEmail(owner.client);
    const oldToken = await invitationToken(invitee.email);
    const revoked = await owner.client.rpc('revoke_invitation', { invitation_id: (first.data as { invitation_id: string }).invitation_id });
    expect(revoked.error).toBeNull();
    const refused = await invitee.client.rpc('accept_invitation', { token: oldToken });
    expect([refused.status, refused.error?.code, refused.error?.message]).toEqual([409, 'PT409', 'invitation_revoked']);

    const second = await invite(owner.client, owner.teamId, invitee.email);
    expect(second.error).toBeNull();
    await sendEmail(owner.client);
    await waitFor(async () => (await inboxOf(invitee.email)).filter(isInvitation).length === 2, 10_000, 100);
    const newToken = await invitationToken(invitee.email); // the newest mail first
    expect(newToken).not.toBe(oldToken);
    expect((await invitee.client.rpc('accept_invitation', { token: oldToken })).error?.message).toBe('invitation_revoked');
    expect((await invitee.client.rpc('accept_invitation', { token: newToken })).error).toBeNull();
  });

  it('an unknown or garbage token: 400 unknown_invitation; anon may not accept', async () => {
    const someone = await signUpUser('inv-garbage');
    for (const token of ['garbage', 'A'.repeat(43)]) {
      const { status, error } = await someone.client.rpc('accept_invitation', { token });
      expect([status, error?.code, error?.message]).toEqual([400, '22023', 'unknown_invitation']);
    }
    const anon = await anonClient().rpc('accept_invitation', { token: 'A'.repeat(43) });
    expect(anon.error?.code).toBe('42501');
  });
});

describe('who may be invited, and how many', () => {
  it('an existing member: 409 already_member, and no mail', async () => {
    const owner = await teamOwner();
    const member = await signUpUser('inv-member');
    const token = await invitedToken(owner, member.email);
    expect((await member.client.rpc('accept_invitation', { token })).error).toBeNull();
    const again = await invite(owner.client, owner.teamId, member.email);
    expect([again.status, again.error?.code, again.error?.message]).toEqual([409, 'PT409', 'already_member']);
    await sendEmail(owner.client);
    expect((await inboxOf(member.email)).filter(isInvitation)).toHaveLength(1);
  });

  it('a full team: 409 team_full with {seat_limit, taken} (members + open invitations)', async () => {
    const owner = await teamOwner();
    await db().query('update public.teams set seat_limit = 2 where id = $1', [owner.teamId]);
    expect((await invite(owner.client, owner.teamId, uniqueEmail('inv-seat'))).error).toBeNull();
    const full = await invite(owner.client, owner.teamId, uniqueEmail('inv-noseat'));
    expect([full.status, full.error?.code, full.error?.message]).toEqual([409, 'PT409', 'team_full']);
    expect(JSON.parse(full.error!.details)).toEqual({ team_id: owner.teamId, seat_limit: 2, taken: 2 });
  });

  it('a member cannot invite (403 not_team_admin); the team\'s admins read its invitations without token_hash', async () => {
    const owner = await teamOwner();
    const member = await signUpUser('inv-plain');
    expect((await member.client.rpc('accept_invitation', { token: await invitedToken(owner, member.email) })).error).toBeNull();
    const refused = await invite(member.client, owner.teamId, uniqueEmail('inv-by-member'));
    expect([refused.status, refused.error?.code, refused.error?.message]).toEqual([403, '42501', 'not_team_admin']);

    const columns = 'id, email, role, expires_at, accepted_at, revoked_at';
    const list = await owner.client.from('team_invitations').select(columns).eq('team_id', owner.teamId);
    expect(list.error).toBeNull();
    expect(list.data).toEqual([expect.objectContaining({ email: member.email, role: 'member', accepted_at: expect.any(String) })]);
    expect((await member.client.from('team_invitations').select(columns).eq('team_id', owner.teamId)).data).toEqual([]);
    const secret = await owner.client.from('team_invitations').select('token_hash');
    expect(secret.error?.code).toBe('42501');
  });
});
