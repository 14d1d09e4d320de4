#!/bin/sh
# Subsets the Noto Naskh Arabic fonts of the default theme to what Arabic text in Morocco
# uses, so an Arabic page downloads ~60 KB of fonts instead of ~128 KB.
#
# Sources: the full fonts beside this script (Noto Naskh Arabic 2.004, as packaged by Debian's
# fonts-noto-core 20201225; SIL Open Font License 1.1, see ../static/fonts/NOTICE-noto.txt,
# which ships with the subsets). This folder is not copied into the built site: only static/ is.
#
# Needs fontTools with brotli: `pip install fonttools brotli`. Run from anywhere:
#   sh themes/default/fonts-src/subset.sh
# then keep the `unicode-range` of the two @font-face rules in static/css/site.css equal to
# the list it prints (the characters the subsets really hold).
#
# What is kept (UNICODES below):
#   U+0600-0671   Arabic letters, hamza forms, harakat (tashkil), superscript alef, alef wasla,
#                 Arabic-Indic digits ٠-٩, ٪ ٫ ٬, the Arabic comma ، semicolon ؛ question mark ؟,
#                 tatweel, number signs
#   U+067E U+0686 U+0698 U+06A4 U+06A8 U+06A9 U+06AD U+06AF U+06BE U+06C1 U+06CC U+06D4
#                 letters of Maghrebi and borrowed names: پ چ ژ ڤ ڨ ک ڭ گ ھ ہ ی ۔
#   U+06F0-06F9   Eastern Arabic-Indic digits
#   U+0030-0039   Latin digits (ar-MA writes 2020, not ٢٠٢٠)
#   U+0020 U+00A0 U+0021 U+0025 U+0028-0029 U+002C-002E U+003A U+00AB U+00BB
#                 space, no-break space, ! % ( ) , - . : « » (the font has no % nor ( ): they
#                 fall back to the next font of the stack)
#   U+200B-200F U+2010-2011 U+2E41 U+25CC
#                 zero-width (non-)joiners and direction marks, hyphens, reversed comma,
#                 dotted circle (shown by shapers for a lone haraka)
# Every OpenType layout feature is kept (--layout-features='*'): joining forms, ligatures,
# mark positioning. Hinting is kept for old Windows laptops (--no-hinting would save ~9 KB
# more per face).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/fonts"
UNICODES="U+0600-0671,U+067E,U+0686,U+0698,U+06A4,U+06A8,U+06A9,U+06AD,U+06AF,U+06BE,U+06C1,U+06CC,U+06D4,U+06F0-06F9,U+0030-0039,U+0020,U+00A0,U+0021,U+0025,U+0028-0029,U+002C-002E,U+003A,U+00AB,U+00BB,U+200B-200F,U+2010-2011,U+2E41,U+25CC"
for face in Regular Bold; do
  pyftsubset "$here/NotoNaskhArabic-$face.woff2" \
    --unicodes="$UNICODES" \
    --layout-features='*' \
    --flavor=woff2 \
    --output-file="$out/NotoNaskhArabic-$face.woff2"
done
# The unicode-range for site.css: what the subset's cmap really holds.
python3 - "$out/NotoNaskhArabic-Regular.woff2" <<'EOF'
import sys
from fontTools.ttLib import TTFont
cps = sorted(c for c in TTFont(sys.argv[1]).getBestCmap() if c >= 0x20)
ranges, start, prev = [], None, None
for c in cps:
    if start is None:
        start = prev = c
    elif c == prev + 1:
        prev = c
    else:
        ranges.append((start, prev))
        start = prev = c
ranges.append((start, prev))
print("unicode-range: " + ", ".join(
    f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges) + ";")
EOF
ls -l "$out"/NotoNaskhArabic-*.woff2
