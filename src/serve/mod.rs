//! `barometre serve`: build in memory, serve on the loopback interface, watch the inputs,
//! rebuild what changed and reload the open pages.
//!
//! - The site is rendered into memory through the same stages and checks as `build` (the
//!   link check included) and served from there by a small HTTP server on `127.0.0.1` only
//!   ([`http`]). Nothing is written to disk.
//! - Every HTML response gets a `<script>` for live reload (`livereload.js`, a file of this
//!   folder compiled in): it follows the server's state over server-sent events, reloads on a
//!   new build and shows the errors of a failed one over the page. `build` never adds it.
//! - A failed rebuild keeps the last good site served; its errors go to the terminal and to
//!   the overlay.
//! - Changes are debounced (`notify-debouncer-full`, [`SETTLE`]): an editor's several writes
//!   of one save make one rebuild.
//! - Editing the body of an existing page (outside a frozen edition) re-renders that page in
//!   every language and reloads it at once; the whole site is then rendered again through the
//!   print, search and link-check collectors (what gathers many pages, and the same verdict as
//!   `build`). Anything else (site.yaml, themes, edition.yaml, data, front matter, added or
//!   removed files), or any change after a failed build, rebuilds everything.
//! - A panic while rebuilding is caught: it is reported, and the last good site stays served.

mod http;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::DebounceEventResult;

use crate::error::{Diagnostics, Error};
use crate::model::Site;
use crate::render;
use crate::write::MemorySink;

/// The inputs watched, relative to the project root.
pub(crate) const WATCHED_DIRS: &[&str] = &["content", "editions", "themes"];
pub(crate) const SITE_FILE: &str = "site.yaml";

/// Quiet time after the last file event before rebuilding: editors save in several writes,
/// and tools (git checkout, a formatter) touch many files at once. mdBook and Zola wait about
/// a second; a third of that keeps an edit's reload quick.
pub(crate) const SETTLE: Duration = Duration::from_millis(300);

/// What the open pages follow: the number of the last good build and the errors of the last
/// attempt, if it failed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct State {
    pub build: u64,
    pub errors: Option<String>,
}

/// The site being served and its state, shared by the builder and the HTTP server.
pub(crate) struct Served {
    files: RwLock<HashMap<String, Arc<[u8]>>>,
    state: tokio::sync::watch::Sender<State>,
}

impl Served {
    fn new() -> Served {
        Served {
            files: RwLock::new(HashMap::new()),
            state: tokio::sync::watch::Sender::new(State::default()),
        }
    }

    fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        self.files
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned()
    }

    fn has_site(&self) -> bool {
        self.state.borrow().build > 0
    }

    /// Swaps in a new set of files (all of them, or only the changed ones).
    fn publish(&self, files: Vec<(String, Vec<u8>)>, replace_all: bool) {
        {
            let mut map = self.files.write().unwrap_or_else(|e| e.into_inner());
            if replace_all {
                map.clear();
            }
            for (path, bytes) in files {
                map.insert(path, Arc::from(bytes));
            }
        }
        self.state.send_modify(|s| {
            s.build += 1;
            s.errors = None;
        });
    }

    /// Replaces files without reloading the open pages (the slow follow-up of an edit).
    fn update(&self, files: Vec<(String, Vec<u8>)>) {
        let mut map = self.files.write().unwrap_or_else(|e| e.into_inner());
        for (path, bytes) in files {
            map.insert(path, Arc::from(bytes));
        }
    }

    fn fail(&self, errors: String) {
        self.state.send_modify(|s| s.errors = Some(errors));
    }
}

/// Runs `barometre serve` until the process is stopped.
pub fn serve(opts: &crate::pipeline::Options, port: u16) -> Result<(), Error> {
    let root = std::path::absolute(&opts.root).map_err(|e| Error::io(&opts.root, e))?;
    let mut opts = opts.clone();
    opts.root = root.clone();
    let served = Arc::new(Served::new());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))
        .map_err(|e| Error::io(format!("127.0.0.1:{port}"), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io(format!("127.0.0.1:{port}"), e))?;

    // Watch before the first build, so no edit made during it is missed.
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut watcher = notify_debouncer_full::new_debouncer(SETTLE, None, tx)
        .map_err(|e| Error::io(&root, std::io::Error::other(e)))?;
    let mut watched = BTreeSet::new();
    watch_inputs(&mut watcher, &root, &mut watched)?;

    let mut builder = Builder {
        opts,
        served: Arc::clone(&served),
        site: None,
    };
    builder.guarded(&[]);
    println!(
        "serving {} on http://{addr}/ (Ctrl+C to stop)",
        root.display()
    );

    std::thread::spawn(move || {
        while let Some(changed) = next_changes(&rx, &builder.opts.root) {
            if changed
                .iter()
                .any(|p| WATCHED_DIRS.contains(&p.to_string_lossy().as_ref()))
            {
                let _ = watch_inputs(&mut watcher, &builder.opts.root, &mut watched);
            }
            builder.guarded(&changed);
        }
    });
    runtime
        .block_on(http::run(listener, served))
        .map_err(|e| Error::io(addr.to_string(), e))
}

type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watches `site.yaml` (through the root folder) and each input folder that exists.
fn watch_inputs(
    watcher: &mut Watcher,
    root: &Path,
    watched: &mut BTreeSet<PathBuf>,
) -> Result<(), Error> {
    let watch_err = |p: &Path, e: notify::Error| Error::io(p, std::io::Error::other(e));
    if watched.insert(root.to_path_buf()) {
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_err(root, e))?;
    }
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() && watched.insert(path.clone()) {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_err(&path, e))?;
        }
    }
    Ok(())
}

/// Waits for the next batch of changes to the inputs (debounced): paths relative to `root`.
/// `None` when the watcher is gone.
fn next_changes(
    rx: &std::sync::mpsc::Receiver<DebounceEventResult>,
    root: &Path,
) -> Option<Vec<PathBuf>> {
    loop {
        let mut changed = BTreeSet::new();
        match rx.recv().ok()? {
            Ok(events) => {
                for e in events {
                    collect(&e.event, root, &mut changed);
                }
            }
            // The watcher lost events (queue overflow…): rebuild everything.
            Err(_) => {
                changed.insert(PathBuf::from(SITE_FILE));
            }
        }
        if !changed.is_empty() {
            return Some(changed.into_iter().collect());
        }
    }
}

fn collect(event: &notify::Event, root: &Path, out: &mut BTreeSet<PathBuf>) {
    // Reading files (the build does) is no change; closing a file written to is.
    use notify::event::{AccessKind, AccessMode, EventKind};
    if matches!(event.kind, EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write))
    {
        return;
    }
    for path in &event.paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if is_input(rel) {
            out.insert(rel.to_path_buf());
        }
    }
}

/// Is `rel` a file or folder the build reads? Hidden files (editor swap files, our own
/// temporary files) and backups are not.
fn is_input(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let top = first == SITE_FILE || WATCHED_DIRS.contains(&first.as_ref());
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    top && !rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        && !name.ends_with('~')
        && !name.ends_with(".swp")
}

struct Builder {
    opts: crate::pipeline::Options,
    served: Arc<Served>,
    /// The model of the last good build and its prepared templates: `None` after a failure
    /// (the next change rebuilds everything).
    site: Option<(Site, render::Prepared)>,
}

impl Builder {
    /// Rebuilds for `changed`, catching a panic: it is reported, the last good site stays
    /// served, and the next change rebuilds everything.
    fn guarded(&mut self, changed: &[PathBuf]) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if changed.is_empty() {
                self.full(changed)
            } else {
                self.rebuild(changed)
            }
        }));
        if let Err(panic) = result {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            let text = format!(
                "error: internal error while rebuilding ({what}); this is a bug of barometre, please report it with the change that caused it"
            );
            self.report_failure(&text);
        }
    }

    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        match self.pages_to_update(changed) {
            Ok(Some(pages)) => self.some_pages(changed, &pages, started),
            Ok(None) => self.full(changed),
            Err(diags) => self.report_failure(&Error::Input(diags).to_string()),
        }
    }

    /// The pages to re-render when `changed` are only edits of page bodies outside frozen
    /// editions, with each changed source reloaded into the model; `None` when everything
    /// must be rebuilt.
    fn pages_to_update(&mut self, changed: &[PathBuf]) -> Result<Option<Vec<usize>>, Diagnostics> {
        let Some((site, _)) = self.site.as_mut() else {
            return Ok(None);
        };
        let root = self.opts.root.clone();
        let mut pages = BTreeSet::new();
        let mut updates = Vec::new();
        for rel in changed {
            let is_page = rel.extension().is_some_and(|e| e == "md")
                && (rel.starts_with("content")
                    || rel.parent().is_some_and(|p| p.ends_with("pages")));
            if !is_page || !root.join(rel).is_file() {
                return Ok(None);
            }
            let users: Vec<usize> = site
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.versions.iter().any(|v| v.source.file == *rel))
                .map(|(i, _)| i)
                .collect();
            let Some(old) = users
                .first()
                .and_then(|&i| {
                    site.pages[i]
                        .versions
                        .iter()
                        .find(|v| v.source.file == *rel)
                })
                .map(|v| Arc::clone(&v.source))
            else {
                return Ok(None); // a new page
            };
            // A frozen edition: the full rebuild checks its hash.
            if site.pages[users[0]]
                .edition
                .is_some_and(|ei| site.editions[ei].meta.content_hash.is_some())
            {
                return Ok(None);
            }
            let new = crate::load::load_page(&root, rel).map_err(Diagnostics::from)?;
            if new.head != old.head {
                return Ok(None); // the front matter changed: titles and order may have
            }
            pages.extend(users.iter().copied());
            updates.push((rel.clone(), users, Arc::new(new)));
        }
        for (rel, users, new) in updates {
            for i in users {
                for v in &mut site.pages[i].versions {
                    if v.source.file == rel {
                        v.source = Arc::clone(&new);
                    }
                }
            }
        }
        Ok(Some(pages.into_iter().collect()))
    }

    fn some_pages(&mut self, changed: &[PathBuf], pages: &[usize], started: Instant) {
        let Some((site, prepared)) = self.site.as_ref() else {
            return self.full(changed);
        };
        let sink = MemorySink::default();
        let emit = |o: render::Output<'_>| crate::write::Sink::put(&sink, o);
        match render::render(site, prepared, &emit, Some(pages)) {
            Ok(report) => {
                self.served.publish(sink.into_files(), false);
                println!(
                    "rebuilt {} page(s) in {} ms ({})",
                    report.pages,
                    started.elapsed().as_millis(),
                    names(changed)
                );
            }
            Err(e) => return self.report_failure(&e.to_string()),
        }
        // Then everything through the collectors (print pages, search indexes, link check),
        // after the edited page has reloaded.
        let sink = MemorySink::default();
        match crate::pipeline::render_site(site, prepared, &sink) {
            Ok(_) => self.served.update(sink.into_files()),
            Err(e) => self.report_failure(&e.to_string()),
        }
    }

    /// Rebuilds everything; keeps the last good site on failure.
    fn full(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let result = crate::pipeline::load_site(&self.opts, true)
            .map_err(|f| f.error)
            .and_then(|(site, warnings, _)| {
                let sink = MemorySink::default();
                let progress = crate::progress::Progress::start(self.opts.progress);
                progress.stage("rendering");
                let counting = progress.counting(&sink);
                // Kept for the edits of page bodies that follow.
                let prepared = render::prepare(&site, &render::Options::default())?;
                let rendered = crate::pipeline::render_site(&site, &prepared, &counting)?;
                progress.finish();
                Ok((site, prepared, warnings, rendered, sink))
            });
        match result {
            Ok((site, prepared, mut warnings, rendered, sink)) => {
                warnings.extend(rendered.report.warnings.0);
                for w in warnings.folded() {
                    eprintln!("{w}");
                }
                self.served.publish(sink.into_files(), true);
                self.site = Some((site, prepared));
                let what = if changed.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", names(changed))
                };
                println!(
                    "built {} pages in {} ms{what}",
                    rendered.report.pages,
                    started.elapsed().as_millis()
                );
            }
            Err(e) => self.report_failure(&e.to_string()),
        }
    }

    fn report_failure(&mut self, text: &str) {
        self.site = None;
        eprintln!("{text}");
        let kept = if self.served.has_site() {
            "still serving the last good build"
        } else {
            "nothing to serve until the errors are fixed"
        };
        eprintln!("serve: the change does not build; {kept}");
        self.served.fail(text.to_string());
    }
}

fn names(changed: &[PathBuf]) -> String {
    let mut s: Vec<String> = changed
        .iter()
        .take(3)
        .map(|p| crate::error::display_path(p))
        .collect();
    if changed.len() > 3 {
        s.push(format!("and {} more", changed.len() - 3));
    }
    s.join(", ")
}
