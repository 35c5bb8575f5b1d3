// Long user text is clamped for the eye only: screen readers, the tooltip and keyboard focus still
// reach all of it; short text gets neither tooltip nor tab stop.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ClampedText } from './ClampedText.tsx';

afterEach(cleanup);

describe('ClampedText', () => {
  it('keeps a long text whole in the DOM, as its tooltip, and reachable by keyboard', () => {
    const text = `Principal${'W'.repeat(191)}`;
    render(<ClampedText text={text} lines={2} />);
    const element = screen.getByText(text);
    expect(element.getAttribute('title')).toBe(text);
    expect(element.tabIndex).toBe(0);
    expect(element.style.getPropertyValue('--clamp-lines')).toBe('2');
  });

  it('adds no tooltip or tab stop to a short text', () => {
    render(<ClampedText text="Frontend Engineer" />);
    const element = screen.getByText('Frontend Engineer');
    expect(element.hasAttribute('title')).toBe(false);
    expect(element.hasAttribute('tabindex')).toBe(false);
  });
});
