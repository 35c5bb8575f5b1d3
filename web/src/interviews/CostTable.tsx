// What a credit buys: the price of each interview length, as the server computes it.
import { DURATION_OPTIONS } from './interviewSchema.ts';
import { CostTableRow } from './CostTableRow.tsx';

export function CostTable() {
  return (
    <div>
      <p>An interview costs one credit per started half hour of its length.</p>
      <table className="table table--compact">
        <caption className="visually-hidden">Credits charged per interview length</caption>
        <thead><tr><th scope="col">Interview length</th><th scope="col" className="num">Cost</th></tr></thead>
        <tbody>
          {DURATION_OPTIONS.map((minutes) => <CostTableRow key={minutes} durationMinutes={minutes} />)}
        </tbody>
      </table>
      <p className="muted">Cancel a scheduled interview and its credits come back in full.</p>
    </div>
  );
}
