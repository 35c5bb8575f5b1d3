// What the accept page shows for a link (invitation_preview), re-read when the session changes
// (signing in turns for_you from null into true or false).
import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '../lib/useSupabase.ts';
import type { Result } from '../lib/result.ts';
import { previewInvitation } from './invitationsApi.ts';
import type { InvitationPreview } from './invitationSchemas.ts';

export function useInvitationPreview(token: string, sessionKey: string | null): { preview: Result<InvitationPreview> | null; reload(): Promise<void> } {
  const client = useSupabase();
  const [preview, setPreview] = useState<Result<InvitationPreview> | null>(null);
  const reload = useCallback(async () => { setPreview(await previewInvitation(client, token)); }, [client, token]);
  useEffect(() => {
    let active = true;
    void previewInvitation(client, token).then((result) => { if (active) setPreview(result); });
    return () => { active = false; };
  }, [client, token, sessionKey]);
  return { preview, reload };
}
