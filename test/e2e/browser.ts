import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, type TestContext } from '../../src/testing/test-app.js';
import { DEMO_PASSWORD } from '../../src/db/seed/demo-region.js';

export const SCREENSHOTS = path.resolve('test-results/screenshots');

export interface E2E {
  t: TestContext;
  baseUrl: string;
  browser: Browser;
  /** Problems the browser reported: CSP violations, script errors, failed assets. */
  consoleProblems: string[];
  close(): Promise<void>;
}

/** The real app on a fresh seeded database, listening on a free port, with Debian's Chromium. */
export async function startE2E(options: { casework?: boolean } = {}): Promise<E2E> {
  const t = await createTestApp({}, { casework: options.casework ?? false });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    consoleProblems: [],
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export async function newPage(e2e: E2E, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl, viewport });
  const page = await context.newPage();
  page.on('console', (message) => {
    // A page's own 4xx status (a form with errors, a 404 page) is reported as a console error too; assets are checked below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      e2e.consoleProblems.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      e2e.consoleProblems.push(`${page.url()}: ${response.url()} answered ${response.status()}`);
    }
  });
  page.on('pageerror', (error) => e2e.consoleProblems.push(`${page.url()}: ${error.message}`));
  return page;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('networkidle');
}

/** axe-core against WCAG 2.2 AA: no serious or critical violations allowed. */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `accessibility problems on ${name}`).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
