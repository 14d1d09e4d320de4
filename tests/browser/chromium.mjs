// Debian's Chromium (or $CHROMIUM) launched headless the same way by every browser test and
// by page-weight.mjs: no sandbox (CI runs as root), no GPU, no background requests.
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
