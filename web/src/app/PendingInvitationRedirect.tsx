// After signing in or signing up from an invitation link, the first signed-in page takes the
// invitee back to it (teams/pendingInvitation.ts), once.
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { takePendingInvitation } from '../teams/index.ts';

export function PendingInvitationRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    const token = takePendingInvitation();
    if (token) navigate(`/invite/${token}`, { replace: true });
  }, [navigate]);
  return null;
}
