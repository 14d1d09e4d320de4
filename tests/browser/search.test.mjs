// Browser tests of the offline search, in Debian's Chromium (never a downloaded browser), run
// with site.test.mjs by `npm test`: the shipped site built into a temporary folder and read
// through file://, the same site served on loopback with its index held back (a query typed
// before the index arrives), and a generated site large enough for the index to be sharded.
//
// Checked: a fixed list of queries per language and the page (and heading) each must return,
// the table among them; results that open page#anchor; snippets with the match marked,
// in the page's direction; results grouped by edition; « chargement… » and the query kept
// while the index loads; the no-result message and the other language's search for a query
// in the other script; shards loaded on demand; axe-core on the open results.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barometre-search-'));
const shipped = path.join(tmp, 'shipped');
const large = path.join(tmp, 'large');
const PAGES = 320;

let browser;

function build(root, out) {
  const r = spawnSync(bin, ['-C', root, 'build', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `barometre build failed:\n${r.stderr}`);
}

/* A marker word that only page `i` holds, in Latin or Arabic letters that no stemming rule
   touches. */
function marker(i, letters) {
  const a = Array.from(letters);
  const base = a.length - 2;
  return a[0] + a[1] + [2, 1, 0].map((k) => a[2 + (Math.floor(i / base ** k) % base)]).join('');
}
const LATIN = 'zqbcdfghjklmnpt';
const ARABIC = 'ثخذضظغشصقحجطزع';

/* The basic fixture and a draft edition of PAGES pages per language of ~600 words each:
   enough text for the index to be split into shards. */
function generateLarge() {
  fs.cpSync(path.join(repo, 'tests/fixtures/basic'), large, { recursive: true });
  fs.cpSync(path.join(repo, 'themes/default'), path.join(large, 'themes/default'), { recursive: true });
  const ed = path.join(large, 'editions/2030-grand-test');
  fs.mkdirSync(path.join(ed, 'pages'), { recursive: true });
  fs.writeFileSync(path.join(ed, 'edition.yaml'), 'id: 2030-grand-test\nkind: barometer-wave\nyear: 2030\n' +
    'version: 0.1.0\nstatus: draft\ntitle:\n  fr: Grande vague de test\n  ar: موجة اختبار كبيرة\n' +
    'summary:\n  fr: Beaucoup de pages.\n  ar: صفحات كثيرة.\n');
  const vocab = {
    fr: 'confiance institutions emploi jeunes santé école région village commune marché eau route ' +
      'projet association coopérative formation soutien réseau enquête question réponse année',
    ar: 'الثقة المؤسسات الشغل الشباب الصحة المدرسة الجهة القرية الجماعة السوق الماء الطريق ' +
      'المشروع الجمعية التعاونية التكوين الدعم الشبكة الاستطلاع السؤال الجواب السنة',
  };
  for (const lang of ['fr', 'ar']) {
    const words = vocab[lang].split(' ');
    for (let i = 0; i < PAGES; i++) {
      let seed = i * 7919 + 17;
      const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return words[seed % words.length]; };
      const sentence = (n) => Array.from({ length: n }, next).join(' ');
      const parts = [];
      for (let s = 0; s < 6; s++) {
        const extra = s === 3 ? ` ${marker(i, lang === 'fr' ? LATIN : ARABIC)}` : '';
        parts.push(`## ${sentence(3)} ${s + 1}\n\n${sentence(50)}.${extra} ${sentence(50)}.\n`);
      }
      const title = lang === 'fr' ? `Page ${i + 1}` : `صفحة ${i + 1}`;
      fs.writeFileSync(path.join(ed, 'pages', `p${String(i).padStart(3, '0')}.${lang}.md`),
        `---\ntitle: ${title}\nweight: ${i + 1}\n---\n${parts.join('\n')}`);
    }
  }
  build(large, path.join(large, 'public'));
}

before(async () => {
  build(repo, shipped);
  generateLarge();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records console errors, page errors and failed requests. */
async function open(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

const fileUrl = (dir, rel) => pathToFileURL(path.join(dir, rel)).href;

/** Waits for the answer to the query in the box: results, or a message other than loading. */
async function answer(page) {
  await page.locator('.site-search-panel').waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const form = document.querySelector('form.site-search');
    const status = form.querySelector('.site-search-status').textContent;
    return form.querySelector('.site-search-results li') || (status && status !== form.getAttribute('data-loading'));
  });
  return page.evaluate(() => {
    const form = document.querySelector('form.site-search');
    const root = new URL(form.getAttribute('data-root'), location.href).href;
    const results = [];
    for (const group of form.querySelectorAll('.site-search-group')) {
      for (const a of group.querySelectorAll('li a')) {
        const li = a.closest('li');
        const excerpt = li.querySelector('.site-search-excerpt');
        results.push({
          group: group.querySelector('.site-search-section').textContent,
          title: a.querySelector('.site-search-title').textContent,
          heading: a.querySelector('.site-search-heading')?.textContent || '',
          // From the site root, the fragment decoded.
          target: decodeURIComponent(a.href.slice(root.length)),
          excerpt: excerpt?.textContent || '',
          marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
          direction: excerpt ? getComputedStyle(excerpt).direction : '',
        });
      }
    }
    return { results, status: form.querySelector('.site-search-status').textContent };
  });
}

/** Types `query` as a reader would (or pastes it) and returns the answer. */
async function search(page, query, paste = false) {
  const input = page.locator('#site-search-q');
  await input.fill('');
  if (paste) await input.fill(query);
  else await input.pressSequentially(query, { delay: 5 });
  return answer(page);
}

// [query, page (and #anchor) it must return, 'first' or 'any' place among the results]. The
// issue's table: ابتكار, تضامني, مسؤولية without their article or و, المرأة, PAVECO, Jerada and
// femmes in the body text, ESS → its glossary entry.
const QUERIES = {
  fr: [
    ['PAVECO', 'fr/editions/2020-rencontres-regionales/oujda/index.html#testimonies', 'first'],
    ['Jerada', 'fr/editions/2020-rencontres-regionales/oujda/index.html#le-panel', 'any'],
    ['Jerada', 'fr/editions/2020-rencontres-regionales/conclusion/index.html', 'any'],
    ['femmes', 'fr/recherche-cas/index.html#quatre-exemples-du-rôle-de-l-innovation-sociale', 'any'],
    ['femmes', 'fr/editions/2020-rencontres-regionales/ouarzazate/index.html', 'any'],
    ['ESS', 'fr/glossaire/index.html#économie-sociale-et-solidaire-ess', 'first'],
    ['femme', 'fr/recherche-cas/index.html#quatre-exemples-du-rôle-de-l-innovation-sociale', 'any'],
    ['recommandation', 'fr/editions/2020-rencontres-regionales/recommandations/index.html', 'first'],
    ['ressources pédagogiques', 'fr/indicateurs/ressources-pedagogiques-suffisantes/index.html', 'first'],
    ['indicateurs', 'fr/indicateurs/index.html', 'first'],
    ['developpement social', 'fr/editions/2020-rencontres-regionales/index.html', 'any'],
    ['Glossaire', 'fr/glossaire/index.html', 'first'],
  ],
  ar: [
    ['الابتكار', 'ar/editions/2023-bism-vague-1/index.html', 'first'],
    ['ابتكار', 'ar/editions/2023-bism-vague-1/index.html', 'first'],
    ['والتضامني', 'ar/glossaire/index.html#الاقتصاد-الاجتماعي-والتضامني', 'any'],
    ['تضامني', 'ar/glossaire/index.html#الاقتصاد-الاجتماعي-والتضامني', 'any'],
    ['المسؤولية', 'ar/glossaire/index.html#المسؤولية-الاجتماعية-للمقاولات', 'first'],
    ['مسؤولية', 'ar/glossaire/index.html#المسؤولية-الاجتماعية-للمقاولات', 'first'],
    ['المرأة', 'ar/recherche-cas/index.html#أربعة-أمثلة-على-دور-الابتكار-الاجتماعي', 'any'],
    ['المرأة', 'ar/fondation-ocp-2021/index.html', 'any'],
    ['PAVECO', 'ar/editions/2020-rencontres-regionales/oujda/index.html#testimonies', 'first'],
    ['المسرد', 'ar/glossaire/index.html', 'first'],
  ],
};

const same = (target, expected) => target === expected || (!expected.includes('#') && target.split('#')[0] === expected);

for (const lang of ['fr', 'ar']) {
  test(`the ${lang} queries return their pages, from file://`, async () => {
    const { page, problems, close } = await open(fileUrl(shipped, `${lang}/index.html`));
    const failed = [];
    for (const [query, expected, place] of QUERIES[lang]) {
      const { results } = await search(page, query);
      const found = results.findIndex((r) => same(r.target, expected));
      console.log(`${lang} « ${query} »: ${results.length} results, ${expected} at ${found + 1}`);
      if (found < 0 || (place === 'first' && found !== 0)) {
        failed.push(`${query}: ${expected} ${place}; got ${JSON.stringify(results.map((r) => r.target))}`);
      }
    }
    assert.deepEqual(failed, []);
    // With or without the article: the same results.
    if (lang === 'ar') {
      const a = (await search(page, 'الابتكار')).results.map((r) => r.target);
      const b = (await search(page, 'ابتكار')).results.map((r) => r.target);
      assert.deepEqual(a, b);
      assert.ok(a.length >= 5, JSON.stringify(a));
    }
    assert.deepEqual(problems, []);
    await close();
  });
}

test('a result opens the heading it matched, with a marked snippet in the page’s direction', async () => {
  const { page, problems, close } = await open(fileUrl(shipped, 'fr/editions/2020-rencontres-regionales/index.html'));
  let { results } = await search(page, 'ESS');
  assert.equal(results[0].title, 'Glossaire');
  assert.equal(results[0].heading, 'Économie sociale et solidaire (ESS)');
  assert.deepEqual(results[0].marks.slice(0, 2), ['ESS', 'ESS'], JSON.stringify(results[0]));
  assert.match(results[0].excerpt, /L’ESS est un terrain/);
  assert.equal(results[0].direction, 'ltr');
  // Grouped: the site's pages, then the editions, each once.
  const groups = results.map((r) => r.group).filter((g, i, all) => all.indexOf(g) === i);
  assert.equal(groups[0], 'Pages du site');
  assert.ok(groups.includes('Rencontres régionales de l’innovation sociale 2020'), JSON.stringify(groups));
  assert.equal(results.map((r) => r.group).join(), results.map((r) => r.group)
    .sort((a, b) => groups.indexOf(a) - groups.indexOf(b)).join(), 'each group together');
  await Promise.all([page.waitForEvent('load'), page.locator('.site-search-results a').first().click()]);
  assert.equal(await page.evaluate(() => decodeURIComponent(location.hash)), '#économie-sociale-et-solidaire-ess');
  assert.equal(await page.evaluate(() => document.getElementById(decodeURIComponent(location.hash.slice(1)))?.tagName), 'H3');

  // Arabic: marked in the body text, right to left.
  await page.goto(fileUrl(shipped, 'ar/index.html'));
  ({ results } = await search(page, 'المرأة'));
  const r = results.find((x) => x.target.startsWith('ar/recherche-cas/'));
  assert.ok(r.marks.includes('المرأة'), JSON.stringify(r));
  assert.equal(r.direction, 'rtl');
  ({ results } = await search(page, 'والتضامني'));
  // The stem matches the word without و and its article too.
  assert.ok(results.some((x) => x.marks.includes('التضامن')), JSON.stringify(results.map((x) => x.marks)));
  assert.deepEqual(problems, []);
  await close();
});

test('no result says so, and a query in the other script is offered to the other language', async () => {
  const { page, problems, close } = await open(fileUrl(shipped, 'fr/editions/2020-rencontres-regionales/oujda/index.html'));
  let answered = await search(page, 'zzqqxw');
  assert.deepEqual(answered.results, []);
  assert.equal(answered.status, 'Aucune page ne correspond à cette recherche.');
  assert.equal(await page.locator('.site-search-other').isVisible(), false);
  answered = await search(page, 'المرأة');
  assert.deepEqual(answered.results, []);
  const other = page.locator('.site-search-other');
  assert.equal(await other.isVisible(), true);
  assert.match(await other.textContent(), /autre langue.*العربية/s);
  assert.equal(await other.locator('a').getAttribute('lang'), 'ar');
  await Promise.all([page.waitForEvent('load'), other.locator('a').click()]);
  assert.ok(page.url().includes('/ar/editions/2020-rencontres-regionales/oujda/index.html?q='), page.url());
  // The Arabic twin runs the search it was handed.
  assert.equal(await page.locator('#site-search-q').inputValue(), 'المرأة');
  answered = await answer(page);
  assert.ok(answered.results.some((r) => r.target.startsWith('ar/recherche-cas/index.html')), JSON.stringify(answered));
  // And the other way (a Latin-script word no Arabic page holds: Arabic pages print some
  // French names of organisations, so a common French word may be found there).
  answered = await search(page, 'zzqqxw');
  assert.deepEqual(answered.results, []);
  assert.equal(answered.status, 'لا توجد صفحة تطابق هذا البحث.');
  assert.match(await page.locator('.site-search-other').textContent(), /Français/);
  assert.deepEqual(problems, []);
  await close();
});

test('a query typed before the index has loaded is kept, « chargement… » shown, and run when it arrives', async () => {
  // The shipped site on loopback, its index scripts held until released.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked = 0;
  const server = http.createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(shipped, url);
    if (!file.startsWith(shipped) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    if (url.includes('/search-index.')) {
      asked += 1;
      await held;
    }
    const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.woff2': 'font/woff2' };
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { page, problems, close } = await open(`http://127.0.0.1:${server.address().port}/fr/index.html`);
  const input = page.locator('#site-search-q');
  await input.focus();
  await input.pressSequentially('PAVECO', { delay: 5 });
  const status = page.locator('.site-search-status');
  await page.waitForFunction(() => document.querySelector('.site-search-status').textContent === 'Chargement…');
  assert.equal(await status.isVisible(), true);
  assert.equal(await page.locator('.site-search-results li').count(), 0);
  assert.equal(asked, 1, 'the index is asked for once');
  release();
  const { results } = await answer(page);
  assert.equal(results[0]?.target, 'fr/editions/2020-rencontres-regionales/oujda/index.html#testimonies');
  assert.equal(await status.textContent(), '');
  assert.deepEqual(problems, []);
  await close();
  server.close();
});

test('a large site’s index is sharded and a query loads only the shards it needs', async () => {
  const publicDir = path.join(large, 'public');
  for (const [lang, letters] of [['fr', LATIN], ['ar', ARABIC]]) {
    const main = fs.readFileSync(path.join(publicDir, `${lang}/search-index.${lang}.js`), 'utf8');
    assert.match(main, /"termShards":/);
    const shards = fs.readdirSync(path.join(publicDir, `${lang}/search-index.${lang}`));
    const { page, problems, close } = await open(fileUrl(publicDir, `${lang}/index.html`));
    // Pasted: typed letter by letter, each prefix would bring its own results' texts.
    for (const i of [0, 137, PAGES - 1]) {
      const { results } = await search(page, marker(i, letters), true);
      const want = `${lang}/editions/2030-grand-test/p${String(i).padStart(3, '0')}/index.html#`;
      assert.equal(results.length, 1, JSON.stringify(results));
      assert.ok(results[0].target.startsWith(want), `${results[0].target} is not ${want}…`);
      assert.equal(results[0].marks[0], marker(i, letters));
    }
    const loaded = await page.evaluate((l) =>
      [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')).filter((s) => s.includes(`search-index.${l}/`)), lang);
    console.log(`${lang}: ${shards.length} shards, ${loaded.length} loaded for 3 queries`);
    // The terms of the markers' first two letters, and the texts of the three pages.
    assert.equal(loaded.filter((s) => /\/t\d+\.js$/.test(s)).length, 1, JSON.stringify(loaded));
    assert.ok(loaded.filter((s) => /\/d\d+\.js$/.test(s)).length <= 3, JSON.stringify(loaded));
    // A common word: results from many pages, all of them in the edition's group.
    const { results } = await search(page, lang === 'fr' ? 'coopératives' : 'التعاونية');
    assert.equal(results.length, 10);
    assert.ok(results.every((r) => r.group === (lang === 'fr' ? 'Grande vague de test' : 'موجة اختبار كبيرة')));
    assert.deepEqual(problems, []);
    await close();
  }
});

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

test('axe-core finds no violation with results, snippets and the other-language offer open', async () => {
  const found = [];
  for (const [rel, query] of [['fr/index.html', 'ESS'], ['ar/index.html', 'المرأة'], ['fr/index.html', 'المرأة']]) {
    const { page, problems, close } = await open(fileUrl(shipped, rel));
    await search(page, query);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], preload: false }));
    for (const v of result.violations) {
      found.push(`${rel} « ${query} »: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
    }
    found.push(...problems);
    await close();
  }
  assert.deepEqual(found, []);
});
