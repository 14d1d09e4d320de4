//! The author's tools on fixture projects: `serve` (live rebuild, errors keep the last good
//! site), `publish` (frozen editions), `new edition --from`, the summary of `check`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value as Json;

const EDITION: &str = "editions/2021-vague-test/edition.yaml";
const INTRO: &str = "editions/2021-vague-test/pages/intro.fr.md";

// ---------------------------------------------------------------------------------------
// serve

/// A `barometre serve` child process, killed when dropped (also when a test fails).
struct Server {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_barometre"))
            .arg("-C")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start barometre serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("serve did not start:\n{}", stderr.lock().unwrap()));
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("port in the serving line");
            }
        };
        Server {
            child,
            port,
            stderr,
        }
    }

    /// `(status code, headers, body)` of a GET over a plain HTTP/1.1 connection.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").expect("HTTP response");
        let code = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status code");
        (code, head.to_string(), body.to_string())
    }

    fn status(&self) -> Json {
        let (code, _, body) = self.get("/__barometre/status");
        assert_eq!(code, 200);
        serde_json::from_str(&body).expect("status JSON")
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Polls `f` until it returns `Some`, for at most 30 s.
    fn wait_for<T>(&self, what: &str, mut f: impl FnMut(&Server) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(v) = f(self) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; serve stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn serve_rebuilds_on_edit_and_keeps_the_last_good_site_on_error() {
    let site = fixture("basic");
    let root = site.path();
    let server = Server::start(root);
    let page = "/fr/editions/2019-rencontres-test/synthese/index.html";

    let (code, head, body) = server.get(page);
    assert_eq!(code, 200, "{head}");
    assert!(head.contains("text/html"), "{head}");
    assert!(body.contains("<html lang=\"fr\" dir=\"ltr\">"), "{body}");
    assert!(
        body.contains("<script src=\"/__barometre/livereload.js\"></script></body>"),
        "live-reload script not injected: {body}"
    );
    let (code, _, js) = server.get("/__barometre/livereload.js");
    assert_eq!(code, 200);
    assert!(js.contains("EventSource"), "{js}");
    let first = server.status();
    assert_eq!(first["errors"], Json::Null, "{first}");
    let build = first["build"].as_u64().expect("build number");

    // Edit the body of a page: the new text is served, and the build number moves on.
    let src = "editions/2019-rencontres-test/pages/synthese.fr.md";
    write(
        root,
        src,
        &format!("{}\nUn paragraphe ajouté en direct.\n", read(root, src)),
    );
    server.wait_for("the edited page", |s| {
        s.get(page)
            .2
            .contains("Un paragraphe ajouté en direct.")
            .then_some(())
    });
    assert!(server.status()["build"].as_u64().unwrap() > build);
    // Its language twin has its own text: untouched.
    let (_, _, ar) = server.get("/ar/editions/2019-rencontres-test/synthese/index.html");
    assert!(!ar.contains("Un paragraphe ajouté"), "{ar}");

    // Break edition.yaml: the error is reported, the last good site stays.
    let good = read(root, EDITION);
    write(root, EDITION, &good.replace("year: 2021", "year: [2021"));
    let errors = server.wait_for("the error state", |s| {
        s.status()["errors"].as_str().map(str::to_string)
    });
    assert!(
        errors.contains("editions/2021-vague-test/edition.yaml:3:"),
        "overlay text lacks the location: {errors}"
    );
    assert!(errors.contains("3 | year: [2021"), "{errors}");
    let stderr = server.wait_for("the error on stderr", |s| {
        let e = s.stderr();
        e.contains("edition.yaml:3:").then_some(e)
    });
    assert!(
        stderr.contains("still serving the last good build"),
        "{stderr}"
    );
    let (code, _, body) = server.get(page);
    assert_eq!(code, 200);
    assert!(
        body.contains("Un paragraphe ajouté en direct."),
        "last good page not served: {body}"
    );
    // Pages still carry the script that shows the overlay.
    assert!(body.contains("/__barometre/livereload.js"));

    // Fix it: the errors clear and a new build is served.
    write(root, EDITION, &good);
    server.wait_for("the recovery", |s| {
        let st = s.status();
        st["errors"].is_null().then_some(())
    });
    let (code, _, _) = server.get("/fr/index.html");
    assert_eq!(code, 200);
}

#[test]
fn serve_follows_front_matter_changes_and_keeps_published_editions_frozen() {
    let site = fixture("basic");
    let root = site.path();
    assert!(
        barometre(root, &["publish", "2021-vague-test"])
            .status
            .success()
    );
    let server = Server::start(root);

    // A new title shows in the edition's contents: the front matter rebuilds everything.
    let src = "editions/2019-rencontres-test/pages/synthese.fr.md";
    write(
        root,
        src,
        &read(root, src).replacen("title: ", "title: Nouveau titre — ", 1),
    );
    server.wait_for("the new title in the edition home", |s| {
        s.get("/fr/editions/2019-rencontres-test/index.html")
            .2
            .contains("Nouveau titre — ")
            .then_some(())
    });

    // Editing a page of a frozen edition is refused like `build` refuses it.
    let before = server
        .get("/fr/editions/2021-vague-test/intro/index.html")
        .2;
    let intro = read(root, INTRO);
    write(
        root,
        INTRO,
        &format!(
            "{intro}
Modification interdite.
"
        ),
    );
    let errors = server.wait_for("the freeze error", |s| {
        s.status()["errors"].as_str().map(str::to_string)
    });
    assert!(
        errors.contains("was published at version 1.1.0 and its folder has changed"),
        "{errors}"
    );
    assert!(
        errors.contains("barometre publish 2021-vague-test"),
        "{errors}"
    );
    let (_, _, now) = server.get("/fr/editions/2021-vague-test/intro/index.html");
    assert_eq!(now, before, "the refused change was served");

    // Undoing the change clears the error.
    write(root, INTRO, &intro);
    server.wait_for("the recovery", |s| {
        s.status()["errors"].is_null().then_some(())
    });
}

#[test]
fn build_output_never_holds_the_live_reload_script() {
    let site = fixture("basic");
    let out = barometre(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (path, bytes) in read_tree(&site.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__barometre"),
            "{path:?} references the serve-only script"
        );
    }
}

// ---------------------------------------------------------------------------------------
// publish

#[test]
fn published_edition_is_frozen_until_version_bump_and_changelog() {
    let site = fixture("basic");
    let root = site.path();
    let before = read(root, EDITION);
    let out = barometre(root, &["publish", "2021-vague-test"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = read(root, EDITION);
    assert!(
        after.starts_with(&before),
        "publish must only add its lines here:\n{after}"
    );
    assert!(after.contains("\ncontent_hash_version: 1.1.0\n"), "{after}");
    let hash_line = after
        .lines()
        .find(|l| l.starts_with("content_hash: sha256:"))
        .expect("content_hash line");
    assert_eq!(hash_line.len(), "content_hash: sha256:".len() + 64);
    // The recorded hash is the documented one.
    assert_eq!(
        hash_line.trim_start_matches("content_hash: "),
        barometre::internals::content_hash(root, Path::new("editions/2021-vague-test"), None)
            .unwrap()
    );
    // Publishing again changes nothing.
    let again = barometre(root, &["publish", "2021-vague-test"]);
    assert!(again.status.success());
    assert_eq!(read(root, EDITION), after);

    let ok = barometre(root, &["build"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(!stderr(&ok).contains("not frozen"), "{}", stderr(&ok));
    let public = read_tree(&root.join("public"));

    // A change without a version bump fails build and check, saying what to do.
    write(
        root,
        INTRO,
        &format!("{}\nUne phrase de plus.\n", read(root, INTRO)),
    );
    for cmd in ["build", "check"] {
        let out = barometre(root, &[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        assert!(
            err.contains("error: editions/2021-vague-test/edition.yaml:4:10: edition `2021-vague-test` was published at version 1.1.0 and its folder has changed since"),
            "{cmd}: {err}"
        );
        assert!(err.contains("bump `version` (e.g. to 1.1.1)"), "{err}");
        assert!(err.contains("add a `changelog` entry"), "{err}");
        assert!(
            err.contains("run `barometre publish 2021-vague-test` again"),
            "{err}"
        );
    }
    assert_eq!(
        read_tree(&root.join("public")),
        public,
        "failed build wrote"
    );
    let refused = barometre(root, &["publish", "2021-vague-test"]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "re-publishing must not hide a change"
    );

    // A bump without a changelog entry is not enough.
    let bumped = read(root, EDITION).replace("version: 1.1.0\nstatus", "version: 1.2.0\nstatus");
    write(root, EDITION, &bumped);
    let out = barometre(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no changelog entry for its version 1.2.0"),
        "{}",
        stderr(&out)
    );

    // Bump and changelog: it builds, with a warning that the hash is stale.
    let with_entry = bumped.replace(
        "    changes: {fr: Correction., ar: تصحيح.}\n",
        "    changes: {fr: Correction., ar: تصحيح.}\n  - version: 1.2.0\n    date: 2021-06-01\n    changes: {fr: Une phrase de plus., ar: جملة إضافية.}\n",
    );
    assert_ne!(with_entry, bumped);
    write(root, EDITION, &with_entry);
    let out = barometre(root, &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: editions/2021-vague-test/edition.yaml:")
            && err.contains(
                "`content_hash` is the one of version 1.1.0; the edition is now at 1.2.0"
            )
            && err.contains("run `barometre publish 2021-vague-test` to freeze version 1.2.0"),
        "{err}"
    );
    assert!(
        read(
            &root.join("public"),
            "fr/editions/2021-vague-test/intro/index.html"
        )
        .contains("Une phrase de plus.")
    );

    // Publishing the new version freezes it again.
    let out = barometre(root, &["publish", "2021-vague-test"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = read(root, EDITION);
    assert!(text.contains("\ncontent_hash_version: 1.2.0\n"), "{text}");
    assert_eq!(text.matches("content_hash:").count(), 1, "{text}");
    let out = barometre(root, &["build"]);
    assert!(out.status.success());
    assert!(!stderr(&out).contains("content_hash"), "{}", stderr(&out));
}

#[test]
fn publish_refuses_what_cannot_be_frozen() {
    let site = fixture("basic");
    let root = site.path();
    // A draft without a changelog entry for its version.
    let out = barometre(root, &["publish", "2019-rencontres-test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no changelog entry for version 0.1.0"),
        "{}",
        stderr(&out)
    );
    assert!(read(root, "editions/2019-rencontres-test/edition.yaml").contains("status: draft"));
    // A near-miss id gets a hint.
    let out = barometre(root, &["publish", "2021-vague-tset"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `2021-vague-test`?"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// new edition

fn yaml(root: &Path, rel: &str) -> Json {
    barometre::internals::yaml::parse(Path::new(rel), &read(root, rel)).expect("YAML")
}

#[test]
fn new_edition_from_a_previous_wave_asks_the_same_questions_without_answers() {
    let site = fixture("authoring");
    let root = site.path();
    let out = barometre(
        root,
        &["new", "edition", "2024-vague-2", "--from", "2023-vague-1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let old = yaml(root, "editions/2023-vague-1/data/indicators.yaml");
    let new = yaml(root, "editions/2024-vague-2/data/indicators.yaml");
    let ids = |v: &Json| -> Vec<String> {
        v.as_array()
            .expect("a list")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_string())
            .collect()
    };
    assert_eq!(ids(&new), ids(&old));
    assert_eq!(ids(&new).len(), 2);
    for (o, n) in old.as_array().unwrap().iter().zip(new.as_array().unwrap()) {
        assert_eq!(n["values"], serde_json::json!({}), "{n}");
        assert!(n["n"].is_null(), "{n}");
        assert!(
            !o["values"].as_object().unwrap().is_empty(),
            "fixture has values"
        );
        for key in ["question", "kind", "unit", "options", "source", "chart"] {
            assert_eq!(n[key], o[key], "{key} not copied");
        }
    }
    // Comments of the content team are kept.
    assert!(
        read(root, "editions/2024-vague-2/data/indicators.yaml")
            .starts_with("# Indicators of the wave")
    );
    assert_eq!(
        yaml(root, "editions/2024-vague-2/data/dimensions.yaml"),
        yaml(root, "editions/2023-vague-1/data/dimensions.yaml")
    );

    let meta = yaml(root, "editions/2024-vague-2/edition.yaml");
    assert_eq!(meta["id"], "2024-vague-2");
    assert_eq!(meta["status"], "draft");
    assert_eq!(meta["version"], "0.1.0");
    assert_eq!(meta["kind"], "barometer-wave");
    assert_eq!(meta["year"], 2024);
    for lang in ["fr", "ar"] {
        assert!(
            meta["title"][lang].as_str().unwrap().contains("TODO"),
            "{meta}"
        );
        assert!(meta["summary"][lang].as_str().unwrap().contains("TODO"));
        assert!(
            root.join(format!(
                "editions/2024-vague-2/pages/introduction.{lang}.md"
            ))
            .is_file()
        );
    }

    // The scaffold builds as it is, and check lists it as a draft.
    let out = barometre(root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2024-vague-2  0.1.0  draft"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn new_edition_refuses_existing_folders_invalid_ids_and_unknown_sources() {
    let site = fixture("authoring");
    let root = site.path();
    let before = read_tree(&root.join("editions"));
    for (args, message) in [
        (
            vec!["new", "edition", "2023-vague-1"],
            "edition `2023-vague-1` already exists",
        ),
        (
            vec!["new", "edition", "../evil"],
            "`../evil` is not a valid edition id",
        ),
        (
            vec!["new", "edition", "Vague.2"],
            "`Vague.2` is not a valid edition id",
        ),
        (
            vec!["new", "edition", "2024-x", "--from", "2023-vague-2"],
            "did you mean `2023-vague-1`?",
        ),
    ] {
        let out = barometre(root, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        read_tree(&root.join("editions")),
        before,
        "something was written"
    );
    assert!(!root.parent().unwrap().join("evil").exists());
}

// ---------------------------------------------------------------------------------------
// check summary, quiet

#[test]
fn check_ends_with_a_summary_table() {
    let site = fixture("basic");
    let root = site.path();
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let table = &err[err.find("summary\n").expect("summary table")..];
    for row in [
        "  pages      22\n",
        "  editions   2 (1 published, 1 draft)\n",
        "  languages  2 (fr, ar)\n",
        "  errors     0\n",
        "  warnings   3\n",
        "  coverage   fr 100 % (21/21), ar 95 % (20/21)\n",
        "edition integrity\n",
        "  2019-rencontres-test  0.1.0  draft\n",
        "  2021-vague-test       1.1.0  published, not frozen: run `barometre publish 2021-vague-test`\n",
    ] {
        assert!(table.contains(row), "missing {row:?} in:\n{table}");
    }

    // With errors, the table counts them and flags the changed edition.
    assert!(
        barometre(root, &["publish", "2021-vague-test"])
            .status
            .success()
    );
    write(root, INTRO, "---\ntitle: Introduction\n---\nChangé.\n");
    let out = barometre(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("  errors     1\n"), "{err}");
    assert!(
        err.contains("  pages      not rendered (errors)\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "2021-vague-test       1.1.0  published, CHANGED without a new version (error)"
        ),
        "{err}"
    );

    // --quiet: no tables.
    let out = barometre(root, &["--quiet", "check"]);
    assert!(!stderr(&out).contains("summary\n"), "{}", stderr(&out));
    assert!(stderr(&out).contains("error: "), "errors are still shown");
}
