// The workspace switcher against the real stack: the balance, history, interviews and billing page
// follow the selected workspace; the choice is remembered for the tab; a removal takes the tab
// back to personal at once (the membership event on the user's own Realtime topic).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp.tsx';
import { grantCredits, signUpUser, type TestUser } from '../../test/stack.ts';
import { addTeamMember, createTeamAs, grantTeamCredits } from '../../test/teams.ts';

let owner: TestUser;
let teamId: string;
const TEAM = 'Talent Acquisition — EMEA';

const switcher = () => document.getElementById('sidebar-workspace') as HTMLSelectElement;
const sidebarBalance = () => screen.getByTestId('credit-balance').textContent;

beforeEach(async () => {
  owner = await signUpUser('ws-owner');
  teamId = await createTeamAs(owner.client, TEAM);
  await grantTeamCredits(teamId, 7);
  await grantCredits(owner.userId, 2);
});
afterEach(async () => {
  cleanup();
  window.sessionStorage.clear();
  await owner.client.removeAllChannels();
});

describe('workspace switcher', () => {
  it('lists Personal then the team; switching moves the balance, history and heading to the team, and back', async () => {
    renderApp(owner.client, '/billing');
    await waitFor(() => expect(sidebarBalance()).toBe('2'));
    await waitFor(() => expect([...switcher().options].map((option) => option.textContent)).toEqual(['Personal', TEAM]));
    await userEvent.selectOptions(switcher(), teamId);
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    expect(screen.getByTestId('billing-balance').textContent).toBe('7');
    expect(screen.getByTestId('billing-workspace').textContent).toContain(TEAM);
    await waitFor(() => expect(document.querySelectorAll('tbody tr[data-kind="adjustment"]').length).toBe(1));
    expect(document.querySelectorAll('tbody tr[data-kind="grant"]').length).toBe(0);
    // The owner buys for the team: the buy buttons are there.
    expect(screen.getByRole('heading', { name: 'Quick add' })).toBeTruthy();
    await userEvent.selectOptions(switcher(), 'personal');
    await waitFor(() => expect(sidebarBalance()).toBe('2'));
    await waitFor(() => expect(document.querySelectorAll('tbody tr[data-kind="grant"]').length).toBe(1));
  });

  it('the team balance is live: a change to the team wallet shows without a reload', async () => {
    window.sessionStorage.setItem(`workspace:${owner.userId}`, teamId);
    renderApp(owner.client, '/');
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await grantTeamCredits(teamId, 5);
    await waitFor(() => expect(sidebarBalance()).toBe('12'), { timeout: 2000 });
    // A change of the personal wallet is not this tab's number.
    await grantCredits(owner.userId, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sidebarBalance()).toBe('12');
  });

  it('remembers the choice for the tab (sessionStorage) and a link can name the workspace', async () => {
    const first = renderApp(owner.client, '/billing');
    await waitFor(() => expect(switcher().options.length).toBe(2));
    await userEvent.selectOptions(switcher(), teamId);
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    expect(window.sessionStorage.getItem(`workspace:${owner.userId}`)).toBe(teamId);
    first.unmount();
    renderApp(owner.client, '/billing');
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    expect(switcher().value).toBe(teamId);
    cleanup();
    window.sessionStorage.clear();
    renderApp(owner.client, `/billing?workspace=${teamId}`);
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    // The parameter is dropped once read, so a later switch is not undone by a reload.
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/billing'));
  });

  it('a remembered team the user is not in goes back to Personal with a notice', async () => {
    const stranger = await signUpUser('ws-stranger');
    window.sessionStorage.setItem(`workspace:${stranger.userId}`, teamId);
    renderApp(stranger.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('workspace-notice').getAttribute('data-kind')).toBe('unavailable'));
    await waitFor(() => expect(sidebarBalance()).toBe('0'));
    expect(switcher().value).toBe('personal');
    await stranger.client.removeAllChannels();
  });
});

describe('a member of the team', () => {
  let member: TestUser;
  beforeEach(async () => {
    member = await signUpUser('ws-member');
    await addTeamMember(teamId, member.userId, 'member');
    await owner.client.rpc('set_member_limit', { team_id: teamId, user_id: member.userId, monthly_limit: 3 });
    window.sessionStorage.setItem(`workspace:${member.userId}`, teamId);
  });
  afterEach(async () => { await member.client.removeAllChannels(); });

  it('sees the team balance, no buy buttons but "ask an admin", and their monthly limit left', async () => {
    renderApp(member.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('billing-balance').textContent).toBe('7'));
    await screen.findByTestId('ask-an-admin');
    expect(screen.queryByRole('heading', { name: 'Quick add' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Bigger packs' })).toBeNull();
    expect(screen.getByTestId('member-limit').textContent).toContain('3 credits left of 3');
  });

  it("an owner's change of the member's limit, or of the team's, shows on the member's open page without a reload", async () => {
    renderApp(member.client, '/billing');
    await waitFor(() => expect(screen.getByTestId('member-limit').textContent).toContain('3 credits left of 3'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await owner.client.rpc('set_member_limit', { team_id: teamId, user_id: member.userId, monthly_limit: 6 });
    await waitFor(() => expect(screen.getByTestId('member-limit').textContent).toContain('6 credits left of 6'), { timeout: 3000 });
    await owner.client.rpc('set_team_limit', { team_id: teamId, monthly_limit: 4 });
    await waitFor(() => expect(screen.getByTestId('team-limit').textContent).toContain('4 credits left of 4'), { timeout: 3000 });
  });

  it('the dashboard names the team and, with no credits left, says to ask an admin instead of buying', async () => {
    await grantTeamCredits(teamId, -7);
    renderApp(member.client, '/');
    await waitFor(() => expect(screen.getByTestId('next-step').textContent).toBe('The team has no credits left. Ask an owner or admin of the team to add some.'));
    expect(screen.getByText(TEAM, { selector: 'strong' })).toBeTruthy();
  });

  it('creating an interview shows the limit left and refuses one that costs more than it', async () => {
    await owner.client.rpc('set_member_limit', { team_id: teamId, user_id: member.userId, monthly_limit: 1 });
    renderApp(member.client, '/interviews/new');
    await waitFor(() => expect(screen.getByTestId('limit-left').textContent).toContain('1 credit'));
    await userEvent.type(screen.getByLabelText('Job position'), 'Recruiter');
    await userEvent.selectOptions(screen.getByLabelText('Duration'), '90');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('3'));
    const submit = screen.getByRole('button', { name: /create interview/i }) as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(true));
    expect(submit.getAttribute('aria-describedby')).toBe('limit-disabled-reason');
  });

  it('creates an interview in the team: it is paid from the team wallet and listed under the team only', async () => {
    renderApp(member.client, '/interviews/new');
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    await waitFor(() => expect(screen.getByTestId('create-workspace').textContent).toBe(`Paid from the team ${TEAM}.`));
    await userEvent.type(screen.getByLabelText('Job position'), 'Team hire');
    await waitFor(() => expect(screen.getByTestId('interview-cost').getAttribute('data-cost')).toBe('1'));
    await userEvent.click(screen.getByRole('button', { name: /create interview \(1 credit\)/i }));
    await screen.findByTestId('created-notice');
    await screen.findByText('Team hire');
    await waitFor(() => expect(sidebarBalance()).toBe('6'));
    await userEvent.selectOptions(switcher(), 'personal');
    await screen.findByText(/No interviews yet/);
  });

  it('the owner\'s history of the team says which member made each change; support\'s row names nobody', async () => {
    const made = await member.client.rpc('create_interview', { job_position: 'Nurse', duration_minutes: 30, interview_type: 'technical', team_id: teamId });
    expect(made.error).toBeNull();
    window.sessionStorage.setItem(`workspace:${owner.userId}`, teamId);
    renderApp(owner.client, '/billing');
    await waitFor(() => expect(document.querySelector('tbody tr[data-kind="hold"] [data-testid="ledger-by"]')?.textContent).toBe(`by ${member.email}`));
    expect(document.querySelector('tbody tr[data-kind="adjustment"] [data-testid="ledger-by"]')).toBeNull();
    // The team's interviews list names the member who created each.
    await userEvent.click(screen.getByRole('navigation').querySelector('a[href="/interviews"]') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('interview-creator').textContent).toBe(member.email));
  });

  it('removed by an owner: the tab leaves the team at once, drops it from the switcher and says why', async () => {
    renderApp(member.client, '/billing');
    await waitFor(() => expect(sidebarBalance()).toBe('7'));
    await waitFor(() => expect(switcher().options.length).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { error } = await owner.client.rpc('remove_member', { team_id: teamId, user_id: member.userId });
    expect(error).toBeNull();
    const notice = await screen.findByTestId('workspace-notice', {}, { timeout: 2000 });
    expect(notice.getAttribute('data-kind')).toBe('removed');
    expect(notice.textContent).toContain(TEAM);
    expect([...switcher().options].map((option) => option.textContent)).toEqual(['Personal']);
    await waitFor(() => expect(sidebarBalance()).toBe('0'));
    expect(window.sessionStorage.getItem(`workspace:${member.userId}`)).toBeNull();
    // It left the team's channel: only its own topic stays joined.
    await waitFor(() => expect(member.client.getChannels().map((channel) => channel.topic)).toEqual([`realtime:balance:${member.userId}`]));
  });
});
