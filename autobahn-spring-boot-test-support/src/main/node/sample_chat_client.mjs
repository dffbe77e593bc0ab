// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the sample
// application's chat page, for sample-echo-app's ChatPageBrowserTests and ChatClusterTests. Usage:
//   node sample_chat_client.mjs http://127.0.0.1:<port> <room>
// Opens /chat.html?room=<room>&nick=alice and ...&nick=bob in two tabs of one browser, waits until
// both are connected, has alice say a line and bob answer through the page's form, waits until
// each tab shows the other's line, the live panel of alice's tab shows 2 open connections on the
// chat endpoint and its ticker line counts 2 in the chat, and prints what the tabs show as one
// JSON line. Exits 1 on an error or after 60 s.
//   node sample_chat_client.mjs --cluster http://127.0.0.1:<port1> http://127.0.0.1:<port2> <room> <otherRoom>
// Two instances of the sample linked through Redis: alice's tab on instance 1 and bob's on
// instance 2 join <room>, carol's on instance 2 joins <otherRoom>; alice says two lines through the
// page's form, and once bob's tab shows the second, dave's tab on instance 1 joins <otherRoom> and
// carol's tab shows that join (what instance 1 publishes arrives in order: a line of alice's that
// reached carol would come before it). Prints what the four tabs show as one JSON line. Exits 1 on
// an error or after 75 s.
import { inChromium } from './headless_chromium.mjs';

const cluster = process.argv[2] === '--cluster';
const [baseUrl, room] = cluster ? [process.argv[3], process.argv[5]] : process.argv.slice(2);
const problems = [];
let context;

async function open(nick, base = baseUrl, roomName = room) {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${nick} console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${nick} page error: ${error}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${nick} ${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`${nick} failed ${request.url()}: ${request.failure() ? request.failure().errorText : ''}`);
  });
  const url = `${base}/chat.html?room=${encodeURIComponent(roomName)}&nick=${encodeURIComponent(nick)}`;
  const response = await page.goto(url, { timeout: 15_000 });
  return { page, status: response ? response.status() : null };
}

async function say(page, text) {
  await page.fill('#message', text);
  await page.click('#send');
}

async function waitForLine(page, text) {
  try {
    await page.waitForFunction((t) => Array.from(document.querySelectorAll('#log div'))
      .some((line) => line.textContent === t), text, { timeout: 15_000 });
  } catch (error) {
    const shown = await lines(page).catch(() => []);
    throw new Error(`${page.url()} did not show "${text}" within 15 s (${error.name}); it shows ${JSON.stringify(shown)}`);
  }
}

const lines = (page) => page.$$eval('#log div', (divs) => divs.map((d) => d.textContent));

async function waitConnected(page) {
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('connected'),
    null, { timeout: 15_000 });
}

async function twoInstances() {
  const [url1, url2, , otherRoom] = process.argv.slice(3);
  const alice = await open('alice', url1, room);
  await waitForLine(alice.page, `* alice joined ${room} (here: alice)`);
  const bob = await open('bob', url2, room);
  // "here:" names the instance's own connections; the join itself travels
  await waitForLine(bob.page, `* bob joined ${room} (here: bob)`);
  await waitForLine(alice.page, `* bob joined ${room} (here: bob)`);
  const carol = await open('carol', url2, otherRoom);
  await waitForLine(carol.page, `* carol joined ${otherRoom} (here: carol)`);

  await say(alice.page, 'hello bob, from instance one');
  await waitForLine(bob.page, 'alice: hello bob, from instance one');
  await waitForLine(alice.page, 'alice: hello bob, from instance one');
  // A second copy of the first line would come before the second line
  await say(alice.page, 'bye');
  await waitForLine(bob.page, 'alice: bye');
  await waitForLine(alice.page, 'alice: bye');
  const dave = await open('dave', url1, otherRoom);
  await waitForLine(carol.page, `* dave joined ${otherRoom} (here: dave)`);

  const tabs = { alice, bob, carol, dave };
  const result = { ok: true, error: null, status: [], url: {}, problems };
  for (const [nick, tab] of Object.entries(tabs)) {
    result.status.push(tab.status);
    result.url[nick] = tab.page.url();
    result[nick] = await lines(tab.page);
  }
  return result;
}

async function oneInstance() {
  const alice = await open('alice');
  await waitConnected(alice.page);
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

  return {
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
  };
}

await inChromium(cluster ? 75 : 60, async (browserContext) => {
  context = browserContext;
  return cluster ? twoInstances() : oneInstance();
}, () => ({ problems }));
