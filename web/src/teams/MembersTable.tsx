// The team's members with their usage this month. Owners and admins see everyone (and manage
// them, row by row); a member sees only their own row.
import { formatUtcDay } from '../lib/format.ts';
import { MemberRow } from './MemberRow.tsx';
import type { MembersUsage } from './teamSchemas.ts';

interface Props {
  teamId: string;
  usage: MembersUsage;
  userId: string;
  onChanged(): Promise<void>;
}

export function MembersTable({ teamId, usage, userId, onChanged }: Props) {
  return (
    <>
      <table className="team-table" aria-label="Members">
        <thead>
          <tr><th>Member</th><th>Role</th><th>Monthly limit</th><th>Used this month</th><th>Remaining</th><th><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {usage.members.map((member) => (
            <MemberRow key={member.user_id} teamId={teamId} member={member} myRole={usage.role}
              isMe={member.user_id === userId} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
      {usage.resets_at && <p className="muted">Usage counts start again on {formatUtcDay(usage.resets_at)}.</p>}
    </>
  );
}
