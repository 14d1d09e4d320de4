#!/usr/bin/env python3
"""Sizes of the offline search index of a built site: per language the main script and its
shards, raw and gzipped (level 9), and a bound on what a page loads before its first result:
the main script, the largest term shard (a query word of two characters or more needs one),
and the ten largest doc shards (the texts of ten results, each in its own shard at worst).

Usage: bench/search_sizes.py PUBLIC_DIR [LANG ...]   (default languages: fr ar)
"""
import gzip
import os
import sys


def gz(path):
    with open(path, "rb") as f:
        data = f.read()
    return len(data), len(gzip.compress(data, 9))


def kib(n):
    return "%.1f KiB" % (n / 1024)


def main(public, langs):
    for lang in langs:
        main_js = os.path.join(public, lang, "search-index.%s.js" % lang)
        raw, packed = gz(main_js)
        folder = main_js[:-3]
        terms, docs = [], []
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                size = gz(os.path.join(folder, name))
                (terms if name.startswith("t") else docs).append(size)
        total_raw = raw + sum(r for r, _ in terms + docs)
        total_gz = packed + sum(g for _, g in terms + docs)
        print("%s: main %s (%s gzipped); %d term shards, %d doc shards; total %s (%s gzipped)"
              % (lang, kib(raw), kib(packed), len(terms), len(docs), kib(total_raw), kib(total_gz)))
        if terms:
            tg = sorted(g for _, g in terms)
            dg = sorted(g for _, g in docs)
            print("  term shards gzipped: median %s, largest %s; doc shards gzipped: median %s, largest %s"
                  % (kib(tg[len(tg) // 2]), kib(tg[-1]), kib(dg[len(dg) // 2]), kib(dg[-1])))
            bound = packed + tg[-1] + sum(dg[-10:])
            print("  before the first result, at most: %s gzipped (main + largest term shard + 10 largest doc shards)"
                  % kib(bound))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["fr", "ar"])
