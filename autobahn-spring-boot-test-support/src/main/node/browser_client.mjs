// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against an
// application of BrowserInteropTests. Usage:
//   node browser_client.mjs http://127.0.0.1:<port>/browser-interop.html /<endpoint path>
// Loads the page (served by the application), calls its runInterop(path), which exchanges
// text, binary and a 256 KiB message with the echo endpoint through the browser's own
// WebSocket and closes with 4000, and prints the result as one JSON line. Exits 1 on an
// error or after 40 s.
import { inChromium } from './headless_chromium.mjs';

const [pageUrl, path] = process.argv.slice(2);

await inChromium(40, async (context) => {
  const page = context.pages()[0] || await context.newPage();
  const response = await page.goto(pageUrl, { timeout: 10_000 });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${pageUrl} answered ${response && response.status()}`);
  }
  return page.evaluate((p) => window.runInterop(p), path);
});
