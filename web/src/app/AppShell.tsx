// The signed-in layout: sidebar plus the current page. Below 800px the sidebar collapses behind
// a menu button, and a top bar keeps the workspace switcher and its live balance in view.
import { useEffect, useRef, useState } from 'react';
import { Outlet } from 'react-router-dom';
import { LiveCreditBadge, LiveLowBalanceBanner } from '../billing/index.ts';
import { WorkspaceNotice, WorkspaceSwitcher } from '../teams/index.ts';
import { Sidebar } from './Sidebar.tsx';
import { WorkspaceFromUrl } from './WorkspaceFromUrl.tsx';
import { PendingInvitationRedirect } from './PendingInvitationRedirect.tsx';
import './layout.css';

const SIDEBAR_ID = 'app-sidebar';

export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  // Opening the drawer moves focus into it (else Tab walks the page hidden behind it); closing it
  // hands focus back to the menu button, unless a link was followed and focus went elsewhere.
  useEffect(() => {
    if (menuOpen) {
      document.getElementById(SIDEBAR_ID)?.querySelector<HTMLElement>('a[href], button')?.focus();
    } else if (wasOpen.current) {
      const active = document.activeElement;
      if (!active || active === document.body || document.getElementById(SIDEBAR_ID)?.contains(active)) menuButton.current?.focus();
    }
    wasOpen.current = menuOpen;
  }, [menuOpen]);

  // The open drawer covers the menu button, so Escape must close it for keyboard users.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') setMenuOpen(false); };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button
          ref={menuButton} type="button" className="button button--ghost topbar__menu" aria-controls={SIDEBAR_ID} aria-expanded={menuOpen}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <WorkspaceSwitcher id="topbar-workspace" />
        <LiveCreditBadge />
      </header>
      <Sidebar id={SIDEBAR_ID} open={menuOpen} onNavigate={() => setMenuOpen(false)} />
      {menuOpen && <div className="shell__backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <main id="main" className="shell__main" tabIndex={-1}>
        <WorkspaceFromUrl />
        <PendingInvitationRedirect />
        <WorkspaceNotice />
        {/* Above every page: the workspace's balance is below its alert (live, in every tab). */}
        <LiveLowBalanceBanner />
        <Outlet />
      </main>
    </div>
  );
}
