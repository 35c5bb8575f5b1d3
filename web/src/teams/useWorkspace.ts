import { useContext } from 'react';
import { WorkspaceContext, type WorkspaceValue } from './WorkspaceContext.ts';

export function useWorkspace(): WorkspaceValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace must be used inside <WorkspaceProvider>');
  return value;
}
