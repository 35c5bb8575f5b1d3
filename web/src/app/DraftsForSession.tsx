// A create-interview draft waits in sessionStorage while its author buys credits; when they sign
// out, it goes, so the next person at a shared machine finds nothing they typed.
import { useEffect, useRef, type ReactNode } from 'react';
import { useAuth } from '../auth/index.ts';
import { clearAllDrafts } from '../interviews/index.ts';

export function DraftsForSession({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const signedInAs = useRef<string | null>(null);
  useEffect(() => {
    if (signedInAs.current !== null && user === null) clearAllDrafts();
    signedInAs.current = user?.id ?? null;
  }, [user]);
  return children;
}
