// /invite/:token, the link of an invitation mail. Shows what the invitation is (team, role, who
// invited, until when) to whoever holds the link, then the one step that fits: signed out → sign
// in or sign up with the invited address and come back here; signed in with another address →
// sign out first; the right address → Accept, and the tab switches to the team. Used, expired
// and revoked links each say so in their own words.
import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { AuthCard, CHOOSE_PASSWORD_PATH, useAuth } from '../auth/index.ts';
import { acceptInvitation, savePendingInvitation, useInvitationPreview, useWorkspace } from '../teams/index.ts';
import { useSupabase } from '../lib/useSupabase.ts';
import { appError, type AppError } from '../lib/appError.ts';
import { formatDate } from '../lib/format.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';

export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const { user, loading, needsPassword, signOut } = useAuth();
  const { preview } = useInvitationPreview(token, user?.id ?? null);
  const client = useSupabase();
  const navigate = useNavigate();
  const { reload, select } = useWorkspace();
  const [accepting, setAccepting] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const here = `/invite/${token}`;

  if (loading || (user && needsPassword === null)) return <LoadingScreen label="Checking your session" />;
  if (user && needsPassword) return <Navigate to={CHOOSE_PASSWORD_PATH} replace state={{ from: here }} />;
  if (!preview) return <LoadingScreen label="Opening the invitation" />;
  if (!preview.ok) {
    return <AuthCard title="Team invitation"><ErrorMessage error={preview.error} /></AuthCard>;
  }
  const invitation = preview.data;
  const summary = (
    <p data-testid="invitation-summary">
      {invitation.invited_by ? `${invitation.invited_by} invited you` : 'You are invited'} to join <strong className="team-heading-name">{invitation.team_name}</strong> as {invitation.role === 'admin' ? 'an admin' : 'a member'}.
      {invitation.status === 'open' && invitation.expires_at && <> The invitation is valid until {formatDate(invitation.expires_at)}.</>}
    </p>
  );

  async function accept() {
    setAccepting(true);
    setError(null);
    const result = await acceptInvitation(client, token);
    setAccepting(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    await reload();
    select(result.data.team_id);
    navigate('/team', { replace: true });
  }

  let body;
  if (invitation.status !== 'open' || invitation.already_member) {
    const code = invitation.already_member ? 'already_member' : `invitation_${invitation.status as 'expired' | 'used' | 'revoked'}` as const;
    body = (
      <>
        <ErrorMessage error={appError(code)} tone={invitation.already_member ? 'notice' : 'error'} />
        {user ? <Link className="button button--secondary" to="/">Go to your workspaces</Link>
          : <Link className="button button--secondary" to="/sign-in">Sign in</Link>}
      </>
    );
  } else if (!user) {
    body = (
      <>
        <p data-testid="invitation-sign-in">
          Sign in, or create an account, with <strong>{invitation.email ?? 'the invited address'}</strong>; you will come back here to accept.
        </p>
        <div className="button-row">
          <Link className="button button--primary" to="/sign-in" state={{ from: here }} onClick={() => savePendingInvitation(token)}>Sign in</Link>
          <Link className="button button--secondary" to="/sign-up" state={{ from: here }} onClick={() => savePendingInvitation(token)}>Create an account</Link>
        </div>
      </>
    );
  } else if (invitation.for_you === false) {
    body = (
      <>
        <ErrorMessage error={appError('invitation_wrong_address', invitation.email
          ? { message: `It was sent to ${invitation.email}, and you are signed in as ${user.email ?? 'someone else'}. Sign out, then sign in (or sign up) with the invited address and open the link again.` }
          : {})} />
        <button type="button" className="button button--secondary" onClick={() => { savePendingInvitation(token); void signOut(); }}>Sign out</button>
      </>
    );
  } else {
    body = (
      <>
        {error && <ErrorMessage error={error} />}
        <button type="button" className="button button--primary" disabled={accepting} onClick={() => { void accept(); }}>
          {accepting ? 'Joining…' : `Join ${invitation.team_name}`}
        </button>
      </>
    );
  }
  return <AuthCard title="Team invitation">{summary}{body}</AuthCard>;
}
