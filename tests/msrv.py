#!/usr/bin/env python3
"""The stated minimum Rust version (`rust-version` in Cargo.toml) is true of the dependencies:
none of the crates the tool builds with (default features, this platform) asks for a newer
Rust. (That the code itself uses nothing newer is clippy's `incompatible_msrv` lint, which
reads the same field; tests/all.sh runs clippy with -D warnings.)

Exit 1, naming the crates, when a dependency needs more than the stated version."""
import json
import platform
import subprocess
import sys


def version(v):
    return tuple(int(x) for x in (v or "0").split(".")[:3]) + (0,) * (3 - len((v or "0").split(".")[:3]))


def main():
    target = {"x86_64": "x86_64-unknown-linux-gnu", "aarch64": "aarch64-unknown-linux-gnu"}.get(
        platform.machine(), "x86_64-unknown-linux-gnu")
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", target],
        check=True, capture_output=True, text=True).stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    root = meta["resolve"]["root"]
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    # Crates reached through normal and build dependencies (what `cargo build` compiles).
    seen, todo = set(), [root]
    while todo:
        node = nodes[todo.pop()]
        for dep in node["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds & {None, "build"} and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    stated = packages[root].get("rust_version")
    if not stated:
        sys.exit("Cargo.toml states no rust-version")
    too_new = sorted((packages[p]["rust_version"], packages[p]["name"]) for p in seen
                     if version(packages[p].get("rust_version")) > version(stated))
    newest = max((version(packages[p].get("rust_version")), packages[p]["name"]) for p in seen)
    if too_new:
        for v, name in too_new:
            print(f"{name} needs Rust {v}, more than the stated rust-version {stated}")
        sys.exit(1)
    print(f"MSRV {stated}: {len(seen)} crates, the newest need is {newest[1]} "
          f"({'.'.join(map(str, newest[0][:2]))})")


if __name__ == "__main__":
    main()
