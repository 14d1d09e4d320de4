// Page weight of built pages: the bytes of every resource a page loads (HTML, CSS, JS, fonts,
// images) when Chromium opens it from file://, fonts by name. Not a test: a measure for the
// theme's author. Usage: node page-weight.mjs <built site folder> <page.html>...
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const [dir, ...pages] = process.argv.slice(2);
if (!dir || pages.length === 0) {
  console.error('usage: node page-weight.mjs <site folder> <page.html>...');
  process.exit(2);
}
const browser = await launch();
console.log('| page | HTML | CSS | JS | fonts | other | total | font files |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const rel of pages) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const files = new Set();
  page.on('requestfinished', (r) => { if (r.url().startsWith('file:')) files.add(r.url()); });
  await page.goto(pathToFileURL(path.join(dir, rel)).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const sum = { html: 0, css: 0, js: 0, fonts: 0, other: 0 };
  const fonts = [];
  for (const u of files) {
    const size = fs.statSync(fileURLToPath(u)).size;
    const ext = path.extname(new URL(u).pathname);
    const k = ext === '.html' ? 'html' : ext === '.css' ? 'css' : ext === '.js' ? 'js'
      : ext === '.woff2' ? 'fonts' : 'other';
    sum[k] += size;
    if (k === 'fonts') fonts.push(`${path.basename(new URL(u).pathname)} ${size}`);
  }
  const total = Object.values(sum).reduce((a, b) => a + b, 0);
  console.log(`| ${rel} | ${sum.html} | ${sum.css} | ${sum.js} | ${sum.fonts} | ${sum.other} | ${total} | ${fonts.join(', ') || '—'} |`);
  await context.close();
}
await browser.close();
