#!/usr/bin/env python3
"""Lays out the plain corpus of gen_corpus.py (OUT/corpus/<lang>/<section>/<page>.md) as a
barometre project (OUT/barometre/): one edition per section, each page of the section a
narrative page of the edition, in French and Arabic, with the bench theme (bench/theme/),
whose templates do the same work as the Hugo and Zola templates of gen_corpus.py.

Usage: to_barometre.py OUT [--theme default] [--search] [--dest NAME]
  reads OUT/corpus, writes OUT/barometre (or OUT/NAME); `--theme default` uses the
  repository's default theme instead of the bench theme (for `serve` latency on realistic
  pages); `--search` turns on the bench theme's search index (`theme.yaml`: `search: true`),
  to time the index (BENCHMARKS.md).
"""
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def front(text):
    """(front matter dict of simple `key: value` lines, body)."""
    m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    meta = {}
    for line in m.group(1).splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip().strip('"')
    return meta, m.group(2)


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(out, theme="bench", search=False, dest="barometre"):
    src = os.path.join(out, "corpus")
    dst = os.path.join(out, dest)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    theme_dir = (os.path.join(HERE, "theme") if theme == "bench"
                 else os.path.join(os.path.dirname(HERE), "themes", theme))
    shutil.copytree(theme_dir, os.path.join(dst, "themes", theme))
    if search:
        with open(os.path.join(dst, "themes", theme, "theme.yaml"), "w", encoding="utf-8") as f:
            f.write("search: true\n")
    langs = ["fr", "ar"]
    home = {l: front(open(os.path.join(src, l, "_index.md"), encoding="utf-8").read()) for l in langs}
    with open(os.path.join(dst, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: {fr: %s, ar: %s}\n" % (q("Baromètre"), q("البارومتر")))
        f.write("description: {fr: %s, ar: %s}\n" % (q(home["fr"][1].strip()), q(home["ar"][1].strip())))
        f.write("default_language: fr\nlanguages:\n  - {code: fr, name: Français, dir: ltr}\n"
                "  - {code: ar, name: العربية, locale: ar-MA, dir: rtl}\ntheme: %s\n" % theme)
    link = re.compile(r"\]\((?:/ar)?/([a-z0-9-]+)/([a-z0-9-]+)/\)")
    for section in sorted(os.listdir(os.path.join(src, "fr"))):
        sdir = os.path.join(src, "fr", section)
        if not os.path.isdir(sdir):
            continue
        ed = os.path.join(dst, "editions", section)
        os.makedirs(os.path.join(ed, "pages"))
        titles, intros, weight = {}, {}, 0
        for l in langs:
            meta, body = front(open(os.path.join(src, l, section, "_index.md"), encoding="utf-8").read())
            titles[l], intros[l] = meta["title"], body.strip()
            weight = int(meta.get("weight", 0))
        with open(os.path.join(ed, "edition.yaml"), "w", encoding="utf-8") as f:
            f.write("id: %s\nkind: barometer-wave\nyear: %d\nversion: 1.0.0\nstatus: draft\n"
                    % (section, 2000 + weight))
            f.write("title: {fr: %s, ar: %s}\n" % (q(titles["fr"]), q(titles["ar"])))
            f.write("summary: {fr: %s, ar: %s}\n" % (q(intros["fr"]), q(intros["ar"])))
        for l in langs:
            for name in sorted(os.listdir(os.path.join(src, l, section))):
                if name == "_index.md":
                    continue
                meta, body = front(open(os.path.join(src, l, section, name), encoding="utf-8").read())
                body = link.sub(lambda m: "](@/editions/%s/%s)" % (m.group(1), m.group(2)), body)
                slug = name[:-3]
                with open(os.path.join(ed, "pages", "%s.%s.md" % (slug, l)), "w", encoding="utf-8") as f:
                    f.write("---\ntitle: %s\ndate: %s\nweight: %s\n---\n%s"
                            % (q(meta["title"]), meta["date"], meta["weight"], body))


if __name__ == "__main__":
    args = sys.argv[1:]
    theme = "bench"
    if "--theme" in args:
        i = args.index("--theme")
        theme = args[i + 1]
        del args[i:i + 2]
    dest = "barometre"
    if "--dest" in args:
        i = args.index("--dest")
        dest = args[i + 1]
        del args[i:i + 2]
    search = "--search" in args
    if search:
        args.remove("--search")
    main(args[0], theme, search, dest)
