//! The commands `build` and `check`, as the stages run them: load → validate → model →
//! render → (offline collectors) → write. Both run the same validations, the offline link
//! check of every rendered page included, and reach the same verdict; `check` writes nothing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Diagnostics, Error};
use crate::model::{CoverageRow, Site};
use crate::offline::links::LinkCheck;
use crate::offline::package::{Packages, Written};
use crate::offline::print::Print;
use crate::offline::search::Search;
use crate::progress::Progress;
use crate::render::{self, Output, Prepared};
use crate::validate::freeze;
use crate::write::{self, NullSink, Sink, Staging};

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder (holds `site.yaml`).
    pub root: PathBuf,
    /// Missing translations are errors.
    pub strict: bool,
    /// Also write the offline packages (`downloads/*.zip`).
    pub package: bool,
    /// Draw a progress bar on stderr when the work lasts more than a moment.
    pub progress: bool,
    /// The folder of themes (`--themes`, like Hugo's `--themesDir`); `None`: `<root>/themes`.
    pub themes: Option<PathBuf>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            strict: false,
            package: false,
            progress: false,
            themes: None,
        }
    }
}

/// The languages and editions of the project, with each edition's freeze state, as far as
/// they loaded (for the summary `check` ends with).
#[derive(Debug, Clone, Default)]
pub struct Integrity {
    pub languages: Vec<String>,
    /// (id, version, state).
    pub editions: Vec<(String, String, String)>,
}

impl Integrity {
    fn of(brief: &crate::load::Brief) -> Integrity {
        Integrity {
            languages: brief.languages.clone(),
            editions: brief
                .editions
                .iter()
                .map(|e| match &e.meta {
                    None => (
                        e.id.clone(),
                        "?".into(),
                        "edition.yaml does not load (see the errors)".into(),
                    ),
                    Some(m) => {
                        let state = freeze::state(m, e.hash.as_deref());
                        (
                            e.id.clone(),
                            m.version.value.clone(),
                            freeze::describe(
                                &e.id,
                                &state,
                                m.status == crate::load::schema::Status::Draft,
                            ),
                        )
                    }
                })
                .collect(),
        }
    }
}

/// What a successful run did.
#[derive(Debug, Clone)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    /// Warnings (missing translations unless strict…).
    pub warnings: Diagnostics,
    pub coverage: Vec<CoverageRow>,
    pub seconds: f64,
    /// The packages written (`build --package`).
    pub packages: Vec<Written>,
    pub integrity: Integrity,
}

/// A run that failed, with what is known of the project.
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub integrity: Integrity,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            integrity: Integrity::default(),
        }
    }
}

/// Load, validate and model the project: everything but rendering. `in_memory`: read every
/// page body now (for `serve`).
pub(crate) fn load_site(
    opts: &Options,
    in_memory: bool,
) -> Result<(Site, Diagnostics, Integrity), Failure> {
    let lopts = crate::load::Options {
        in_memory,
        themes: opts.themes.clone(),
    };
    let project = crate::load::load_project(&opts.root, lopts).map_err(|f| Failure {
        error: Error::Input(f.diagnostics),
        integrity: Integrity::of(&f.brief),
    })?;
    let integrity = Integrity::of(&project.brief());
    let fail = |d: Diagnostics, integrity: &Integrity| Failure {
        error: Error::Input(d),
        integrity: integrity.clone(),
    };
    let strict = opts.strict || project.site.value.translation.strict;
    let mut checks = crate::validate::validate(&project, strict);
    checks.sort();
    if checks.has_errors() {
        return Err(fail(checks, &integrity));
    }
    let (site, mut warnings) = crate::model::build(project, strict).map_err(|mut d| {
        d.extend(checks.0.iter().cloned());
        d.sort();
        fail(d, &integrity)
    })?;
    warnings.extend(checks);
    warnings.sort();
    Ok((site, warnings, integrity))
}

/// What rendering the whole site through the offline collectors gave.
pub(crate) struct Rendered {
    pub report: render::Report,
    pub packages: Vec<Written>,
    /// HTML pages and files seen by the link check (print pages and indexes included).
    pub pages: usize,
    pub files: usize,
}

/// Renders `site` into `out` through the print, search and link-check collectors (and the
/// packages with `prepared`'s `package` option). Every error of the run is collected.
pub(crate) fn render_site(
    site: &Site,
    prepared: &Prepared,
    out: &dyn Sink,
) -> Result<Rendered, Error> {
    // render → print → search → (packages) → link check → out: the link check sees every
    // file, the print pages, indexes and zips included.
    let links = LinkCheck::new(out);
    let packages = Packages::new(&links);
    let package = prepared.options().package;
    let head: &dyn Sink = if package { &packages } else { &links };
    let search = Search::new(head, site.theme.config.search);
    let print = Print::new(&search);
    let emit = |o: Output<'_>| print.put(o);
    let report = render::render(site, prepared, &emit, None)?;
    let mut errors = Diagnostics::new();
    let mut keep = |r: Result<(), Error>| -> Result<(), Error> {
        match r {
            Err(Error::Input(d)) => {
                errors.extend(d);
                Ok(())
            }
            other => other,
        }
    };
    keep(print.finish(site, prepared, None))?;
    if site.theme.config.search {
        keep(search.finish(site))?;
    }
    let written = if package && !errors.has_errors() {
        packages.finish(site, prepared, &search)?
    } else {
        Vec::new()
    };
    let (links_report, problems) = links.finish(site.base_url.as_deref());
    errors.extend(problems);
    errors.extend(report.warnings.0.iter().cloned());
    let warnings = errors.into_result().map_err(Error::Input)?;
    let mut report = report;
    report.warnings = warnings;
    Ok(Rendered {
        report,
        packages: written,
        pages: links_report.pages,
        files: links_report.files,
    })
}

/// Builds the site into `out`, atomically: on any error `out` is left as it was.
pub fn build(opts: &Options, out: &Path) -> Result<Report, Failure> {
    let started = Instant::now();
    write::check_output_dir(&opts.root, out)?;
    let progress = Progress::start(opts.progress);
    progress.stage("loading");
    let (site, warnings, integrity) = load_site(opts, false)?;
    let with = |error: Error| Failure {
        error,
        integrity: integrity.clone(),
    };
    let (staging, sink) = Staging::new(out).map_err(with)?;
    let rendered = render_with(&site, opts.package, &progress, "rendering", &sink).map_err(with)?;
    progress.stage("writing");
    let manifest = staging.commit(sink).map_err(with)?;
    progress.finish();
    let files = manifest.files.len() + 1;
    Ok(report(started, &site, warnings, rendered, files, integrity))
}

/// Runs every validation of `build` — rendering and the offline link check of the rendered
/// pages included — without writing anything.
pub fn check(opts: &Options) -> Result<Report, Failure> {
    let started = Instant::now();
    let progress = Progress::start(opts.progress);
    progress.stage("loading");
    let (site, warnings, integrity) = load_site(opts, false)?;
    let sink = NullSink::default();
    let rendered =
        render_with(&site, false, &progress, "checking", &sink).map_err(|error| Failure {
            error,
            integrity: integrity.clone(),
        })?;
    progress.finish();
    let files = rendered.files;
    Ok(report(started, &site, warnings, rendered, files, integrity))
}

/// Prepares the templates and renders `site` into `sink`, counting files on `progress`.
fn render_with(
    site: &Site,
    package: bool,
    progress: &Progress,
    stage: &'static str,
    sink: &dyn Sink,
) -> Result<Rendered, Error> {
    progress.steps(stage, planned_files(site));
    let counting = progress.counting(sink);
    let prepared = render::prepare(site, &render::Options { package })?;
    render_site(site, &prepared, &counting)
}

fn report(
    started: Instant,
    site: &Site,
    mut warnings: Diagnostics,
    rendered: Rendered,
    files: usize,
    integrity: Integrity,
) -> Report {
    warnings.extend(rendered.report.warnings.0);
    warnings.sort();
    Report {
        pages: rendered.pages,
        files,
        warnings,
        coverage: site.coverage.clone(),
        seconds: started.elapsed().as_secs_f64(),
        packages: rendered.packages,
        integrity,
    }
}

/// About how many files render writes for `site`, for a progress bar: per language the home,
/// each edition home and each page; the bilingual entry, 404 and sitemap; the theme's static
/// files.
fn planned_files(site: &Site) -> u64 {
    let per_language = 1 + site.editions.len() + site.pages.len();
    (site.languages.len() * per_language + 3 + site.theme.static_files.len()) as u64
}
