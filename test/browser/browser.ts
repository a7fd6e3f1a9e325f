import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the browser tests never download one of their own. */
export const chromiumPath = '/usr/bin/chromium';
export const chromiumInstalled = existsSync(chromiumPath);

/** Flags for a test of voice and video: a fake microphone (a beep) and camera, granted without asking. */
export const fakeMediaArgs = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** Debian's Chromium, headless; `extraArgs` are added to the usual flags (fakeMediaArgs, say). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

// Added over the DevTools protocol, which the page's Content-Security-Policy does not govern,
// so the site's strict policy (no inline or injected scripts) stays on while axe runs.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Something a person would suffer from: an accessibility violation, a blocked resource, a script error. */
export interface Problem {
  who: string;
  url: string;
  kind: 'accessibility' | 'content security policy' | 'page error';
  detail: string;
}

/** What the people in a test saw: the pages checked with axe-core and the problems found. */
export class Audit {
  readonly problems: Problem[] = [];
  /** Every path checked, with numbers shown as :id, so a test can tell which kinds of page were covered. */
  readonly pagesChecked = new Set<string>();

  /** The problems found since the last call. */
  takeProblems(): Problem[] {
    return this.problems.splice(0);
  }
}

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** One person at one browser: every page they see is checked with axe-core and watched for errors. */
export class Person {
  private status = 0;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly audit: Audit,
  ) {}

  static async open(
    browser: Browser,
    baseURL: string,
    name: string,
    audit: Audit,
    viewport = { width: 1280, height: 900 },
  ): Promise<Person> {
    const context = await browser.newContext({ baseURL, viewport, locale: 'en-GB' });
    // Everything here is local: a missing element should fail in seconds, not minutes.
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    // Into every new document before its own scripts: much faster than evaluating axe's 550 kB
    // on each page, as the browser compiles it once.
    await context.addInitScript({ content: axeSource });
    const page = await context.newPage();
    const person = new Person(name, context, page, audit);
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) person.report('content security policy', message.text());
    });
    page.on('pageerror', (error) => person.report('page error', error.message));
    // The status of the last page loaded, after any redirects.
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame())
        person.status = response.status();
    });
    return person;
  }

  private report(kind: Problem['kind'], detail: string) {
    this.audit.problems.push({ who: this.name, url: this.path, kind, detail });
  }

  /** The current path and query, as a person would read it in the address bar. */
  get path(): string {
    const url = new URL(this.page.url());
    return `${url.pathname}${url.search}`;
  }

  /** Opens a page by its address, then checks it. */
  async visit(path: string, expectedStatus = 200): Promise<void> {
    await this.page.goto(path);
    await this.expectStatus(expectedStatus);
    await this.check();
  }

  /** Does something that loads a new page (a link, a form without htmx), waits for it, then checks it. */
  async follow(action: () => Promise<unknown>, expectedStatus = 200): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), action()]);
    await this.expectStatus(expectedStatus);
    await this.check();
  }

  private async expectStatus(expected: number) {
    if (this.status === expected) return;
    const heading = await this.page.getByRole('heading', { level: 1 }).first().textContent();
    throw new Error(`${this.name} got a ${this.status} page at ${this.path} ("${heading}"), not a ${expected}`);
  }

  /** Runs axe-core on the page as it is now; every violation is recorded as a problem. */
  async check(): Promise<void> {
    if (!(await this.page.evaluate(() => 'axe' in window))) await this.page.evaluate(axeSource);
    const options: RunOptions = { resultTypes: ['violations'] };
    const violations = await this.page.evaluate(async (opts) => {
      const { axe } = window as unknown as { axe: { run(o: RunOptions): Promise<AxeResults> } };
      const results = await axe.run(opts);
      return results.violations.map((v): Violation => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    }, options);
    this.audit.pagesChecked.add(new URL(this.page.url()).pathname.replace(/\/\d+(?=\/|$)/g, '/:id'));
    for (const v of violations)
      this.report('accessibility', `${v.id} (${v.impact ?? 'unknown'}): ${v.help} at ${v.targets.join(', ')}`);
  }

  /** How wide the page is, to compare with the viewport: anything wider scrolls sideways. */
  async pageWidth(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth);
  }

  /** Marks the current document, so a later check can tell that no new page was loaded. */
  async markDocument(): Promise<void> {
    await this.page.evaluate(() => {
      document.documentElement.dataset.testMark = 'same document';
    });
  }

  async isSameDocument(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.dataset.testMark === 'same document');
  }

  /** The status message at the top of a page ("You have joined the group. Welcome."). */
  async notice(): Promise<string> {
    // The page's message comes first; a thread page also has a live region for new replies.
    return ((await this.page.getByRole('main').getByRole('status').first().textContent()) ?? '').trim();
  }

  async logIn(email: string, password: string, expectedStatus = 200): Promise<void> {
    await this.visit('/login');
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.follow(() => this.page.getByRole('button', { name: 'Log in', exact: true }).click(), expectedStatus);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
