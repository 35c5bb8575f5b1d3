// The one answer for a PostgREST feature the stand-in does not implement: a 4xx naming the feature
// and saying that `supabase start` (real PostgREST) has it, so nothing is ever answered differently
// in silence. The code is PostgREST's own "Feature not implemented" (PGRST127); the message is ours
// because PostgREST's is generic. scripts/local-supabase/README.md lists what is and is not served.
import { restError, type RestError } from './errors.ts';

export const UNSUPPORTED_CODE = 'PGRST127';

export function unsupported(feature: string, status = 400): RestError {
  return restError(status, UNSUPPORTED_CODE,
    `Feature not implemented by the local API: ${feature}. \`supabase start\` (real PostgREST) has it`,
    null, 'Run the stack with `supabase start` to use it, or see the list in scripts/local-supabase/README.md');
}
