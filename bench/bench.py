#!/usr/bin/env python3
"""Side-by-side build benchmark: barometre against Hugo and the Markdown lower bound on the
same bilingual corpus (gen_corpus.py), run alternately, medians and ratios printed.

Usage: bench/bench.py N [--runs R] [--dir /dev/shm/barometre-bench] [--before BIN] [--no-hugo]
  N         pages per language (2*N pages in all)
  --before  an earlier barometre binary to time side by side (its --no-minify and minified
            builds, when it still minifies)
Needs: a release build (cargo build --release --examples), hugo on PATH for its rows.
Times are wall-clock seconds of the whole process; peak RSS from the kernel's accounting
(resource.getrusage of the finished child). Output folders are removed between runs, on the
same file system as the corpus (use tmpfs: /dev/shm).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, clean):
    if clean and os.path.exists(clean):
        shutil.rmtree(clean)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr.decode()[-2000:]))
    # ru_maxrss of children is the max over all children so far (KiB on Linux): a lower
    # bound per command only when it exceeds earlier ones; measured separately below.
    return wall, before


def peak_rss(cmd, clean):
    if clean and os.path.exists(clean):
        shutil.rmtree(clean)
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    return int(out.stderr.decode().strip().splitlines()[-1]) / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/dev/shm/barometre-bench")
    ap.add_argument("--before", help="an earlier barometre binary, timed side by side")
    ap.add_argument("--no-hugo", action="store_true")
    a = ap.parse_args()
    work = os.path.join(a.dir, str(a.n))
    if not os.path.exists(os.path.join(work, "barometre", "site.yaml")):
        os.makedirs(work, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), str(a.n), work],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, os.path.join(HERE, "to_barometre.py"), work], check=True)
    rel = os.path.join(ROOT, "target", "release")
    bar = os.path.join(rel, "barometre")
    low = os.path.join(rel, "examples", "lower_bound")
    cmds = {
        "lower bound (pulldown-cmark + write, rayon)":
            ([low, os.path.join(work, "corpus"), os.path.join(work, "out-low")], os.path.join(work, "out-low")),
        "barometre build":
            ([bar, "-C", os.path.join(work, "barometre"), "build", "--out",
              os.path.join(work, "out-bar")], os.path.join(work, "out-bar")),
    }
    if a.before:
        for label, extra in (("before: barometre build --no-minify", ["--no-minify"]),
                             ("before: barometre build (minified)", [])):
            cmds[label] = ([a.before, "-C", os.path.join(work, "barometre"), "build"] + extra
                           + ["--out", os.path.join(work, "out-before")],
                           os.path.join(work, "out-before"))
    if shutil.which("hugo") and not a.no_hugo:
        hugo = os.path.join(work, "hugo")
        cmds["hugo"] = (["hugo", "-s", hugo, "-d", os.path.join(work, "out-hugo"), "--quiet"],
                        os.path.join(work, "out-hugo"))
        cmds["hugo --minify"] = (["hugo", "-s", hugo, "-d", os.path.join(work, "out-hugo"),
                                  "--quiet", "--minify"], os.path.join(work, "out-hugo"))
    times = {k: [] for k in cmds}
    for name, (cmd, clean) in cmds.items():  # warm-up
        run(cmd, clean)
    for _ in range(a.runs):  # alternate: every command once per round
        for name, (cmd, clean) in cmds.items():
            times[name].append(run(cmd, clean)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    rss = {k: peak_rss(c, cl) for k, (c, cl) in cmds.items()}
    floor = med["lower bound (pulldown-cmark + write, rayon)"]
    print("pages: %d (%d per language), corpus in %s, %d alternating runs, median wall seconds"
          % (2 * a.n, a.n, a.dir, a.runs))
    print("%-46s %9s %9s %9s %11s" % ("command", "median", "min", "max", "peak RSS"))
    for k in cmds:
        print("%-46s %8.2fs %8.2fs %8.2fs %8.0f MiB  (%.1fx lower bound)"
              % (k, med[k], min(times[k]), max(times[k]), rss[k], med[k] / floor))
    if "hugo" in med:
        print("hugo / barometre: %.2fx" % (med["hugo"] / med["barometre build"]))


if __name__ == "__main__":
    main()
