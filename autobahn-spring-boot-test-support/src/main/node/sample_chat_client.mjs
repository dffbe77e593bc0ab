// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the sample
// application's chat page, for sample-echo-app's ChatPageBrowserTests. Usage:
//   node sample_chat_client.mjs http://127.0.0.1:<port> <room>
// Opens /chat.html?room=<room>&nick=alice and ...&nick=bob in two tabs of one browser, waits until
// both are connected, has alice say a line and bob answer through the page's form, waits until
// each tab shows the other's line, the live panel of alice's tab shows 2 open connections on the
// chat endpoint and its ticker line counts 2 in the chat, and prints what the tabs show as one
// JSON line. Exits 1 on an error or after 60 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, room] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'autobahn-chromium-'));
const problems = [];
let context;

const hardTimer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ ok: false, error: 'timed out after 60 s', problems }) + '\n');
  process.exit(1);
}, 60_000);

async function open(nick) {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${nick} console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${nick} page error: ${error}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${nick} ${response.status()} ${response.url()}`);
  });
  const url = `${baseUrl}/chat.html?room=${encodeURIComponent(room)}&nick=${encodeURIComponent(nick)}`;
  const response = await page.goto(url, { timeout: 15_000 });
  return { page, status: response ? response.status() : null };
}

async function say(page, text) {
  await page.fill('#message', text);
  await page.click('#send');
}

async function waitForLine(page, text) {
  await page.waitForFunction((t) => Array.from(document.querySelectorAll('#log div'))
    .some((line) => line.textContent === t), text, { timeout: 15_000 });
}

const lines = (page) => page.$$eval('#log div', (divs) => divs.map((d) => d.textContent));

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    timeout: 20_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const alice = await open('alice');
  await alice.page.waitForFunction(() => document.getElementById('status').textContent.startsWith('connected'),
    null, { timeout: 15_000 });
  const bob = await open('bob');
  await waitForLine(alice.page, `* bob joined ${room} (here: alice, bob)`);

  await say(alice.page, 'hello bob, from tab one');
  await waitForLine(bob.page, 'alice: hello bob, from tab one');
  await say(bob.page, 'hello alice, from tab two');
  await waitForLine(alice.page, 'bob: hello alice, from tab two');

  // The panel reads the Actuator every second: wait for the reading with both tabs connected.
  const openCell = 'tr[data-endpoint="chatProtocol"] .value.open';
  await alice.page.waitForFunction((s) => {
    const cell = document.querySelector(s);
    return cell && cell.textContent === '2';
  }, openCell, { timeout: 15_000 });
  // The ticker's scheduled broadcast, once it counts both tabs in the chat
  await alice.page.waitForFunction(() => /^tick \S+ chat 2$/.test(document.getElementById('tick').textContent),
    null, { timeout: 15_000 });
  const panel = await alice.page.$$eval('#panel tbody tr', (rows) => rows.map((row) => ({
    endpoint: row.dataset.endpoint,
    path: row.children[1].textContent,
    open: row.querySelector('.value.open').textContent,
    sparkline: row.querySelector('.open + svg polyline').getAttribute('points') || '',
  })));

  const result = {
    ok: true,
    error: null,
    status: [alice.status, bob.status],
    title: await alice.page.title(),
    alice: await lines(alice.page),
    bob: await lines(bob.page),
    panel,
    panelStatus: await alice.page.textContent('#panel-status'),
    tick: await alice.page.textContent('#tick'),
    problems,
    browser: context.browser() ? context.browser().version() : null,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  await context.close();
  clearTimeout(hardTimer);
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(0);
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error), problems }) + '\n');
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(1);
}
