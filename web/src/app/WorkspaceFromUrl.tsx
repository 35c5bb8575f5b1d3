// A link or bookmark may name a workspace: ?workspace=<team id> (or =personal) on any signed-in
// page selects it in this tab, then the parameter is dropped from the address so a later switch
// is not undone by a reload. The tab then remembers it (teams/selectedWorkspace.ts).
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useWorkspace } from '../teams/index.ts';

export const WORKSPACE_PARAM = 'workspace';

export function WorkspaceFromUrl() {
  const [params, setParams] = useSearchParams();
  const { select } = useWorkspace();
  const named = params.get(WORKSPACE_PARAM);
  useEffect(() => {
    if (named === null) return;
    select(named === 'personal' || named === '' ? null : named);
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete(WORKSPACE_PARAM);
      return next;
    }, { replace: true });
  }, [named, select, setParams]);
  return null;
}
