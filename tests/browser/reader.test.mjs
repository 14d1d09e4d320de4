// Browser tests of the reader's metadata (issue 12) on the shipped site, built into a
// temporary folder and read through file:// in Debian's Chromium: the contents of the
// recommendations and meeting pages lead to every section a reader sees, in both languages;
// the citation of an edition home reads at 390 px and its reference files exist; every
// page's footer names the licence. (Formats, Open Graph and the sitemap: tests/reader.rs.)

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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barometre-reader-'));
const site = path.join(tmp, 'site');
const edition = 'editions/2020-rencontres-regionales';

let browser;

before(async () => {
  const r = spawnSync(bin, ['-C', repo, '-q', 'build', '--out', site], { encoding: 'utf8' });
  assert.equal(r.status, 0, `the shipped site does not build:\n${r.stderr}`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const url = (rel) => pathToFileURL(path.join(site, rel)).href;

test('the contents list every section heading of the recommendations and meeting pages, and lead to it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const lang of ['fr', 'ar']) {
    for (const slug of ['recommandations', 'oujda']) {
      const rel = `${lang}/${edition}/${slug}/index.html`;
      await page.goto(url(rel));
      const { ids, targets } = await page.evaluate(() => ({
        ids: [...document.querySelectorAll('main h2[id]')]
          .filter((h) => !h.closest('nav')).map((h) => h.id),
        targets: [...document.querySelectorAll('nav.toc a')]
          .map((a) => decodeURIComponent(a.hash.slice(1))),
      }));
      assert.ok(ids.length >= 8, `${rel}: ${ids}`);
      for (const id of ids) assert.ok(targets.includes(id), `${rel}: #${id} missing from the contents`);
      // The last entry is a section the template adds: following it scrolls to it.
      const last = targets[targets.length - 1];
      await page.click(`nav.toc a[href="#${last}"]`);
      const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, last);
      assert.ok(top >= -1 && top < 200, `${rel}: #${last} at ${top} px after its contents link`);
    }
  }
  await page.close();
});

test('an edition home at 390 px shows its citation in words and links reference files that exist', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const lang of ['fr', 'ar']) {
    const rel = `${lang}/${edition}/index.html`;
    await page.goto(url(rel));
    const cite = await page.evaluate(() => {
      const p = document.querySelector('p.citation');
      const r = p.getBoundingClientRect();
      return { text: p.textContent, right: r.right, left: r.left, width: document.documentElement.clientWidth };
    });
    // The version the edition's own file states (the citation names the current version).
    const yaml = fs.readFileSync(path.join(repo, edition, 'edition.yaml'), 'utf8');
    const version = yaml.match(/^version:\s*(\S+)/m)[1];
    assert.ok(cite.text.includes(version), `${rel}: the citation does not name version ${version}`);
    assert.ok(cite.left >= 0 && cite.right <= cite.width + 0.5, `${rel}: the citation overflows`);
    const hrefs = await page.$$eval('.cite-formats a', (as) => as.map((a) => a.href));
    assert.equal(hrefs.length, 3, rel);
    for (const h of hrefs) assert.ok(fs.existsSync(fileURLToPath(h)), `${rel}: ${h} is missing`);
    const licence = await page.$eval('footer a[rel~="license"]', (a) => a.textContent);
    assert.match(licence, /CC BY 4\.0/, rel);
  }
  await page.close();
});
