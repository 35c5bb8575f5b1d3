// Entry point: check the configuration, create the one Supabase client, render the app.
// The global styles are imported first so feature stylesheets come later and can refine them.
import './styles/theme.css';
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { readSupabaseSettings } from './lib/env.ts';
import { createAppClient } from './lib/supabaseClient.ts';
import { AppProviders } from './app/AppProviders.tsx';
import { AppRoutes } from './app/AppRoutes.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { MissingConfigScreen } from './app/MissingConfigScreen.tsx';

const root = createRoot(document.getElementById('root') as HTMLElement);
const settings = readSupabaseSettings(import.meta.env);

if (!settings.ok) {
  root.render(<MissingConfigScreen missing={settings.missing} />);
} else {
  const client = createAppClient(settings.settings.url, settings.settings.publishableKey);
  root.render(
    <StrictMode>
      <ErrorBoundary>
        <AppProviders client={client}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AppProviders>
      </ErrorBoundary>
    </StrictMode>,
  );
}
