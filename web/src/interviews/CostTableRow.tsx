import { useInterviewCost } from './useInterviewCost.ts';
import { formatCredits, formatMinutes } from '../lib/format.ts';

export function CostTableRow({ durationMinutes }: { durationMinutes: number }) {
  const cost = useInterviewCost(durationMinutes, 'technical');
  return (
    <tr>
      <td>{formatMinutes(durationMinutes)}</td>
      <td className="num" data-testid={`cost-${durationMinutes}`}>
        {cost.state === 'ready' ? formatCredits(cost.cost) : cost.state === 'loading' ? '…' : 'unavailable'}
      </td>
    </tr>
  );
}
