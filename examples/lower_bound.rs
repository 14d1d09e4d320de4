//! The floor of a Markdown site build, for the benchmark (bench/bench.py): read every page of
//! the plain corpus (`OUT/corpus/<lang>/<section>/<page>.md`), convert it with pulldown-cmark
//! (tables on), and write one file per page, in parallel with rayon. No templates, no links,
//! no minification: what any generator of the same pages must at least do.
//!
//! `cargo run --release --example lower_bound -- CORPUS_DIR OUT_DIR`

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (src, dst) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let _ = std::fs::remove_dir_all(&dst);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let text = std::fs::read_to_string(f).expect("read");
        let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
        let mut html = String::with_capacity(body.len() * 2);
        let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES);
        pulldown_cmark::html::push_html(&mut html, parser);
        let out = dst
            .join(f.strip_prefix(&src).expect("prefix"))
            .with_extension("")
            .join("index.html");
        std::fs::create_dir_all(out.parent().expect("parent")).expect("mkdir");
        std::fs::write(out, html).expect("write");
    });
    println!("{} pages", files.len());
}
