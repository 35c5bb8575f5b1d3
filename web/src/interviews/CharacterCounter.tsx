// Counts characters as they type and says plainly when the limit is reached or passed. The inputs
// have no maxLength: the browser would cut pasted text silently, so a recruiter pasting a long job
// description would lose its end without knowing. Here nothing is cut; they see how much to remove.
import { formatCount, NOUNS } from '../lib/plural.ts';
import { characterCount } from './interviewSchema.ts';

interface Props {
  id: string;
  text: string;
  max: number;
  /** Show the count only from this share of the limit on (short fields need no running count). */
  showFrom?: number;
}

export function counterText(count: number, max: number): string {
  const limit = max.toLocaleString('en-US');
  if (count > max) return `${count.toLocaleString('en-US')} / ${limit} characters: ${formatCount(count - max, NOUNS.character)} over the limit. Shorten it to save.`;
  if (count === max) return `${limit} / ${limit} characters: the limit.`;
  return `${count.toLocaleString('en-US')} / ${limit} characters`;
}

export function CharacterCounter({ id, text, max, showFrom = 0 }: Props) {
  const count = characterCount(text);
  if (count < max * showFrom) return null;
  const state = count > max ? 'over' : count === max ? 'at' : 'under';
  return (
    <p id={id} className={`field__hint${state === 'over' ? ' field__hint--over' : ''}`} data-testid="character-counter" data-state={state} aria-live="polite">
      {counterText(count, max)}
    </p>
  );
}
