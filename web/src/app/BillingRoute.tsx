// /billing for the selected workspace: the billing page, told the team's name for its heading and
// (for its owners and admins) who its members are, and what a credit buys (the interviews feature's table).
import { BillingPage } from '../billing/index.ts';
import { CostTable } from '../interviews/index.ts';
import { useMemberNames, useWorkspace } from '../teams/index.ts';

export function BillingRoute() {
  const { teamId, selected, role } = useWorkspace();
  const memberNames = useMemberNames(teamId, role);
  return <BillingPage pricing={<CostTable />} workspaceName={teamId === null ? null : selected?.name ?? null} memberNames={memberNames} />;
}
