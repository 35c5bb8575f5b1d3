// The login roles each protocol connects as, derived from the stack's superuser URL: PostgREST
// and Realtime's RLS checks use `authenticator` (it can only act through SET ROLE), GoTrue uses
// `supabase_auth_admin` (owner of the auth schema), replication uses the superuser itself.
import { DB_PASSWORD } from '../../lib/config.ts';

export function urlAs(dbUrl: string, user: string): string {
  const url = new URL(dbUrl);
  url.username = user;
  url.password = DB_PASSWORD;
  return url.toString();
}
