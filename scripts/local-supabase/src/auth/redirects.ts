// Where e-mail links may send the browser: GoTrue's IsRedirectURLValid. A redirect_to on the
// site_url's host, or matching an additional_redirect_urls glob, is honoured; anything else
// falls back to site_url, so a link can never carry tokens to a stranger's site.
import type { IncomingMessage } from 'node:http';
import type { LocalConfig } from '../config-toml.ts';

/** gobwas/glob with separators '.' and '/': `*` stays within a label or segment, `**` crosses them. */
function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') { source += '.*'; i += 1; }
    else if (ch === '*') source += '[^./]*';
    else if (ch === '?') source += '[^./]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function isRedirectUrlValid(config: LocalConfig, candidate: string | undefined): boolean {
  if (!candidate) return false;
  let target: URL;
  try {
    target = new URL(candidate);
  } catch {
    return false;
  }
  try {
    if (new URL(config.siteUrl).hostname === target.hostname) return true;
  } catch {
    // an unparsable site_url allows nothing by host; the allow-list may still match
  }
  return config.additionalRedirectUrls.some((pattern) => globRegExp(pattern).test(candidate));
}

/** GoTrue's GetReferrer: redirect_to if allowed, else the Referer header if allowed, else site_url. */
export function redirectTarget(req: IncomingMessage, url: URL, config: LocalConfig): string {
  const requested = url.searchParams.get('redirect_to') ?? undefined;
  if (isRedirectUrlValid(config, requested)) return requested!;
  const referer = req.headers.referer;
  if (isRedirectUrlValid(config, referer)) return referer!;
  return config.siteUrl;
}
