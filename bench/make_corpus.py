#!/usr/bin/env python3
"""Turns the shared benchmark corpus into a barometre project.

    python3 bench/make_corpus.py CORPUS OUT

CORPUS is the `corpus/` folder written by `shared/bench/gen_corpus.py N DIR` (plain
Markdown: corpus/<lang>/<section>/<page>.md, fr and ar, 20 sections). OUT becomes a project:
site.yaml (fr default, ar rtl), the repository's default theme, one edition per section
(20 editions x N/20 pages, in French and Arabic) and one site page. Site-absolute links
(`/chapitre-09/page-00017/`, `/ar/chapitre-09/...`) become barometre's `@/editions/<id>/<slug>`;
front matter keeps `title` and `weight` (the corpus' `date` goes to `extra`).
Pure standard library; the same corpus gives the same project.
"""

import json
import os
import re
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ["fr", "ar"]
LINK = re.compile(r"\]\((?:/ar)?/(chapitre-\d+)/(page-\d+)/\)")


def q(s):
    """A YAML double-quoted string (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def split(text):
    """(front matter dict of simple `key: value` lines, body)."""
    assert text.startswith("---\n"), "front matter expected"
    end = text.index("\n---\n", 4)
    front = {}
    for line in text[4:end].splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith('"'):
            value = json.loads(value)
        front[key.strip()] = value
    return front, text[end + 5:]


def edition_id(section):
    number = int(section.split("-")[1])
    return f"{2000 + number}-{section}"


def main(corpus, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(
            "title: {fr: Corpus de mesure, ar: مدونة القياس}\n"
            "default_language: fr\n"
            "languages:\n"
            "  - {code: fr, name: Français, dir: ltr}\n"
            "  - {code: ar, name: العربية, locale: ar-MA, dir: rtl}\n"
            "theme: default\n"
        )
    shutil.copytree(os.path.join(REPO, "themes", "default"), os.path.join(out, "themes", "default"))

    def link(m):
        return f"](@/editions/{edition_id(m.group(1))}/{m.group(2)})"

    os.makedirs(os.path.join(out, "content"))
    sections = sorted(d for d in os.listdir(os.path.join(corpus, "fr")) if d.startswith("chapitre-"))
    pages = 0
    for lang in LANGS:
        with open(os.path.join(corpus, lang, "_index.md"), encoding="utf-8") as f:
            front, body = split(f.read())
        with open(os.path.join(out, "content", f"a-propos.{lang}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {q(front['title'])}\n---\n{LINK.sub(link, body)}")
    for section in sections:
        eid = edition_id(section)
        edir = os.path.join(out, "editions", eid)
        os.makedirs(os.path.join(edir, "pages"))
        titles, summaries = {}, {}
        for lang in LANGS:
            sdir = os.path.join(corpus, lang, section)
            with open(os.path.join(sdir, "_index.md"), encoding="utf-8") as f:
                front, body = split(f.read())
            titles[lang] = front["title"]
            summaries[lang] = body.strip().split(". ")[0].rstrip(".") + "."
            for name in sorted(os.listdir(sdir)):
                if name == "_index.md" or not name.endswith(".md"):
                    continue
                with open(os.path.join(sdir, name), encoding="utf-8") as f:
                    front, body = split(f.read())
                slug = name[:-3]
                with open(os.path.join(edir, "pages", f"{slug}.{lang}.md"), "w", encoding="utf-8") as f:
                    f.write(
                        f"---\ntitle: {q(front['title'])}\nweight: {int(front.get('weight', 0))}\n"
                        f"extra: {{date: {q(front.get('date', ''))}}}\n---\n{LINK.sub(link, body)}"
                    )
                pages += 1
        with open(os.path.join(edir, "edition.yaml"), "w", encoding="utf-8") as f:
            f.write(
                f"id: {eid}\nkind: barometer-wave\nyear: {eid[:4]}\nversion: 0.1.0\nstatus: draft\n"
                "title:\n" + "".join(f"  {l}: {q(titles[l])}\n" for l in LANGS)
                + "summary:\n" + "".join(f"  {l}: {q(summaries[l])}\n" for l in LANGS)
            )
    print(f"{out}: {len(sections)} editions, {pages} page files ({pages // len(LANGS)} per language)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
