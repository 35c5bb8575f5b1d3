// Renders the real app (providers + routes) at a route, around a given client.
import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { AppProviders } from '../src/app/AppProviders.tsx';
import { AppRoutes } from '../src/app/AppRoutes.tsx';
import type { AppSupabaseClient } from '../src/lib/supabaseClient.ts';

/** Shows the current location so tests can assert where the app navigated. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location" hidden>{`${location.pathname}${location.search}`}</output>;
}

export function renderApp(client: AppSupabaseClient, route: string) {
  return render(
    <AppProviders client={client}>
      <MemoryRouter initialEntries={[route]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </AppProviders>,
  );
}
