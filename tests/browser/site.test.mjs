// Browser tests of the built site, in Debian's Chromium (never a downloaded browser), run by
// tests/all.sh after the cargo tests: `npm ci && npm test` in this folder.
//
// The fixture tests/fixtures/basic is built with the default theme and --package into a
// temporary folder by the barometre binary (BAROMETRE_BIN, default target/debug/barometre),
// then read through file://, through an unzipped package, and from a loopback HTTP server
// under a sub-path (a partner's mirror). Checked: navigation by clicks only, the offline
// search (Arabic and French spelling variants), rtl, no console error or failed request,
// axe-core, a PDF of the print edition, and the Nu HTML Checker on every page. On phones
// (320 and 390 px): no sideways scroll, full-width charts, the « Menu » without JavaScript,
// the text on the first screen; no Arabic font on French pages; the 404 page served by a
// host for a deep missing address; printed link addresses.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { launch } from './chromium.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = process.env.BAROMETRE_BIN || path.join(repo, 'target/debug/barometre');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barometre-browser-'));
const project = path.join(tmp, 'project');
const site = path.join(project, 'public');

let browser;
let server;
let serverUrl;

function build(root, args) {
  const r = spawnSync(bin, ['-C', root, 'build', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `barometre build failed:\n${r.stderr}`);
}

before(async () => {
  fs.cpSync(path.join(repo, 'tests/fixtures/basic'), project, { recursive: true });
  fs.cpSync(path.join(repo, 'themes/default'), path.join(project, 'themes/default'), { recursive: true });
  // A second meeting page, so the print edition repeats the meeting data blocks.
  for (const [lang, title] of [['fr', 'Rencontre d’Alpha, suite'], ['ar', 'لقاء ألفا، تتمة']]) {
    fs.writeFileSync(path.join(project, `editions/2021-vague-test/pages/beta.${lang}.md`),
      `---\ntitle: ${title}\nweight: 3\ntemplate: meeting.html\nextra: {meeting: alpha}\n---\n## Suite\n\nTexte.\n`);
  }
  build(project, ['--package']);
  browser = await launch();
  // A partner's mirror: the same folder served under /partner/barometre/ on loopback.
  server = http.createServer((req, res) => {
    const prefix = '/partner/barometre/';
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(site, url.slice(prefix.length));
    if (!url.startsWith(prefix) || !file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.woff2': 'font/woff2', '.xml': 'application/xml' };
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${server.address().port}/partner/barometre/`;
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records console errors, page errors and failed requests. */
async function open(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // ERR_ABORTED is a request cut short by the page navigating away (a click while the
  // favicon loads), not a missing file: that one is ERR_FILE_NOT_FOUND.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

const fileUrl = (rel, dir = site) => pathToFileURL(path.join(dir, rel)).href;

/** Clicks a link and waits for the page it opens. */
async function follow(page, selector) {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).first().click()]);
}

async function pageDir(page) {
  return page.evaluate(() => [document.documentElement.lang, document.dir]);
}

test('from the entry page to an Arabic narrative page and back to its French twin, by clicks', async () => {
  const { page, problems, close } = await open(fileUrl('index.html'));
  await follow(page, 'a[hreflang="ar"]');
  assert.ok(page.url().endsWith('/ar/index.html'), page.url());
  assert.deepEqual(await pageDir(page), ['ar', 'rtl']);
  await follow(page, '.edition-card h3 a');
  assert.ok(page.url().endsWith('/ar/editions/2021-vague-test/index.html'), page.url());
  await follow(page, '.chapter-list a');
  assert.ok(page.url().endsWith('/ar/editions/2021-vague-test/intro/index.html'), page.url());
  assert.deepEqual(await pageDir(page), ['ar', 'rtl']);
  assert.equal(await page.locator('h1').textContent(), 'مقدمة');
  await follow(page, '.lang-switch a[hreflang="fr"]');
  assert.ok(page.url().endsWith('/fr/editions/2021-vague-test/intro/index.html'), page.url());
  assert.deepEqual(await pageDir(page), ['fr', 'ltr']);
  assert.equal(await page.locator('h1').textContent(), 'Introduction');
  // The edition home opens the print version.
  await follow(page, '.eyebrow a');
  await follow(page, '.offline-links a[href$="print.html"]');
  assert.ok(page.url().endsWith('/fr/editions/2021-vague-test/print.html'), page.url());
  assert.deepEqual(problems, []);
  await close();
});

/** Types `query` in the search box and returns the result links (the page's title, href,
    resolved). More on the search: search.test.mjs. */
async function searchFor(page, query) {
  const input = page.locator('#site-search-q');
  await input.fill('');
  await input.pressSequentially(query, { delay: 10 });
  await page.locator('.site-search-panel').waitFor({ state: 'visible' });
  await page.waitForFunction((loading) => {
    const panel = document.querySelector('.site-search-panel');
    const status = panel.querySelector('.site-search-status').textContent;
    return panel.querySelector('.site-search-results li') || (status && status !== loading);
  }, await page.locator('form.site-search').getAttribute('data-loading'));
  return page.locator('.site-search-results a').evaluateAll((as) =>
    as.map((a) => ({ text: a.querySelector('.site-search-title').textContent, href: a.getAttribute('href'), url: a.href })));
}

test('offline search in Arabic and French folds harakat, hamza and accents, and its results open', async () => {
  const { page, problems, close } = await open(fileUrl('ar/editions/2019-rencontres-test/synthese/index.html'));
  assert.equal(await page.locator('form.site-search').isVisible(), true);
  // Vocalised, with shadda: مُقَدِّمَة finds the page titled مقدمة.
  let results = await searchFor(page, 'مُقَدِّمَة');
  assert.equal(results[0]?.text, 'مقدمة', JSON.stringify(results));
  assert.equal(results[0].href, '../../../../ar/editions/2021-vague-test/intro/index.html');
  // Without hamza (الاهداف) finds the heading الأهداف; ta marbuta typed as ha (لقاءات تجريبيه).
  results = await searchFor(page, 'الاهداف');
  assert.equal(results[0]?.text, 'مقدمة', JSON.stringify(results));
  results = await searchFor(page, 'تجريبيه');
  assert.ok(results.some((r) => r.text === 'لقاءات تجريبية 2019'), JSON.stringify(results));
  results = await searchFor(page, 'لا يوجد أبدا');
  assert.deepEqual(results, []);
  assert.match(await page.locator('.site-search-status').textContent(), /لا توجد/);
  // Open a result: the page exists.
  results = await searchFor(page, 'مُقَدِّمَة');
  await follow(page, '.site-search-results a');
  assert.ok(page.url().endsWith('/ar/editions/2021-vague-test/intro/index.html'), page.url());
  assert.deepEqual(await pageDir(page), ['ar', 'rtl']);

  // French: no accent typed, capitals, an apostrophe.
  await page.goto(fileUrl('fr/a-propos/index.html'));
  results = await searchFor(page, 'SYNTHESE');
  assert.equal(results[0]?.text, 'Synthèse', JSON.stringify(results));
  results = await searchFor(page, "rencontre d'alph");
  assert.equal(results[0]?.text, 'Rencontre d’Alpha', JSON.stringify(results));
  await follow(page, '.site-search-results a');
  assert.ok(page.url().endsWith('/fr/editions/2021-vague-test/alpha/index.html'), page.url());
  assert.deepEqual(problems, []);
  await close();
});

test('without JavaScript the search box stays hidden and the pages read', async () => {
  const { page, problems, close } = await open(fileUrl('fr/editions/2021-vague-test/intro/index.html'), { javaScriptEnabled: false });
  assert.equal(await page.locator('form.site-search').isVisible(), false);
  assert.equal(await page.locator('h1').textContent(), 'Introduction');
  assert.deepEqual(problems, []);
  await close();
});

test('a mirror under a sub-path works without rebuilding', async () => {
  const { page, problems, close } = await open(`${serverUrl}index.html`);
  await follow(page, 'a[hreflang="ar"]');
  assert.equal(page.url(), `${serverUrl}ar/index.html`);
  const results = await searchFor(page, 'مقدمه');
  assert.equal(results[0]?.url, `${serverUrl}ar/editions/2021-vague-test/intro/index.html`);
  await follow(page, '.site-search-results a');
  assert.equal(page.url(), `${serverUrl}ar/editions/2021-vague-test/intro/index.html`);
  assert.deepEqual(problems, []);
  await close();
});

/** The Arabic package of the 2021 edition, unzipped (once). */
function unzipped() {
  const dir = path.join(tmp, 'unzipped');
  if (!fs.existsSync(dir)) {
    execFileSync('python3', ['-m', 'zipfile', '-e', path.join(site, 'downloads/edition-2021-vague-test-ar.zip'), dir]);
  }
  return dir;
}

test('an unzipped edition package opens from its index.html and searches that edition', async () => {
  const dir = unzipped();
  const { page, problems, close } = await open(fileUrl('index.html', dir));
  assert.deepEqual(await pageDir(page), ['ar', 'rtl']);
  await follow(page, 'a.button');
  assert.ok(page.url().endsWith('/ar/editions/2021-vague-test/index.html'), page.url());
  await follow(page, '.chapter-list a');
  const results = await searchFor(page, 'الأهداف');
  assert.equal(results[0]?.text, 'مقدمة');
  // Pages of other editions are not in this package, nor in its index.
  assert.deepEqual(await searchFor(page, 'خلاصة'), []);
  assert.deepEqual(problems, []);
  await close();
});

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], preload: false }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
}

test('axe-core finds no violation on edition homes, narrative and print pages in both languages', async () => {
  const pages = [
    'index.html',
    'fr/index.html',
    'fr/editions/2021-vague-test/index.html',
    'ar/editions/2021-vague-test/index.html',
    'fr/editions/2021-vague-test/intro/index.html',
    'ar/editions/2021-vague-test/alpha/index.html',
    'ar/editions/2021-vague-test/print.html',
    'fr/editions/2021-vague-test/print.html',
    'fr/glossaire/index.html',
  ];
  const found = [];
  for (const rel of pages) {
    const { page, problems, close } = await open(fileUrl(rel));
    for (const v of await axeViolations(page)) found.push(`${rel}: ${v}`);
    found.push(...problems.map((p) => `${rel}: ${p}`));
    await close();
  }
  // With the search results open too.
  const { page, close } = await open(fileUrl('ar/editions/2021-vague-test/index.html'));
  await searchFor(page, 'مقدمة');
  for (const v of await axeViolations(page)) found.push(`search results: ${v}`);
  await close();
  assert.deepEqual(found, []);
});

test('the print edition prints to a multi-page PDF in Arabic and French', async () => {
  for (const lang of ['ar', 'fr']) {
    const { page, problems, close } = await open(fileUrl(`${lang}/editions/2021-vague-test/print.html`));
    assert.equal(await page.locator('.print-button').isVisible(), true);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    // Cover, contents, two chapters, versions.
    assert.ok(pages >= 5, `${lang}: ${pages} pages`);
    assert.deepEqual(problems, []);
    await close();
  }
});

/** The Nu HTML Checker's errors on every HTML file under `dirs`. */
function vnuErrors(dirs) {
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', '--skip-non-html', ...dirs], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(r.status === 0 || r.status === 1, `vnu did not run: ${r.error || r.stderr}`);
  // vnu prints its JSON report on stderr even when it finds nothing: no report means it did
  // not run, which must fail rather than read as "no error".
  assert.ok((r.stderr || '').trim().startsWith('{'), `vnu printed no report (status ${r.status}): ${r.stderr}`);
  const messages = JSON.parse(r.stderr).messages;
  assert.ok(Array.isArray(messages), `vnu report without messages: ${r.stderr.slice(0, 200)}`);
  return messages.map((m) => `${m.url?.replace(/^file:/, '')}:${m.lastLine}: ${m.type}: ${m.message}`);
}

/** The shipped site, built once into a temporary folder (public/ is left alone). */
let shippedDir = null;
function shipped() {
  if (shippedDir) return shippedDir;
  const dir = path.join(tmp, 'shipped');
  const r = spawnSync(bin, ['-C', repo, 'build', '--out', dir, '--package'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the shipped site does not build:\n${r.stderr}`);
  shippedDir = dir;
  return dir;
}

test('axe-core finds no violation on the shipped pages with charts, in both languages', async () => {
  const dir = shipped();
  const pages = [
    'fr/editions/2020-rencontres-regionales/enquete/index.html',
    'ar/editions/2020-rencontres-regionales/enquete/index.html',
    'ar/editions/2020-rencontres-regionales/oujda/index.html',
    'fr/editions/2020-rencontres-regionales/recommandations/index.html',
    'ar/indicateurs/ressources-pedagogiques-suffisantes/index.html',
    'fr/indicateurs/index.html',
    'ar/editions/2020-rencontres-regionales/index.html',
  ];
  const found = [];
  for (const rel of pages) {
    const { page, problems, close } = await open(pathToFileURL(path.join(dir, rel)).href);
    // Open every data table so axe checks them too.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    for (const v of await axeViolations(page)) found.push(`${rel}: ${v}`);
    found.push(...problems.map((p) => `${rel}: ${p}`));
    await close();
  }
  assert.deepEqual(found, []);
});

test('the Nu HTML Checker reports no error on the fixture site, a package and the shipped site', () => {
  const dirs = [site, unzipped(), shipped()];
  const count = dirs.map((d) => fs.readdirSync(d, { recursive: true }).filter((f) => f.endsWith('.html')).length)
    .reduce((a, b) => a + b, 0);
  console.log(`# vnu: ${count} HTML files in ${dirs.length} folders`);
  assert.deepEqual(vnuErrors(dirs), []);
});

// Phones, fonts and the 404 page (issue 12, theme side).

/** Widths of what sticks out of the page sideways at the current viewport: the page's own
 *  scroll width, and any text outside the viewport that is not inside a scroll box. */
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    const vw = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > vw) out.push(`page scrolls: ${document.documentElement.scrollWidth} > ${vw}`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      let clipped = false;
      for (let e = n.parentElement; e && e !== document.body; e = e.parentElement) {
        const o = getComputedStyle(e).overflowX;
        if (o !== 'visible') { clipped = true; break; }
      }
      if (clipped || !n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
          out.push(`${n.parentElement.tagName.toLowerCase()} [${Math.round(r.left)}, ${Math.round(r.right)}]: ${n.textContent.trim().slice(0, 60)}`);
          break;
        }
      }
    }
    return out;
  });
}

const phonePages = [
  'editions/2020-rencontres-regionales/enquete/index.html',
  'indicateurs/ressources-pedagogiques-suffisantes/index.html',
  'editions/2020-rencontres-regionales/recommandations/index.html',
  'editions/2020-rencontres-regionales/oujda/index.html',
  'indicateurs/index.html',
  'index.html',
];

test('no sideways scroll at 320 and 390 px on the shipped survey, indicator and recommendations pages, in both languages', async () => {
  const dir = shipped();
  const found = [];
  for (const width of [320, 390]) {
    for (const lang of ['fr', 'ar']) {
      for (const rel of phonePages) {
        const { page, problems, close } = await open(pathToFileURL(path.join(dir, lang, rel)).href, { viewport: { width, height: 844 } });
        for (const o of await sidewaysOverflow(page)) found.push(`${width} px ${lang}/${rel}: ${o}`);
        found.push(...problems.map((p) => `${lang}/${rel}: ${p}`));
        await close();
      }
    }
  }
  assert.deepEqual(found, []);
});

test('on a phone the charts span the column and the data tables scroll in a focusable box', async () => {
  const dir = shipped();
  for (const lang of ['fr', 'ar']) {
    const { page, close } = await open(pathToFileURL(path.join(dir, lang, phonePages[0])).href, { viewport: { width: 390, height: 844 } });
    const [svg, figure, viewport] = await page.evaluate(() => [
      document.querySelector('.chart-svg svg').getBoundingClientRect().width,
      getComputedStyle(document.querySelector('.chart-figure')).marginInlineStart,
      document.documentElement.clientWidth,
    ]);
    // The browser's 40 px figure margins are gone: the chart gets at least 90 % of the screen.
    assert.ok(svg >= viewport * 0.9, `${lang}: chart ${svg} px wide on a ${viewport} px screen (figure margin ${figure})`);
    const box = page.locator('.chart-table .table-scroll').first();
    assert.equal(await box.getAttribute('tabindex'), '0');
    assert.equal(await box.evaluate((e) => getComputedStyle(e).overflowX), 'auto');
    assert.match(await box.evaluate((e) => getComputedStyle(e).backgroundAttachment), /local.*scroll/);
    await close();
  }
});

test('the phone menu opens without JavaScript, and from 700 px the navigation is laid out', async () => {
  for (const lang of ['fr', 'ar']) {
    const url = fileUrl(`${lang}/editions/2021-vague-test/intro/index.html`);
    const { page, problems, close } = await open(url, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const menu = page.locator('.site-nav summary');
    const firstLink = page.locator('.site-nav-list a').first();
    assert.equal(await menu.isVisible(), true, `${lang}: no Menu button`);
    assert.equal(await firstLink.isVisible(), false, `${lang}: the list shows before the Menu is opened`);
    await menu.click();
    assert.equal(await firstLink.isVisible(), true, `${lang}: the Menu did not open`);
    assert.equal(await page.locator('.site-nav details').evaluate((d) => d.open), true);
    // Its links lead somewhere: the home of the language.
    await Promise.all([page.waitForEvent('load'), firstLink.click()]);
    assert.ok(page.url().endsWith(`/${lang}/index.html`), page.url());
    assert.deepEqual(problems, []);
    await close();

    const wide = await open(url, { viewport: { width: 800, height: 800 }, javaScriptEnabled: false });
    assert.equal(await wide.page.locator('.site-nav summary').isVisible(), false, `${lang}: Menu button at 800 px`);
    assert.equal(await wide.page.locator('.site-nav-list a').first().isVisible(), true);
    await wide.close();
  }
});

test('axe-core finds no violation at 390 px with the menu open, in both languages, nor on the 404 page', async () => {
  const dir = shipped();
  const found = [];
  for (const url of [fileUrl('fr/editions/2021-vague-test/alpha/index.html'), fileUrl('ar/index.html'),
    pathToFileURL(path.join(dir, 'ar/editions/2020-rencontres-regionales/oujda/index.html')).href,
    pathToFileURL(path.join(dir, 'fr', phonePages[0])).href, fileUrl('404.html')]) {
    const { page, problems, close } = await open(url, { viewport: { width: 390, height: 844 } });
    if (url.endsWith('404.html')) {
      for (const v of await axeViolations(page)) found.push(`${url}: ${v}`);
      await close();
      continue;
    }
    await page.locator('.site-nav summary').click();
    await page.evaluate(() => document.querySelectorAll('details.chart-table').forEach((d) => { d.open = true; }));
    for (const v of await axeViolations(page)) found.push(`${url}: ${v}`);
    found.push(...problems.map((p) => `${url}: ${p}`));
    await close();
  }
  assert.deepEqual(found, []);
});

test('the first paragraph of a meeting page shows on the first screen of a phone (390 × 844)', async () => {
  const dir = shipped();
  for (const lang of ['fr', 'ar']) {
    const { page, close } = await open(pathToFileURL(path.join(dir, lang, 'editions/2020-rencontres-regionales/oujda/index.html')).href,
      { viewport: { width: 390, height: 844 } });
    const top = await page.locator('.prose > p').first().evaluate((p) => p.getBoundingClientRect().top);
    assert.ok(top < 844 - 60, `${lang}: the first paragraph starts at ${Math.round(top)} px`);
    await close();
  }
});

/** The font files a page requests (names), loaded until its fonts are ready. */
async function fontRequests(url) {
  const { page, close } = await open(url, { viewport: { width: 390, height: 844 } });
  const fonts = [];
  page.on('request', (r) => { if (/\.(woff2?|ttf|otf)$/.test(new URL(r.url()).pathname)) fonts.push(path.basename(new URL(r.url()).pathname)); });
  await page.reload();
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(200);
  await close();
  return fonts;
}

test('a French page requests no Arabic font file; an Arabic page requests only the subset Naskh', async () => {
  const dir = shipped();
  for (const rel of ['index.html', 'editions/2020-rencontres-regionales/oujda/index.html', phonePages[0]]) {
    assert.deepEqual(await fontRequests(pathToFileURL(path.join(dir, 'fr', rel)).href), [], `fr/${rel}`);
    const ar = await fontRequests(pathToFileURL(path.join(dir, 'ar', rel)).href);
    assert.ok(ar.length > 0 && ar.every((f) => f.startsWith('NotoNaskhArabic-')), `ar/${rel}: ${ar}`);
    for (const f of ar) {
      const size = fs.statSync(path.join(dir, 'assets/fonts', f)).size;
      assert.ok(size < 40 * 1024, `${f}: ${size} bytes, not the subset`);
    }
  }
});

/** Serves `dir` under `prefix` on loopback like a web host: 404.html (status 404) for a
 *  missing address. Resolves to the server and its address. */
async function hostWith404(dir, prefix) {
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.woff2': 'font/woff2', '.svg': 'image/svg+xml' };
  const srv = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, url.slice(prefix.length));
    if (url.startsWith(prefix) && file.startsWith(dir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': types['.html'] });
    fs.createReadStream(path.join(dir, '404.html')).pipe(res);
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { srv, origin: `http://127.0.0.1:${srv.address().port}` };
}

/** Like open(), for an address that is meant to answer 404: that answer is expected, and so
 *  is the browser's own /favicon.ico at the host root (not the site's: a mirror under a
 *  sub-path cannot serve it), which pages without base_url do not name. Anything else that
 *  fails is a problem. */
async function open404(url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  const expected = (u) => u === url || new URL(u).pathname === '/favicon.ico';
  page.on('console', (m) => { if (m.type() === 'error' && !expected(m.location().url)) problems.push(`console: ${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !expected(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const response = await page.goto(url);
  assert.equal(response.status(), 404, `${url} did not answer 404`);
  return { page, problems, close: () => context.close() };
}

/** Opens a missing deep address; checks the 404 page is styled, loads nothing that fails and
 *  its home links open the homes. */
async function check404(url, homes) {
  const { page, problems, close } = await open404(url);
  assert.deepEqual(problems, [], url);
  const button = page.locator('a.button').first();
  assert.equal(await button.evaluate((a) => getComputedStyle(a).backgroundColor), 'rgb(15, 76, 92)', `${url}: not styled`);
  assert.equal(await page.evaluate(() => document.styleSheets.length > 0 && [...document.styleSheets].every((s) => !s.href)), true,
    `${url}: loads a stylesheet`);
  const hrefs = await page.locator('a.button').evaluateAll((as) => as.map((a) => a.href));
  assert.deepEqual(hrefs, homes);
  for (const href of hrefs) {
    const r = await page.request.get(href);
    assert.equal(r.status(), 200, href);
  }
  await Promise.all([page.waitForEvent('load'), button.click()]);
  assert.equal(page.url(), homes[0]);
  await close();
}

test('the 404 page served for a deep missing address is styled and its links resolve (base_url set)', async () => {
  const prefix = '/partner/barometre/';
  const dir = path.join(tmp, 'with-base-url');
  const proj = path.join(tmp, 'project-base-url');
  const { srv, origin } = await hostWith404(path.join(dir, 'public'), prefix);
  try {
    fs.cpSync(project, proj, { recursive: true, filter: (f) => !f.startsWith(path.join(project, 'public')) });
    fs.appendFileSync(path.join(proj, 'site.yaml'), `base_url: ${origin}${prefix}\n`);
    build(proj, ['--out', path.join(dir, 'public')]);
    const base = `${origin}${prefix}`;
    const homes = [`${base}fr/index.html`, `${base}ar/index.html`];
    await check404(`${base}fr/x/y/z`, homes);
    await check404(`${base}ar/editions/nulle-part/index.html`, homes);
    // No language folder in the address: the root is base_url's.
    await check404(`${base}nulle-part.html`, homes);
  } finally {
    srv.close();
  }
  // The same build copied to a mirror under another sub-path: its own root, found from the
  // language folder of the address.
  const mirror = await hostWith404(path.join(dir, 'public'), '/autre/miroir/');
  try {
    const root = `${mirror.origin}/autre/miroir/`;
    await check404(`${root}ar/x/y/z`, [`${root}fr/index.html`, `${root}ar/index.html`]);
  } finally {
    mirror.srv.close();
  }
});

test('without base_url the 404 page reads at any depth and its links find the site root', async () => {
  for (const prefix of ['/', '/partner/barometre/']) {
    const { srv, origin } = await hostWith404(site, prefix);
    try {
      const root = `${origin}${prefix}`;
      const homes = [`${root}fr/index.html`, `${root}ar/index.html`];
      await check404(`${root}fr/x/y/z`, homes);
      await check404(`${root}ar/editions/2021-vague-test/absente/index.html`, homes);
      if (prefix === '/') await check404(`${root}page-absente.html`, homes);
      // Without JavaScript the links are relative to the site root: right at the root.
      const { page, problems, close } = await open404(`${root}page-absente.html`, { javaScriptEnabled: false });
      assert.deepEqual(problems, []);
      assert.equal(await page.locator('a.button').first().evaluate((a) => getComputedStyle(a).backgroundColor), 'rgb(15, 76, 92)');
      assert.deepEqual(await page.locator('a.button').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['fr/index.html', 'ar/index.html']);
      await close();
    } finally {
      srv.close();
    }
  }
});

test('printed links show a readable address, the data tables print, the footer promises only what exists', async () => {
  const dir = shipped();
  const { page, close } = await open(pathToFileURL(path.join(dir, 'fr', phonePages[0])).href);
  await page.emulateMedia({ media: 'print' });
  const csv = page.locator('.figure-downloads a[type="text/csv"]').first();
  // Without the beforeprint script: the href as written.
  const before = await csv.evaluate((a) => getComputedStyle(a, '::after').content);
  assert.ok(before.includes('attr(href)') || before.includes(await csv.getAttribute('href')), before);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.match(await csv.getAttribute('data-print-href'), /^data\/2020-rencontres-regionales\/[a-z-]+\.csv$/);
  assert.match(await csv.evaluate((a) => getComputedStyle(a, '::after').content), /^" \(data\/2020-rencontres-regionales\/[a-z-]+\.csv\)"$/);
  assert.equal(await page.locator('details.chart-table[open]').count(), await page.locator('details.chart-table').count());
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await page.locator('details.chart-table[open]').count(), 0);
  await close();
  // The shipped build has --package: the footer offers the download; the fixture's without
  // --package (below) must not promise it.
  const pkg = await open(pathToFileURL(path.join(dir, 'fr/index.html')).href);
  assert.equal(await pkg.page.locator('.site-footer a[type="application/zip"]').count(), 1);
  await pkg.close();
  const plain = path.join(tmp, 'no-package');
  build(project, ['--out', plain]);
  const bare = await open(pathToFileURL(path.join(plain, 'fr/index.html')).href);
  assert.equal(await bare.page.locator('.site-footer a[type="application/zip"]').count(), 0);
  assert.equal(await bare.page.locator('.site-footer .footer-note').count(), 0);
  await bare.close();
});
