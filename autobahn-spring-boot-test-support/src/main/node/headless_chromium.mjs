// What the browser drivers (browser_client.mjs, sample_chat_client.mjs) share: Debian's
// /usr/bin/chromium (or $CHROMIUM) launched headless through playwright-core with a profile of
// its own in a temporary directory, a hard time limit, and the one JSON line each prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Runs work(context) in a fresh browser and prints the object it returns, with the browser's
// version, as one JSON line, then exits 0. On an error, or after hardLimitSeconds, prints
// { ok: false, error, ...failureDetails() } and exits 1. The profile is removed either way but
// on the time limit.
export async function inChromium(hardLimitSeconds, work, failureDetails = () => ({})) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'autobahn-chromium-'));
  const failure = (error) => JSON.stringify({ ok: false, error, ...failureDetails() }) + '\n';
  const hardTimer = setTimeout(() => {
    process.stdout.write(failure(`timed out after ${hardLimitSeconds} s`));
    process.exit(1);
  }, hardLimitSeconds * 1000);
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      timeout: 20_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const result = await work(context);
    result.browser = context.browser() ? context.browser().version() : null;
    process.stdout.write(JSON.stringify(result) + '\n');
    await context.close();
    clearTimeout(hardTimer);
    rmSync(userDataDir, { recursive: true, force: true });
    process.exit(0);
  } catch (error) {
    process.stdout.write(failure(String(error)));
    if (context) await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    process.exit(1);
  }
}
