// Browser tests of the built site, in Debian's Chromium (never a downloaded browser), run by
// tests/all.sh after the cargo tests: `npm ci && npm test` in this folder.
//
// The fixture tests/fixtures/basic is built with the default theme and --package into a
// temporary folder by the barometre binary (BAROMETRE_BIN, default target/debug/barometre),
// then read through file://, through an unzipped package, and from a loopback HTTP server
// under a sub-path (a partner's mirror). Checked: navigation by clicks only, the offline
// search (Arabic and French spelling variants), rtl, no console error or failed request,
// axe-core, a PDF of the print edition, and the Nu HTML Checker on every page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = process.env.BAROMETRE_BIN || path.join(repo, 'target/debug/barometre');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
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
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
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
  const messages = JSON.parse(r.stderr || '{"messages":[]}').messages;
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
