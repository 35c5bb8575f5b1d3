// Each page names itself first in the tab title.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { APP_NAME, usePageTitle } from './usePageTitle.ts';

function Page({ title }: { title: string }) {
  usePageTitle(title);
  return null;
}

afterEach(cleanup);

describe('usePageTitle', () => {
  it('puts the page name before the app name, and follows a change of page', () => {
    const { rerender } = render(<Page title="Billing" />);
    expect(document.title).toBe(`Billing · ${APP_NAME}`);
    rerender(<Page title="Interviews" />);
    expect(document.title).toBe(`Interviews · ${APP_NAME}`);
  });
});
