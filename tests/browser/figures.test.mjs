// Browser tests of the figures of the shipped site (the repository's own editions, built by
// BAROMETRE_BIN into a temporary folder, read through file://), in Debian's Chromium:
// - at 320 and 390 px, in French and Arabic, no chart text is drawn smaller than 12 CSS px
//   (getBoundingClientRect of every SVG <text>, compared with its font size in units);
// - no sideways page scroll at 320 px;
// - every chart has its permalink (`#id`, the figure's own id) and its downloads (SVG, PNG,
//   CSV, JSON), and each download is a file of the built site;
// - the permalink id of a chart is the same on the survey page and on its indicator page;
// - an indicator page does not link « Toutes les éditions » to itself.
// Screenshots of the survey and indicator pages (390 and 1280 px, fr and ar) go to
// SHOTS_DIR when it is set.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = process.env.BAROMETRE_BIN || path.join(repo, 'target/debug/barometre');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barometre-figures-'));
const site = path.join(tmp, 'public');
const shots = process.env.SHOTS_DIR;

const survey = (lang) => `${lang}/editions/2020-rencontres-regionales/enquete/index.html`;

let browser;

before(async () => {
  const r = spawnSync(bin, ['-C', repo, 'build', '-q', '-o', site], { encoding: 'utf8' });
  assert.equal(r.status, 0, `barometre build failed:\n${r.stderr}`);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The pages of the built site that hold a chart figure, from the site root. */
function chartPages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html') && fs.readFileSync(p, 'utf8').includes('<svg') &&
        /class="(chart-figure|trend-figure)"/.test(fs.readFileSync(p, 'utf8'))) {
        out.push(path.relative(site, p));
      }
    }
  };
  walk(site);
  return out.sort();
}

/** The indicator pages of one language (`<lang>/<indicators>/<id>/index.html`). */
function indicatorPages(lang) {
  return chartPages().filter((p) => p.startsWith(`${lang}/`) && !p.includes('/editions/'));
}

async function open(rel, width) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.goto(pathToFileURL(path.join(site, rel)).href);
  return page;
}

/** Every SVG text of the charts: its rendered height per unit of font size, in CSS px. */
async function smallestText(page) {
  return page.evaluate(() => {
    let min = Infinity;
    let where = '';
    for (const svg of document.querySelectorAll('svg.chart')) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll('text')) {
        if (!t.textContent.trim()) continue;
        // The font size the text is drawn at, in CSS px: its size in units times the scale;
        // the box the browser drew must be at least as high (a line box is ~1.3 em).
        const units = parseFloat(getComputedStyle(t).fontSize);
        const box = t.getBoundingClientRect();
        const size = Math.min(units * scale, box.height);
        if (size < min) {
          min = size;
          where = `${t.textContent} (${units} units × ${scale.toFixed(3)}, box ${box.height.toFixed(1)} px)`;
        }
      }
    }
    return { min, where };
  });
}

for (const lang of ['fr', 'ar']) {
  for (const width of [320, 390]) {
    test(`${lang} at ${width} px: chart text at least 12 px, no sideways scroll`, async () => {
      for (const rel of [survey(lang), ...indicatorPages(lang)]) {
        const page = await open(rel, width);
        const { min, where } = await smallestText(page);
        assert.ok(Number.isFinite(min), `${rel}: no chart text`);
        assert.ok(min >= 12, `${rel} at ${width} px: ${min.toFixed(2)} px: ${where}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (width === 320) assert.ok(scroll <= 0, `${rel}: scrolls sideways by ${scroll} px`);
        await page.close();
      }
    });
  }
}

test('every chart has its permalink and downloads, and each download exists', async () => {
  const pages = chartPages();
  assert.ok(pages.length >= 4, pages.join(', '));
  for (const rel of pages) {
    const page = await open(rel, 390);
    const figures = await page.evaluate(() => [...document.querySelectorAll('.chart-figure, .trend-figure')]
      .filter((f) => f.querySelector('svg'))
      .map((f) => ({
        id: f.id,
        permalink: f.querySelector('a.figure-permalink')?.getAttribute('href'),
        permalinkText: f.querySelector('a.figure-permalink')?.textContent.trim(),
        downloads: [...f.querySelectorAll('.figure-downloads a')].map((a) => ({ text: a.textContent.trim(), href: a.href })),
        self: [...f.querySelectorAll('a')].some((a) => a.href.split('#')[0] === location.href.split('#')[0] && !a.getAttribute('href').startsWith('#')),
      })));
    assert.ok(figures.length > 0, rel);
    for (const f of figures) {
      assert.ok(f.id, `${rel}: a figure without id`);
      assert.equal(f.permalink, `#${f.id}`, `${rel}: permalink of ${f.id}`);
      assert.ok(f.permalinkText, `${rel}: permalink of ${f.id} has a word`);
      const kinds = f.downloads.map((d) => d.text);
      assert.ok(kinds.includes('SVG') && kinds.includes('PNG'), `${rel} ${f.id}: ${kinds}`);
      if (!f.id.endsWith('--trend')) {
        assert.deepEqual(kinds, ['SVG', 'PNG', 'CSV', 'JSON'], `${rel} ${f.id}`);
      }
      for (const d of f.downloads) {
        const file = fileURLToPath(d.href);
        assert.ok(fs.existsSync(file) && fs.statSync(file).size > 0, `${rel} ${f.id}: ${d.text} ${file}`);
      }
      assert.ok(!f.self, `${rel} ${f.id}: a figure links to its own page`);
    }
    await page.close();
  }
});

test('a chart has the same permalink on the survey page and on its indicator page', async () => {
  for (const lang of ['fr', 'ar']) {
    const page = await open(survey(lang), 390);
    const ids = await page.evaluate(() => [...document.querySelectorAll('.chart-figure')].map((f) => f.id));
    await page.close();
    assert.ok(ids.length >= 2, `${lang}: ${ids}`);
    const onIndicators = [];
    for (const rel of indicatorPages(lang)) {
      const p = await open(rel, 390);
      onIndicators.push(...await p.evaluate(() => [...document.querySelectorAll('.chart-figure')].map((f) => f.id)));
      await p.close();
    }
    for (const id of ids) assert.ok(onIndicators.includes(id), `${lang}: ${id} not on an indicator page (${onIndicators})`);
  }
});

test('screenshots of the figures (SHOTS_DIR)', { skip: !shots }, async () => {
  fs.mkdirSync(shots, { recursive: true });
  for (const lang of ['fr', 'ar']) {
    const ind = indicatorPages(lang)[0];
    for (const [name, rel] of [['survey', survey(lang)], ['indicator', ind]]) {
      for (const width of [390, 1280]) {
        const page = await open(rel, width);
        const fig = page.locator('.chart-figure').first();
        await fig.screenshot({ path: path.join(shots, `${name}-${lang}-${width}-figure.png`) });
        await page.screenshot({ path: path.join(shots, `${name}-${lang}-${width}.png`), fullPage: true });
        await page.close();
      }
    }
  }
});
