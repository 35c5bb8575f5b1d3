// Credits spent per day as a hand-drawn SVG bar chart (no chart library: a few rects are enough).
import type { SpendPoint } from './spendSeries.ts';

interface Props {
  points: SpendPoint[];
}

const WIDTH = 600;
const HEIGHT = 160;
const PADDING_BOTTOM = 22;
const PADDING_TOP = 16;

function shortDay(day: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function SpendChart({ points }: Props) {
  const total = points.reduce((sum, point) => sum + point.spent, 0);
  const max = Math.max(1, ...points.map((point) => point.spent));
  const slot = WIDTH / Math.max(1, points.length);
  const barWidth = Math.max(2, slot * 0.6);
  const plotHeight = HEIGHT - PADDING_BOTTOM - PADDING_TOP;
  const first = points[0];
  const last = points[points.length - 1];
  const summary = `${total} credits spent in the last ${points.length} days`;

  return (
    <figure className="spend-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1="0" x2={WIDTH} y1={HEIGHT - PADDING_BOTTOM} y2={HEIGHT - PADDING_BOTTOM} className="spend-chart__axis" />
        {points.map((point, index) => {
          const height = (point.spent / max) * plotHeight;
          return (
            <rect
              key={point.day} data-day={point.day} data-spent={point.spent} className="spend-chart__bar"
              x={index * slot + (slot - barWidth) / 2} y={HEIGHT - PADDING_BOTTOM - height}
              width={barWidth} height={height} rx="2"
            >
              <title>{`${shortDay(point.day)}: ${point.spent} credits`}</title>
            </rect>
          );
        })}
        {first && <text x="0" y={HEIGHT - 6} className="spend-chart__label">{shortDay(first.day)}</text>}
        {last && <text x={WIDTH} y={HEIGHT - 6} textAnchor="end" className="spend-chart__label">{shortDay(last.day)}</text>}
        <text x="0" y="11" className="spend-chart__label">{`max ${max}/day`}</text>
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
