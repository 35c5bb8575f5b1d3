// The team page against the real stack: create, rename, limits, roles, removal, invitations,
// leaving and deleting, each refusal in the server's own words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { db, signUpUser, uniqueEmail, type TestUser } from '../../test/stack.ts';
import { addTeamMember, createTeamAs, grantTeamCredits } from '../../test/teams.ts';

let owner: TestUser;
afterEach(async () => {
  cleanup();
  window.sessionStorage.clear();
  await owner.client.removeAllChannels();
});
beforeEach(async () => { owner = await signUpUser('team-page'); });

const switcher = () => document.getElementById('sidebar-workspace') as HTMLSelectElement;
const memberRow = (email: string) => document.querySelector<HTMLElement>(`tr[data-email="${email}"]`);

describe('TeamPage', () => {
  it('creates a team (name trimmed), switches the tab to it and shows the owner in the members table', async () => {
    renderApp(owner.client, '/team');
    await userEvent.type(await screen.findByLabelText('Name of the new team'), '   ');
    await userEvent.click(screen.getByRole('button', { name: 'Create team' }));
    expect((await screen.findByRole('alert')).getAttribute('data-error-code')).toBe('invalid_name');
    await userEvent.clear(screen.getByLabelText('Name of the new team'));
    await userEvent.type(screen.getByLabelText('Name of the new team'), '  Hiring 🚀 <b>Nordics</b>  ');
    await userEvent.click(screen.getByRole('button', { name: 'Create team' }));
    await waitFor(() => expect(screen.getByTestId('team-name').textContent).toBe('Hiring 🚀 <b>Nordics</b>'));
    expect(switcher().selectedOptions[0].textContent).toBe('Hiring 🚀 <b>Nordics</b>');
    expect(screen.getByTestId('my-role').textContent).toBe('owner');
    await waitFor(() => expect(memberRow(owner.email)?.getAttribute('data-role')).toBe('owner'));
  });

  it('owners change a role, set a member limit and the team limit, and remove a member', async () => {
    const teamId = await createTeamAs(owner.client, 'Ops');
    const member = await signUpUser('team-member');
    await addTeamMember(teamId, member.userId);
    window.sessionStorage.setItem(`workspace:${owner.userId}`, teamId);
    renderApp(owner.client, '/team');
    await waitFor(() => expect(memberRow(member.email)).not.toBeNull());
    const row = () => memberRow(member.email)!;

    await userEvent.selectOptions(within(row()).getByRole('combobox'), 'admin');
    await waitFor(() => expect(row().getAttribute('data-role')).toBe('admin'));

    const limit = within(row()).getByRole('textbox');
    await userEvent.type(limit, 'ten');
    await userEvent.click(within(row()).getByRole('button', { name: 'Set' }));
    expect((await screen.findByRole('alert')).getAttribute('data-error-code')).toBe('invalid_monthly_limit');
    await userEvent.clear(limit);
    await userEvent.type(limit, '5');
    await userEvent.click(within(row()).getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(within(row()).getByTestId('member-remaining').textContent).toBe('5'));
    const { rows } = await db().query('select monthly_limit from public.team_members where team_id = $1 and user_id = $2', [teamId, member.userId]);
    expect(rows[0].monthly_limit).toBe(5);

    await userEvent.type(screen.getByLabelText(/^Team monthly limit \(/), '1,000');
    await userEvent.click(screen.getByRole('button', { name: 'Set team limit' }));
    await waitFor(async () => {
      const team = await db().query('select monthly_limit from public.teams where id = $1', [teamId]);
      expect(team.rows[0].monthly_limit).toBe(1000);
    });

    await userEvent.click(within(row()).getByRole('button', { name: 'Remove' }));
    await userEvent.click(within(row()).getByRole('button', { name: 'Yes, remove' }));
    await waitFor(() => expect(memberRow(member.email)).toBeNull());
    await member.client.removeAllChannels();
  });

  it('the last owner cannot leave; deleting with credits left says how many; without, the tab goes back to Personal', async () => {
    const teamId = await createTeamAs(owner.client, 'Short-lived');
    await grantTeamCredits(teamId, 4);
    window.sessionStorage.setItem(`workspace:${owner.userId}`, teamId);
    renderApp(owner.client, '/team');
    await screen.findByTestId('my-role');
    await userEvent.click(screen.getByRole('button', { name: 'Leave team' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, leave' }));
    expect((await screen.findByRole('alert')).getAttribute('data-error-code')).toBe('last_owner');
    await userEvent.click(screen.getByRole('button', { name: 'Delete team' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.getByRole('alert').getAttribute('data-error-code')).toBe('team_has_credits'));
    expect(screen.getByRole('alert').textContent).toContain('It still has 4 credits available');
    await grantTeamCredits(teamId, -4);
    await userEvent.click(screen.getByRole('button', { name: 'Delete team' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect([...switcher().options].map((option) => option.textContent)).toEqual(['Personal']));
    expect(switcher().value).toBe('personal');
    // Leaving on purpose is not "you were removed".
    expect(screen.queryByTestId('workspace-notice')).toBeNull();
  });

  it('invites by e-mail with a role, lists the open invitation and revokes it; a bad address is named', async () => {
    const teamId = await createTeamAs(owner.client, 'Inviting');
    window.sessionStorage.setItem(`workspace:${owner.userId}`, teamId);
    renderApp(owner.client, '/team');
    const email = await screen.findByLabelText('E-mail address');
    await userEvent.type(email, 'not-an-address');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect((await screen.findByRole('alert')).getAttribute('data-error-code')).toBe('invalid_email');
    const invitee = uniqueEmail('invitee');
    await userEvent.clear(email);
    await userEvent.type(email, `  ${invitee.toUpperCase()} `);
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'admin');
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect((await screen.findByTestId('invite-sent')).textContent).toBe(`Invitation sent to ${invitee.toLowerCase()}.`);
    const item = await screen.findByTestId('invitation');
    expect(item.textContent).toContain('admin');
    await userEvent.click(within(item).getByRole('button', { name: /revoke/i }));
    await screen.findByText('No open invitations.');
  });

  it('a member sees only their own usage and no management', async () => {
    const teamId = await createTeamAs(owner.client, 'Members only');
    const member = await signUpUser('team-plain');
    await addTeamMember(teamId, member.userId);
    window.sessionStorage.setItem(`workspace:${member.userId}`, teamId);
    renderApp(member.client, '/team');
    await waitFor(() => expect(memberRow(member.email)).not.toBeNull());
    expect(document.querySelectorAll('tr[data-testid="member-row"]').length).toBe(1);
    expect(screen.queryByLabelText('E-mail address')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete team' })).toBeNull();
    expect(screen.getByTestId('team-limit-text').textContent).toBe('Team monthly limit: none');
    await member.client.removeAllChannels();
  });
});
