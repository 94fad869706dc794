// Records chromium.har: Debian's headless Chromium, driven through the DevTools protocol by
// puppeteer-core, loads a page of the 20 flags from `loiter serve`; chrome-har turns the
// protocol's Network and Page events into HAR 1.2.
// Usage: node record-har.js URL OUT.har (with puppeteer-core and chrome-har installed by npm)
const fs = require('fs');
const puppeteer = require('puppeteer-core');
const { harFromMessages } = require('chrome-har');

(async () => {
  const [url, out] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  await page.setCacheEnabled(false);
  const client = await page.createCDPSession();
  const events = [];
  const observe = [
    'Page.loadEventFired', 'Page.domContentEventFired', 'Page.frameStartedLoading',
    'Page.frameAttached', 'Page.frameScheduledNavigation', 'Network.requestWillBeSent',
    'Network.requestServedFromCache', 'Network.dataReceived', 'Network.responseReceived',
    'Network.resourceChangedPriority', 'Network.loadingFinished', 'Network.loadingFailed',
  ];
  for (const m of observe) client.on(m, (params) => events.push({ method: m, params }));
  await client.send('Page.enable');
  await client.send('Network.enable');
  await page.goto(url, { waitUntil: 'networkidle0' });
  await browser.close();
  const har = harFromMessages(events, { includeTextFromResponseBody: false });
  fs.writeFileSync(out, JSON.stringify(har, null, 2) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
