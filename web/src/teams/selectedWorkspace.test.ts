// @vitest-environment jsdom -- reads window.location and sessionStorage, as in the browser
import { afterEach, describe, expect, it } from 'vitest';
import { loadSelectedTeam, saveSelectedTeam } from './selectedWorkspace.ts';

const TEAM = '0b5c1d8e-3f7a-4c2b-9e1d-5a6b7c8d9e0f';
afterEach(() => window.sessionStorage.clear());

describe('selectedWorkspace', () => {
  it('remembers a team per user in this tab, and personal as nothing stored', () => {
    saveSelectedTeam('user-a', TEAM);
    expect(loadSelectedTeam('user-a')).toBe(TEAM);
    expect(loadSelectedTeam('user-b')).toBeNull();
    saveSelectedTeam('user-a', null);
    expect(loadSelectedTeam('user-a')).toBeNull();
    expect(window.sessionStorage.length).toBe(0);
  });

  it('ignores a stored value that is not a team id', () => {
    window.sessionStorage.setItem('workspace:user-a', '<script>');
    expect(loadSelectedTeam('user-a')).toBeNull();
  });
});
