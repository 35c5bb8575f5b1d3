// The accept-invitation page against the real stack, with the link the real sender mailed:
// signed out, wrong address, the right one (Join switches to the team), and each dead link.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { db, newClient, signUpUser, type TestUser } from '../../test/stack.ts';
import { createTeamAs, inviteAndMail, pathOf } from '../../test/teams.ts';

let owner: TestUser;
let invitee: TestUser;
let teamId: string;
beforeEach(async () => {
  owner = await signUpUser('acc-owner');
  invitee = await signUpUser('acc-invitee');
  teamId = await createTeamAs(owner.client, 'Acme Hiring');
});
afterEach(async () => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
  await owner.client.removeAllChannels();
  await invitee.client.removeAllChannels();
});

const alertCode = async () => (await screen.findByRole('alert')).getAttribute('data-error-code');

describe('AcceptInvitationPage', () => {
  it('signed out: says which team and role, and offers signing in or up with the (masked) invited address', async () => {
    const link = await inviteAndMail(owner.client, teamId, invitee.email, 'admin');
    renderApp(await newClient(), pathOf(link));
    expect((await screen.findByTestId('invitation-summary')).textContent).toMatch(/to join Acme Hiring as an admin\./);
    const prompt = screen.getByTestId('invitation-sign-in').textContent ?? '';
    expect(prompt).toMatch(/…@/);
    expect(prompt).not.toContain(invitee.email);
    await userEvent.click(screen.getByRole('link', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/sign-in'));
    expect(window.localStorage.getItem('pending-invitation')).toBe(pathOf(link).split('/').pop());
  });

  it('signed in with another address: says whose invitation it is and to sign out first', async () => {
    const link = await inviteAndMail(owner.client, teamId, 'someone.else@example.test');
    renderApp(invitee.client, pathOf(link));
    expect(await alertCode()).toBe('invitation_wrong_address');
    expect(screen.getByRole('alert').textContent).toContain(`you are signed in as ${invitee.email}`);
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  it('the invited address joins: the tab switches to the team; the link then says it was used', async () => {
    const link = await inviteAndMail(owner.client, teamId, invitee.email);
    const first = renderApp(invitee.client, pathOf(link));
    await userEvent.click(await screen.findByRole('button', { name: 'Join Acme Hiring' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/team'));
    await waitFor(() => expect(screen.getByTestId('team-name').textContent).toBe('Acme Hiring'));
    expect(window.sessionStorage.getItem(`workspace:${invitee.userId}`)).toBe(teamId);
    first.unmount();
    renderApp(invitee.client, pathOf(link));
    expect(await alertCode()).toBe('already_member');
  });

  it('expired, revoked and unknown links each say so', async () => {
    const link = await inviteAndMail(owner.client, teamId, invitee.email);
    await db().query("update public.team_invitations set expires_at = now() - interval '1 minute' where team_id = $1", [teamId]);
    const view = renderApp(invitee.client, pathOf(link));
    expect(await alertCode()).toBe('invitation_expired');
    view.unmount();

    const second = await inviteAndMail(owner.client, teamId, invitee.email);
    const { data } = await owner.client.from('team_invitations').select('id').eq('team_id', teamId).is('revoked_at', null);
    await owner.client.rpc('revoke_invitation', { invitation_id: (data as { id: string }[])[0].id });
    const revoked = renderApp(invitee.client, pathOf(second));
    expect(await alertCode()).toBe('invitation_revoked');
    revoked.unmount();

    renderApp(invitee.client, '/invite/not-a-real-token-at-all');
    expect(await alertCode()).toBe('unknown_invitation');
  });
});
