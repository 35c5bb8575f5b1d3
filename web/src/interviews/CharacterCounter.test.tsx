import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { CharacterCounter, counterText } from './CharacterCounter.tsx';

afterEach(cleanup);

describe('CharacterCounter', () => {
  it('says the count, that the limit is reached, and how far over it is', () => {
    expect(counterText(187, 200)).toBe('187 / 200 characters');
    expect(counterText(200, 200)).toBe('200 / 200 characters: the limit.');
    expect(counterText(201, 200)).toBe('201 / 200 characters: 1 character over the limit. Shorten it to save.');
    expect(counterText(5012, 5000)).toBe('5,012 / 5,000 characters: 12 characters over the limit. Shorten it to save.');
  });

  it('stays out of the way of short text in short fields, and appears near the limit', () => {
    const { rerender } = render(<CharacterCounter id="c" text="Engineer" max={200} showFrom={0.8} />);
    expect(screen.queryByTestId('character-counter')).toBeNull();
    rerender(<CharacterCounter id="c" text={'x'.repeat(205)} max={200} showFrom={0.8} />);
    expect(screen.getByTestId('character-counter').getAttribute('data-state')).toBe('over');
  });
});
