// Text a user typed, which may be hundreds of characters without a space (a 200-character job
// title, a 500-character ledger reason): it wraps anywhere instead of widening the page, and is
// clamped to a few lines so one row cannot fill the screen. Nothing is lost: the whole text stays
// in the DOM (screen readers read all of it), shows as a tooltip, and the clamp lifts on hover and
// on keyboard focus (long texts take a tab stop for that; short ones never need it).
import type { CSSProperties } from 'react';

interface Props {
  text: string;
  lines?: number;
  className?: string;
  /** False inside a link or button, which is the tab stop itself (no focusable element inside another). */
  focusable?: boolean;
}

/** Below this many characters the text fits its lines on a 390px phone, so it needs no tab stop. */
const CHARACTERS_PER_LINE = 30;

export function ClampedText({ text, lines = 2, className, focusable = true }: Props) {
  const mayBeClamped = text.length > lines * CHARACTERS_PER_LINE;
  return (
    <span
      className={`clamped-text${className ? ` ${className}` : ''}`}
      style={{ '--clamp-lines': lines } as CSSProperties}
      title={mayBeClamped ? text : undefined}
      tabIndex={mayBeClamped && focusable ? 0 : undefined}
    >
      {text}
    </span>
  );
}
