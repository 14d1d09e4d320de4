//! The benchmark harness (bench/) runs: a tiny corpus is generated, laid out as a barometre
//! project with the bench theme, and builds with every page in both languages. No timing here:
//! speed is measured by bench/bench.py, never asserted in tests.

mod common;

use std::process::Command;

#[test]
fn bench_corpus_converts_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let bench = std::path::Path::new(common::REPO).join("bench");
    let run = |script: &str, args: &[&str]| {
        let o = Command::new("python3")
            .arg(bench.join(script))
            .args(args)
            .output()
            .expect("python3");
        assert!(
            o.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let out_s = out.to_str().unwrap();
    run("gen_corpus.py", &["40", out_s]);
    run("to_barometre.py", &[out_s]);
    let project = out.join("barometre");
    let o = common::barometre(&project, &["build", "--out", "site"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    // 40 pages per language in 20 sections (editions), each page in both languages.
    let tree = common::read_tree(&project.join("site"));
    let pages = |lang: &str| {
        tree.keys()
            .filter(|p| p.starts_with(lang) && p.components().count() == 5)
            .count()
    };
    assert_eq!(pages("fr"), 40);
    assert_eq!(pages("ar"), 40);
    // Corpus links between pages became relative links that resolve.
    let report = barometre::check_links(&project.join("site"), None).unwrap();
    assert!(
        report.problems.is_empty(),
        "{:?}",
        &report.problems[..report.problems.len().min(5)]
    );
}
