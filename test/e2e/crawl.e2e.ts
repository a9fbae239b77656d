import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/db/seed/demo-region.js';
import { newPage, signIn, startE2E, type E2E } from './browser.js';

/**
 * Every page each role can reach by following links from where it signs in: none answers with an
 * error, none has a script or asset problem, and axe finds no accessibility problem on any. Pages
 * of the same kind (the same path with different ids) are visited once.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ casework: true });
});
afterAll(() => e2e.close());

const PAGES_PER_ROLE = 60;
/**
 * Links not to follow: leaving, files and JSON. The API's documentation page is the same for every
 * role and axe takes about 15 s over its tables, so foundation.e2e.ts checks it once.
 */
const SKIP = [/^\/sign-out/, /\.(csv|json|zip)(\?|$)/, /\/download/, /\/export/, /^\/openreferral/, /^\/api\//, /^\/assets\//, /^\/static\//];
const kindOf = (path: string) => path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\?.*$/, '');

describe('every page a role can reach', () => {
  for (const account of DEMO_ACCOUNTS.filter((a, i, all) => all.findIndex((b) => b.role === a.role) === i)) {
    it(`as ${account.role}`, async () => {
      const page = await newPage(e2e);
      await signIn(page, account.email);
      const queue = [new URL(page.url()).pathname];
      const seen = new Set<string>();
      const problems: string[] = [];
      while (queue.length && seen.size < PAGES_PER_ROLE) {
        const path = queue.shift()!;
        if (seen.has(kindOf(path))) continue;
        seen.add(kindOf(path));
        const response = await page.goto(path);
        const status = response?.status() ?? 0;
        if (status >= 400) problems.push(`${path} answered ${status}`);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of results.violations) problems.push(`${path}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        const links = await page.evaluate<string[]>("[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))");
        for (const href of links) {
          const url = new URL(href, page.url());
          if (url.origin !== new URL(page.url()).origin) continue;
          const next = url.pathname + url.search;
          if (SKIP.some((pattern) => pattern.test(next)) || seen.has(kindOf(next))) continue;
          queue.push(next);
        }
      }
      console.log(`${account.role}: ${seen.size} kinds of page: ${[...seen].join(' ')}`);
      expect([...problems, ...e2e.consoleProblems]).toEqual([]);
    });
  }
});
