import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { MissingConfigScreen } from './MissingConfigScreen.tsx';

afterEach(cleanup);

function Broken(): never {
  throw new Error('render failed');
}

describe('no blank screens', () => {
  it('a render error shows a message and a way back', () => {
    // React logs the caught error; keep the test output readable.
    const silence = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<ErrorBoundary><Broken /></ErrorBoundary>);
    silence.mockRestore();
    expect(screen.getByRole('alert').textContent).toMatch(/something went wrong/i);
    expect(screen.getByRole('button', { name: 'Reload the app' })).toBeTruthy();
  });

  it('missing configuration names the variables to set', () => {
    render(<MissingConfigScreen missing={['VITE_SUPABASE_URL']} />);
    expect(screen.getByRole('alert').textContent).toMatch(/VITE_SUPABASE_URL/);
  });
});
