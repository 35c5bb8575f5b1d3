export { AppShell } from './AppShell.tsx';
export { DashboardPage } from './DashboardPage.tsx';
export { NotFoundPage } from './NotFoundPage.tsx';
export { MissingConfigScreen } from './MissingConfigScreen.tsx';
export { ErrorBoundary } from './ErrorBoundary.tsx';
