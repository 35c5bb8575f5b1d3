// @vitest-environment jsdom -- reads window.location and sessionStorage, as in the browser
import { afterEach, describe, expect, it } from 'vitest';
import { billingLinkReturningTo, forgetReturnPath, pendingReturnPath, rememberReturnPath, safeReturnPath } from './returnPath.ts';

afterEach(() => forgetReturnPath());

describe('safeReturnPath', () => {
  it('accepts a path on this origin, with its query', () => {
    expect(safeReturnPath('/interviews/new')).toBe('/interviews/new');
    expect(safeReturnPath('/billing?x=1')).toBe('/billing?x=1');
  });

  it('refuses anything that could leave the origin', () => {
    for (const value of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'interviews/new', '', null, undefined]) {
      expect(safeReturnPath(value)).toBeNull();
    }
  });
});

describe('the remembered way back', () => {
  it('keeps a safe path for the tab and never an unsafe one', () => {
    rememberReturnPath('//evil.example');
    expect(pendingReturnPath()).toBeNull();
    rememberReturnPath('/interviews/new');
    expect(pendingReturnPath()).toBe('/interviews/new');
    forgetReturnPath();
    expect(pendingReturnPath()).toBeNull();
  });

  it('builds the billing link that carries it', () => {
    expect(billingLinkReturningTo('/interviews/new')).toBe('/billing?return=%2Finterviews%2Fnew');
  });
});
