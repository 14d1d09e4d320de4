//! barometre: compiles the editions of a social-innovation barometer into a bilingual static
//! site that browses offline.
//!
//! The data flows through one module per stage:
//! [`load`] (read and parse files) → [`validate`] (whole-project checks) → [`model`] (the
//! resolved site) → [`render`] (Markdown and templates, in parallel) → [`write`] (temporary
//! folder, manifest, atomic swap). Every stage reports problems as located
//! [`error::Diagnostic`]s and goes on collecting them, so one run shows every error.

pub mod charts;
pub mod error;
pub mod freeze;
pub mod indicators;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod progress;
pub mod render;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod summary;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use error::{Diagnostic, Diagnostics, Error};
use model::Site;

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder (holds `site.yaml`).
    pub root: PathBuf,
    /// Missing translations are errors.
    pub strict: bool,
    /// Minify HTML output.
    pub minify: bool,
    /// Also write the offline packages (`downloads/*.zip`, see [`offline::package`]).
    pub package: bool,
    /// Draw a progress bar on stderr when the work lasts more than a moment.
    pub progress: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            strict: false,
            minify: true,
            package: false,
            progress: false,
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
    /// The translation coverage table, ready to print.
    pub coverage: String,
    pub coverage_rows: Vec<model::CoverageRow>,
    pub seconds: f64,
    /// The packages written (`build --package`).
    pub packages: Vec<offline::package::Written>,
}

/// Load, validate and model the project: everything but rendering.
pub fn load_site(opts: &Options) -> Result<(Site, Diagnostics), Error> {
    let project = load::load_project(&opts.root)?;
    let mut checks = validate::validate(&project);
    checks.sort();
    if checks.has_errors() {
        return Err(Error::Input(checks));
    }
    let strict = opts.strict || project.site.value.translation.strict;
    let (site, mut warnings) = model::build(project, strict)?;
    warnings.extend(checks);
    warnings.sort();
    Ok((site, warnings))
}

/// Builds the site into `out`, atomically: on any error `out` is left as it was.
pub fn build(opts: &Options, out: &Path) -> Result<Report, Error> {
    let started = Instant::now();
    write::check_output_dir(&opts.root, out)?;
    let progress = progress::Progress::start(opts.progress);
    progress.stage("loading");
    let (site, warnings) = load_site(opts)?;
    let (staging, sink) = write::Staging::new(out)?;
    progress.steps("rendering", planned_files(&site));
    let counting = progress.counting(&sink);
    let rendered = render::render(
        &site,
        &counting,
        &render::Options {
            minify: opts.minify,
            package: opts.package,
        },
    )?;
    write::copy_static(&site, &counting)?;
    let packages = if opts.package {
        progress.stage("packaging");
        offline::package::write(&site, sink.dir(), &sink, &rendered.package_roots)?
    } else {
        Vec::new()
    };
    progress.stage("writing");
    let manifest = staging.commit(sink)?;
    progress.finish();
    Ok(Report {
        pages: rendered.pages,
        files: manifest.files.len() + 1,
        warnings,
        coverage: render::coverage_table(&site),
        coverage_rows: site.coverage.clone(),
        seconds: started.elapsed().as_secs_f64(),
        packages,
    })
}

/// Runs every validation of `build`, rendering included, plus the offline link check of the
/// rendered pages, without touching the output folder (pages go to a temporary folder that is
/// removed afterwards).
pub fn check(opts: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let progress = progress::Progress::start(opts.progress);
    progress.stage("loading");
    let (site, mut warnings) = load_site(opts)?;
    let scratch = std::env::temp_dir().join(format!("barometre-check-{}", std::process::id()));
    let (staging, sink) = write::Staging::new(&scratch.join("site"))?;
    progress.steps("rendering", planned_files(&site));
    let counting = progress.counting(&sink);
    let rendered = render::render(
        &site,
        &counting,
        &render::Options {
            minify: true,
            package: false,
        },
    )?;
    write::copy_static(&site, &counting)?;
    progress.stage("checking links");
    let links = linkcheck::check_dir(sink.dir(), site.base_url.as_deref())
        .map_err(|e| Error::io(sink.dir(), e));
    progress.finish();
    drop(staging);
    let _ = std::fs::remove_dir_all(&scratch);
    let links = links?;
    let mut errors = Diagnostics::new();
    for p in &links.problems {
        errors.push(Diagnostic::file(
            format!("public/{}", p.page),
            format!("link `{}`: {}", p.target, p.why),
        ));
    }
    if errors.has_errors() {
        errors.extend(warnings.0);
        errors.sort();
        return Err(Error::Input(errors));
    }
    warnings.sort();
    Ok(Report {
        pages: rendered.pages,
        files: links.files,
        warnings,
        coverage: render::coverage_table(&site),
        coverage_rows: site.coverage.clone(),
        seconds: started.elapsed().as_secs_f64(),
        packages: Vec::new(),
    })
}

/// About how many files `render` and the static copy write for `site`, for a progress bar:
/// per language the home, each edition home and each page; the bilingual entry, 404 and
/// sitemap; the theme's static files.
fn planned_files(site: &Site) -> u64 {
    let per_language = 1 + site.editions.len() + site.pages.len();
    (site.languages.len() * per_language + 3 + site.theme.static_files.len()) as u64
}
