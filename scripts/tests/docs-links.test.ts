// The documents a clone holds point only at what the clone holds: every relative link in a tracked
// Markdown file names a file of this repository (never one beside it, like ../shared/), and every
// #anchor names a heading of its target, as GitHub renders them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config.ts';

const markdownFiles = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingSlug(m[1])));
}

/** Relative link targets of a Markdown text, code blocks and inline code left out. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('links in the repository documents', () => {
  it('finds the front door and the design among the tracked documents', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('docs/ARCHITECTURE.md');
  });

  it('every relative link names a file inside the repository, and every anchor a heading of it', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      const from = path.join(ROOT, file);
      for (const link of relativeLinks(fs.readFileSync(from, 'utf8'))) {
        const [target, anchor] = link.split('#');
        const resolved = target === '' ? from : path.resolve(path.dirname(from), decodeURI(target));
        if (path.relative(ROOT, resolved).startsWith('..')) { broken.push(`${file}: ${link} leaves the repository`); continue; }
        if (!fs.existsSync(resolved)) { broken.push(`${file}: ${link} names no file`); continue; }
        if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${file}: ${link} names no heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('slugs headings as GitHub does', () => {
    expect(headingSlug('Realtime: the live balance')).toBe('realtime-the-live-balance');
    expect(headingSlug('Accounts: the address first, the password after')).toBe('accounts-the-address-first-the-password-after');
    expect(headingSlug('`npm test` layers')).toBe('npm-test-layers');
  });
});
