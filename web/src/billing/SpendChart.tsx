// Credits spent per day as a hand-drawn SVG bar chart (no chart library: a few rects are enough).
// The SVG stretches to its box, so text labels live in HTML below it where they can't distort.
import type { SpendPoint } from './spendSeries.ts';
import { SPENT_LABEL } from './spentNet.ts';
import { formatCredits } from '../lib/format.ts';
import { formatCount, NOUNS } from '../lib/plural.ts';

interface Props {
  points: SpendPoint[];
  /** The same measure over all time (billing_summary), so the caption ties the chart to the totals. */
  allTime?: number | null;
}

const WIDTH = 600;
const HEIGHT = 160;
const PADDING_BOTTOM = 2;
const PADDING_TOP = 6;

function shortDay(day: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function SpendChart({ points, allTime = null }: Props) {
  const total = points.reduce((sum, point) => sum + point.spent, 0);
  const busiest = Math.max(0, ...points.map((point) => point.spent));
  const max = Math.max(1, busiest);
  const slot = WIDTH / Math.max(1, points.length);
  const barWidth = Math.max(2, slot * 0.6);
  const plotHeight = HEIGHT - PADDING_BOTTOM - PADDING_TOP;
  const first = points[0];
  const last = points[points.length - 1];
  const summary = `${SPENT_LABEL}, last ${formatCount(points.length, NOUNS.day)}: ${formatCredits(total)}`;
  const caption = allTime === null ? summary : `${summary} (${formatCredits(allTime)} in all)`;

  return (
    <figure className="spend-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1="0" x2={WIDTH} y1={HEIGHT - PADDING_BOTTOM} y2={HEIGHT - PADDING_BOTTOM} className="spend-chart__axis" vectorEffect="non-scaling-stroke" />
        {points.map((point, index) => {
          const height = (point.spent / max) * plotHeight;
          return (
            <rect
              key={point.day} data-day={point.day} data-spent={point.spent} className="spend-chart__bar"
              x={index * slot + (slot - barWidth) / 2} y={HEIGHT - PADDING_BOTTOM - height}
              width={barWidth} height={height} rx="2"
            >
              <title>{`${shortDay(point.day)}: ${formatCredits(point.spent)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="spend-chart__axis-labels" aria-hidden="true">
        <span>{first ? shortDay(first.day) : ''}</span>
        <span>{`busiest day: ${formatCredits(busiest)}`}</span>
        <span>{last ? shortDay(last.day) : ''}</span>
      </div>
      <figcaption data-testid="spend-chart-caption">{caption}</figcaption>
    </figure>
  );
}
