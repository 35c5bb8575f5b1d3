// One member of the team page's table: who, role, monthly limit, used this month, remaining; and
// for those allowed: change the role (admins: member <-> admin; owners: any), set the limit
// (owners), remove (admins remove members and admins, owners anyone).
import { useState, type FormEvent } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import { formatNumber } from '../lib/format.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { removeMember, setMemberLimit, setMemberRole } from './teamsApi.ts';
import { parseLimit } from './limitInput.ts';
import { appError } from '../lib/appError.ts';
import { fail } from '../lib/result.ts';
import { useTeamAction } from './useTeamAction.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ROLES, type MemberUsage, type Role } from './teamSchemas.ts';

const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

interface Props {
  teamId: string;
  member: MemberUsage;
  myRole: Role;
  isMe: boolean;
  onChanged(): Promise<void>;
}

export function MemberRow({ teamId, member, myRole, isMe, onChanged }: Props) {
  const client = useSupabase();
  const action = useTeamAction(onChanged);
  const [limitText, setLimitText] = useState(member.monthly_limit === null ? '' : String(member.monthly_limit));
  const who = member.name || member.email || 'Member';
  const admin = myRole === 'owner' || myRole === 'admin';
  // Admins may not touch owners or make owners; owners may do everything.
  const canChangeRole = admin && !isMe && (myRole === 'owner' || member.role !== 'owner');
  const roleChoices = ROLES.filter((role) => myRole === 'owner' || role !== 'owner');
  const canRemove = admin && !isMe && (myRole === 'owner' || member.role !== 'owner');

  async function saveLimit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseLimit(limitText);
    await action.run(() => (parsed.ok ? setMemberLimit(client, teamId, member.user_id, parsed.limit)
      : Promise.resolve(fail(appError('invalid_monthly_limit')))));
  }

  return (
    <>
    <tr data-testid="member-row" data-email={member.email ?? ''} data-role={member.role} className={action.error ? 'team-table__row--with-error' : undefined}>
      <td data-label="Member">
        <span className="team-member__who"><strong>{who}{isMe && ' (you)'}</strong>
          {member.name && member.email && <span className="team-member__email">{member.email}</span>}</span>
      </td>
      <td data-label="Role">
        {canChangeRole ? (
          <select aria-label={`Role of ${who}`} value={member.role} disabled={action.busy}
            onChange={(event) => { void action.run(() => setMemberRole(client, teamId, member.user_id, event.target.value as Role)); }}>
            {roleChoices.map((role) => <option key={role} value={role}>{ROLE_LABEL[role]}</option>)}
          </select>
        ) : ROLE_LABEL[member.role]}
      </td>
      <td data-label="Monthly limit">
        {myRole === 'owner' ? (
          <form className="team-inline-form" onSubmit={saveLimit} noValidate aria-label={`Monthly limit of ${who}`}>
            <input className="team-limit-input" inputMode="numeric" aria-label={`Monthly limit of ${who} (credits, empty for none)`}
              placeholder="No limit" value={limitText} onChange={(event) => setLimitText(event.target.value)} />
            <button type="submit" className="button button--secondary" disabled={action.busy}>Set</button>
          </form>
        ) : member.monthly_limit === null ? 'No limit' : formatNumber(member.monthly_limit)}
      </td>
      <td data-label="Used this month" className="team-usage" data-testid="member-used">{formatNumber(member.used_this_month)}</td>
      <td data-label="Remaining" className="team-usage" data-testid="member-remaining">{member.remaining === null ? '—' : formatNumber(member.remaining)}</td>
      <td className="team-member__actions-cell">
        {canRemove && (
          <ConfirmButton label="Remove" confirmLabel="Yes, remove" question={`Remove ${who} from the team?`} busy={action.busy} tone="danger"
            onConfirm={() => { void action.run(() => removeMember(client, teamId, member.user_id)); }} />
        )}
      </td>
    </tr>
    {/* The refusal spans the row's width under it, next to whatever was changed. */}
    {action.error && (
      <tr className="team-table__error" data-email={member.email ?? ''}>
        <td colSpan={6}><ErrorMessage error={action.error} onDismiss={action.clear} /></td>
      </tr>
    )}
    </>
  );
}
