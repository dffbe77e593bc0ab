// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against an
// application of BrowserInteropTests. Usage:
//   node browser_client.mjs http://127.0.0.1:<port>/browser-interop.html /<endpoint path>
// Loads the page (served by the application), calls its runInterop(path), which exchanges
// text, binary and a 256 KiB message with the echo endpoint through the browser's own
// WebSocket and closes with 4000, and prints the result as one JSON line. Exits 1 on an
// error or after 40 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [pageUrl, path] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'autobahn-chromium-'));
let context;

const hardTimer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ ok: false, error: 'timed out after 40 s' }) + '\n');
  process.exit(1);
}, 40_000);

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    timeout: 20_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const response = await page.goto(pageUrl, { timeout: 10_000 });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${pageUrl} answered ${response && response.status()}`);
  }
  const result = await page.evaluate((p) => window.runInterop(p), path);
  result.browser = context.browser() ? context.browser().version() : null;
  process.stdout.write(JSON.stringify(result) + '\n');
  await context.close();
  clearTimeout(hardTimer);
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(0);
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error) }) + '\n');
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(1);
}
