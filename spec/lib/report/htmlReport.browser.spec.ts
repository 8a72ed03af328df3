/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, driven by playwright-core).
 * Skipped, with a message, on a machine without the browser or the package; CI installs both.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlReport } from '../../../lib/report/htmlReport.ts';
import { EVIL, smallRun } from '../../fixtures/report/smallRun.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HOW = `needs ${CHROMIUM} and the playwright-core devDependency: apt-get install -y chromium && npm install`;

// Loose types: playwright-core is optional at type-check time as well as at run time.
interface PageLike {
  on(ev: string, f: (x: any) => void): void;
  goto(url: string): Promise<unknown>;
  $$eval<T>(sel: string, f: (els: any[]) => T): Promise<T>;
  $eval<T>(sel: string, f: (el: any) => T): Promise<T>;
  locator(sel: string): { fill(v: string): Promise<void> };
  evaluate<T>(f: () => T): Promise<T>;
}

describe(`report/htmlReport in headless Chromium (${HOW})`, function () {
  this.timeout(60_000);
  let browser: { close(): Promise<void>; newPage(): Promise<PageLike> } | undefined;
  let page: PageLike;
  let dir = '';
  const problems: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];

  before(async function () {
    let pw: any;
    try {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found`);
      pw = await import('playwright-core' as string);
    } catch (e) {
      console.log(`      skipped: ${(e as Error).message.split('\n')[0]}; ${HOW}`);
      this.skip();
    }
    browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser!.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    dir = mkdtempSync(join(tmpdir(), 'cma-sim-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, htmlReport(smallRun));
    await page.goto(pathToFileURL(file).href);
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with data', async () => {
    const charts = await page.$$eval('figure.chart svg', (els) => els.map((e) => e.getBoundingClientRect().width));
    expect(charts).to.have.length(7);
    expect(charts.every((w) => w > 100)).to.equal(true);
    const cdf = await page.$$eval('#chart-cdf path.series', (els) => els.map((e) => e.getAttribute('d')!.length));
    expect(cdf).to.have.length(3); // one curve per device
    expect(cdf.every((n) => n > 10)).to.equal(true);
    expect(await page.$$eval('#chart-histogram rect.bar', (els) => els.length)).to.be.greaterThan(0);
  });

  it('the slider scrubs the memory map through the run', async () => {
    const cells = () => page.$$eval('#map-area-0 rect.pb', (els) => els.map((e) => e.getAttribute('class')));
    const fill = () => page.$eval('#map-area-0 rect.pb', (e) => getComputedStyle(e).fill);
    expect(await cells()).to.deep.equal(['pb pb-free', 'pb pb-cache', 'pb pb-cache', 'pb pb-free']);
    const before = await fill();
    await page.locator('#map-slider').fill('1');
    expect(await cells()).to.deep.equal(['pb pb-allocated', 'pb pb-isolated', 'pb pb-cache', 'pb pb-free']);
    expect(await fill()).not.to.equal(before);
    expect(await page.$eval('#map-time', (e) => e.textContent)).to.equal('t = 1ms');
    await page.locator('#map-slider').fill('3');
    expect(await page.$$eval('#map-area-1 rect.pb', (els) => els.map((e) => e.getAttribute('class')))).to.deep.equal(
      ['pb pb-free', 'pb pb-isolated', 'pb pb-free', 'pb pb-free']);
  });

  it('shows a malicious device name as text and runs none of it', async () => {
    const cells = await page.$$eval('td', (els) => els.map((e) => e.textContent));
    expect(cells).to.include(EVIL);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).to.equal(2);
    expect(dialogs).to.deep.equal([]);
  });

  it('logs no console error and fetches nothing but itself', () => {
    expect(problems).to.deep.equal([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).to.deep.equal([]);
  });
});
