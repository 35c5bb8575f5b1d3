// Owners and admins invite an address as member or admin; the mail goes out with the next run of
// the e-mail sender. Inviting an address again replaces its open invitation (a new link).
import { useState, type FormEvent } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { inviteMember } from './invitationsApi.ts';
import { useTeamAction } from './useTeamAction.ts';

export function InviteForm({ teamId, onInvited }: { teamId: string; onInvited(): Promise<void> }) {
  const client = useSupabase();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'member'>('member');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const action = useTeamAction(onInvited);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSentTo(null);
    const result = await action.run(() => inviteMember(client, teamId, email, role));
    if (!result.ok) return;
    setSentTo(result.data.email);
    setEmail('');
  }

  return (
    <form className="team-inline-form" onSubmit={submit} noValidate aria-label="Invite by e-mail">
      <div className="field">
        <label htmlFor="invite-email">E-mail address</label>
        <input id="invite-email" type="email" autoComplete="off" value={email} onChange={(event) => { setEmail(event.target.value); setSentTo(null); }} />
      </div>
      <div className="field field--narrow">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(event) => setRole(event.target.value as 'admin' | 'member')}>
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </select>
      </div>
      <button type="submit" className="button button--primary" disabled={action.busy || email.trim() === ''}>{action.busy ? 'Inviting…' : 'Send invitation'}</button>
      {sentTo && <p role="status" className="team-inline-form__status" data-testid="invite-sent">Invitation sent to {sentTo}.</p>}
      {action.error && <ErrorMessage error={action.error} />}
    </form>
  );
}
