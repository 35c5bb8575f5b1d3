// /billing for the selected workspace: the billing page, told the team's name for its heading,
// and what a credit buys (the interviews feature's table).
import { BillingPage } from '../billing/index.ts';
import { CostTable } from '../interviews/index.ts';
import { useWorkspace } from '../teams/index.ts';

export function BillingRoute() {
  const { teamId, selected } = useWorkspace();
  return <BillingPage pricing={<CostTable />} workspaceName={teamId === null ? null : selected?.name ?? null} />;
}
