// The invitations section of the team page (owners and admins): invite by e-mail, and the open
// invitations with their expiry, each revocable.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { AppError } from '../lib/appError.ts';
import { formatDate } from '../lib/format.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { fetchOpenInvitations, revokeInvitation } from './invitationsApi.ts';
import type { Invitation } from './invitationSchemas.ts';
import { InviteForm } from './InviteForm.tsx';
import { useTeamAction } from './useTeamAction.ts';

export function TeamInvitations({ teamId }: { teamId: string }) {
  const client = useSupabase();
  // Expiry is judged when the list is read (rendering must not read the clock).
  const [read, setRead] = useState<{ invitations: Invitation[]; at: number } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const read = ++latest.current;
    const result = await fetchOpenInvitations(client, teamId);
    if (read !== latest.current) return;
    if (result.ok) setRead({ invitations: result.data, at: Date.now() });
    setError(result.ok ? null : result.error);
  }, [client, teamId]);
  useEffect(() => { void reload(); }, [reload]);
  const revoke = useTeamAction(reload);
  const invitations = read?.invitations ?? null;

  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <InviteForm teamId={teamId} onInvited={reload} />
      {error && <ErrorMessage error={error} onRetry={() => { void reload(); }} />}
      {revoke.error && <ErrorMessage error={revoke.error} onDismiss={revoke.clear} />}
      {invitations && invitations.length === 0 && <p className="muted">No open invitations.</p>}
      {invitations && invitations.length > 0 && (
        <ul className="team-invitations" aria-label="Open invitations">
          {invitations.map((invitation) => {
            const expired = Date.parse(invitation.expires_at) <= (read?.at ?? 0);
            return (
              <li key={invitation.id} data-testid="invitation" data-email={invitation.email}>
                <span className="team-invitations__email">{invitation.email}</span>
                <span className="muted"> · {invitation.role} · {expired ? 'expired' : `until ${formatDate(invitation.expires_at)}`}</span>
                <button type="button" className="button button--ghost" disabled={revoke.busy}
                  aria-label={`Revoke the invitation of ${invitation.email}`}
                  onClick={() => { void revoke.run(() => revokeInvitation(client, invitation.id)); }}>Revoke</button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
