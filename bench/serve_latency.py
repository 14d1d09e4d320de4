#!/usr/bin/env python3
"""Change-to-reload latency of `barometre serve`.

    python3 bench/serve_latency.py BINARY PROJECT [EDITS]

Starts `BINARY -C PROJECT serve --port 0`, follows its live-reload stream (the server-sent
events the pages listen to) and edits the body of one page EDITS times (default 15), each
time a different page, alternating French and Arabic. The latency of one edit is the time
from the end of the file write to the arrival of the `state` event that makes open pages
reload; the page is then fetched to check it holds the new text. Prints each figure, the
median, and for contrast one front-matter edit (a full rebuild). Use a project on /dev/shm
(bench/to_barometre.py --theme default) and a release binary. Pure standard library.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import queue


def start(binary, project):
    proc = subprocess.Popen(
        [binary, "-C", project, "--quiet", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    for line in proc.stdout:
        sys.stderr.write("serve: " + line)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    else:
        sys.exit("serve did not start")
    threading.Thread(target=lambda: [sys.stderr.write("serve: " + l) for l in proc.stdout], daemon=True).start()
    return proc, port


def follow(port, events):
    """Puts (arrival time, state) of each server-sent event into `events`."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/__barometre/events")
    resp = conn.getresponse()
    for raw in resp:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line.startswith("data: "):
            events.put((time.perf_counter(), json.loads(line[6:])))


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path)
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    return body


def wait_build(events, after):
    while True:
        t, state = events.get(timeout=120)
        if state.get("errors"):
            sys.exit("build error: " + state["errors"])
        if state["build"] > after:
            return t, state["build"]


def main(binary, project, edits):
    proc, port = start(binary, project)
    try:
        events = queue.Queue()
        threading.Thread(target=follow, args=(port, events), daemon=True).start()
        _, build = wait_build(events, 0)
        editions = sorted(os.listdir(os.path.join(project, "editions")))
        latencies = []
        originals = {}
        for i in range(edits):
            lang = ["fr", "ar"][i % 2]
            edition = editions[(i * 7) % len(editions)]
            pages = sorted(p for p in os.listdir(os.path.join(project, "editions", edition, "pages")) if p.endswith(f".{lang}.md"))
            name = pages[(i * 13) % len(pages)]
            path = os.path.join(project, "editions", edition, "pages", name)
            marker = f"Marqueur de mesure {i} {time.time_ns()}."
            with open(path, encoding="utf-8") as f:
                text = f.read()
            originals.setdefault(path, text)
            # Edits come 2 s apart, as an author saving and looking: after each reload, serve
            # re-renders the edition's print page (all its pages: ~1 s for 500) before it
            # takes the next change, so back-to-back saves within that second wait for it.
            time.sleep(2.0)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\n" + marker + "\n")
            t0 = time.perf_counter()
            t1, build = wait_build(events, build)
            slug = name.split(".")[0]
            page = get(port, f"/{lang}/editions/{edition}/{slug}/index.html")
            assert marker in page, f"{name}: new text not served"
            latencies.append((t1 - t0) * 1000)
            print(f"edit {i + 1:2}: {lang} {edition}/{slug}: {latencies[-1]:6.1f} ms")
        print(f"body edits: median {statistics.median(latencies):.1f} ms, "
              f"min {min(latencies):.1f}, max {max(latencies):.1f} (n={len(latencies)})")
        # Contrast: a front-matter edit rebuilds everything.
        edition = editions[0]
        pages = sorted(os.listdir(os.path.join(project, "editions", edition, "pages")))
        path = os.path.join(project, "editions", edition, "pages", pages[0])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        originals.setdefault(path, text)
        time.sleep(0.3)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("weight:", "description: mesure\nweight:", 1))
        t0 = time.perf_counter()
        t1, build = wait_build(events, build)
        print(f"front-matter edit (full rebuild): {(t1 - t0) * 1000:.0f} ms")
    finally:
        proc.kill()
        proc.wait()
        # Leave the project as it was.
        for path, text in locals().get("originals", {}).items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 15)
