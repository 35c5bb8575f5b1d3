// Navigation, the workspace switcher, the live balance (of that workspace) and sign-out. On
// phones it slides in from the left.
import { NavLink } from 'react-router-dom';
import { LiveCreditBalance } from '../billing/index.ts';
import { useAuth } from '../auth/index.ts';
import { WorkspaceSwitcher } from '../teams/index.ts';

const LINKS = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/interviews/new', label: 'Create Interview', end: true },
  { to: '/interviews', label: 'Interviews', end: true },
  { to: '/billing', label: 'Billing', end: true },
  { to: '/team', label: 'Team', end: true },
];

interface Props {
  id: string;
  open: boolean;
  onNavigate(): void;
}

export function Sidebar({ id, open, onNavigate }: Props) {
  const { user, signOut } = useAuth();
  return (
    <aside id={id} className={`sidebar${open ? ' sidebar--open' : ''}`} aria-label="Main">
      {/* The aside paints the background down the whole page; its content stays in view. */}
      <div className="sidebar__inner">
        <p className="sidebar__brand">AI Interviews</p>
        <WorkspaceSwitcher id="sidebar-workspace" />
        <nav>
          <ul className="sidebar__links">
            {LINKS.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end} className="sidebar__link" onClick={onNavigate}>{link.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <LiveCreditBalance />
        <div className="sidebar__account">
          <p className="sidebar__email" title={user?.email ?? ''}>{user?.email}</p>
          <button type="button" className="button button--ghost button--block" onClick={() => { void signOut(); }}>Sign out</button>
        </div>
      </div>
    </aside>
  );
}
