#!/bin/sh
# Makes the fonts the PNG rasteriser (resvg) draws chart text with: TrueType subsets in
# ../raster-fonts/, read by `load` with the rest of the theme (resvg cannot read woff2, and
# no system font is used, so every machine draws the same PNG).
#
# Sources: Noto Sans 2.x and Noto Naskh Arabic 2.004 TTF from Debian's fonts-noto-core
# 20201225 (`apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb x`),
# SIL Open Font License 1.1, see ../static/fonts/NOTICE-noto.txt.
# Needs fontTools: `pip install fonttools`. Run: sh fonts-src/raster-subset.sh DIR
# where DIR holds NotoSans-{Regular,Bold}.ttf and NotoNaskhArabic-{Regular,Bold}.ttf.
#
# Kept: Latin (Basic, Latin-1, Extended-A: French and Moroccan names), general punctuation
# (narrow no-break space of French numbers, dashes, quotes, direction marks and isolates),
# and for Arabic the same characters as the web subset (subset.sh) plus ٪.
# No hinting: a PNG drawn by resvg does not use it.
set -eu
src=$1
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../raster-fonts"
LATIN="U+0020-007E,U+00A0-017F,U+2000-206F,U+20AC,U+2212,U+2030"
ARABIC="U+0600-0671,U+067E,U+0686,U+0698,U+06A4,U+06A8,U+06A9,U+06AD,U+06AF,U+06BE,U+06C1,U+06CC,U+06D4,U+06F0-06F9,U+0030-0039,U+0020,U+00A0,U+0021,U+0025,U+0028-0029,U+002C-002E,U+003A,U+00AB,U+00BB,U+200B-200F,U+2010-2011,U+2066-2069,U+2E41,U+25CC"
for face in Regular Bold; do
  pyftsubset "$src/NotoSans-$face.ttf" --unicodes="$LATIN" --layout-features='*' \
    --no-hinting --output-file="$out/NotoSans-$face.ttf"
  pyftsubset "$src/NotoNaskhArabic-$face.ttf" --unicodes="$ARABIC" --layout-features='*' \
    --no-hinting --output-file="$out/NotoNaskhArabic-$face.ttf"
done
ls -l "$out"
