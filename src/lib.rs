//! barometre: compiles the editions of a social-innovation barometer into a bilingual static
//! site that browses offline.
//!
//! The data flows through one module per stage, each importing only the stages before it:
//!
//! ```text
//! error, syntax            located diagnostics; ids and dates (used by every stage)
//! load      (stage 1)      reads every input byte once into a Project
//! validate  (stage 2)      whole-project checks, freeze of published editions, theme contract
//! model     (stage 3)      the site as published: pages per language, indicators, coverage
//! render    (stage 4)      Markdown, charts and templates, in parallel, into an emitter
//! write     (stage 5)      sinks: the output folder (atomic swap, manifest), memory, nothing
//! offline                  collectors on the way to write: print, search, links, packages
//! progress, pipeline       the `build` and `check` commands
//! summary, author, serve   what the command line shows and the author's tools
//! ```
//!
//! The library's surface is this page: [`build`], [`check`], their [`Options`] and
//! [`Report`], the located [`Diagnostic`]s, and the author's tools ([`publish`],
//! [`new_edition`], [`verify_dir`], `serve`). Everything else is crate-private.

#![warn(unreachable_pub)]

mod author;
mod error;
mod load;
mod model;
mod offline;
mod pipeline;
mod progress;
mod render;
#[cfg(feature = "serve")]
mod serve;
mod summary;
mod syntax;
mod validate;
mod write;

pub use author::publish::{Published, publish};
pub use author::scaffold::{NewEdition, Scaffolded, new_edition};
pub use error::{Diagnostic, Diagnostics, Error, Position, Severity, display_path};
pub use load::schema::EditionKind;
pub use offline::links::{Problem as LinkProblem, Report as LinkReport, check_dir as check_links};
pub use offline::verify::{Report as VerifyReport, VerifyError, run as verify_command, verify_dir};
pub use pipeline::{Failure, Integrity, Options, Report, build, check};
#[cfg(feature = "serve")]
pub use serve::serve;
pub use summary::{Summary, coverage_table};
pub use write::{MANIFEST, Manifest, ManifestEntry};

/// Entry points for the fuzz targets, the benchmarks and the integration tests: not a stable
/// interface.
#[doc(hidden)]
pub mod internals {
    pub use crate::author::publish::{content_hash, set_key};
    pub use crate::author::scaffold::without_values;
    pub use crate::load::frontmatter;
    pub use crate::load::hash::{UNHASHED_KEYS, hex, without_keys};
    pub use crate::load::schema::EditionKind;
    pub use crate::load::schema::Typography;
    pub use crate::load::schema::{EditionFile, FrontMatter, SiteFile};
    pub use crate::load::yaml;
    pub use crate::model::indicators::aggregate::{Answer, Breakdown, Spec, aggregate};
    pub use crate::model::indicators::stats;
    pub use crate::model::{Date, Edition, Site};
    pub use crate::offline::links::page_links;
    pub use crate::offline::search::stem as search_words;
    pub use crate::render::markdown::{self, EmbedError, Hooks};
    pub use crate::render::policy;
    pub use crate::render::typography::{self, Prose};
    pub use crate::validate::digits;
    pub use crate::validate::freeze::key_position;

    pub use crate::load::schema::IndicatorKind;
    pub use crate::model::indicators::{Cell, Flag, Indicator, Row, Statistics};

    /// What the HTML scanner of the link check and the search index reports, with byte
    /// ranges into the scanned bytes (the fuzz target checks them).
    #[derive(Debug, Clone, PartialEq)]
    pub enum Scanned {
        /// A start tag: its name, attributes (name as written, value decoded) and whether it
        /// is written `<…/>`.
        Start {
            name: String,
            attrs: Vec<(Vec<u8>, String)>,
            self_closing: bool,
        },
        End(String),
        Text(std::ops::Range<usize>),
    }

    /// Scans `html` with `syntax::scan`, as the link check reads a page.
    pub fn scan_html(html: &[u8]) -> Vec<Scanned> {
        use crate::syntax::scan::{Event, scan};
        let mut out = Vec::new();
        scan(html, |e| {
            out.push(match e {
                Event::Start(t) => Scanned::Start {
                    name: t.name.to_string(),
                    attrs: t
                        .attrs()
                        .map(|(k, v)| (k.to_vec(), v.into_owned()))
                        .collect(),
                    self_closing: t.self_closing(),
                },
                Event::End(name) => Scanned::End(name.to_string()),
                // The slice is one of `html`: its place in it.
                Event::Text(s) => {
                    let start = s.as_ptr() as usize - html.as_ptr() as usize;
                    Scanned::Text(start..start + s.len())
                }
            });
        });
        out
    }

    /// A project loaded and prepared for rendering once: page bodies and chart blocks go
    /// through the hooks `render` gives a narrative page (links, figures, raw-HTML policy).
    pub struct Rendering {
        site: Site,
        prepared: crate::render::Prepared,
    }

    impl Rendering {
        pub fn new(opts: &crate::Options) -> Result<Rendering, crate::error::Error> {
            let (site, _) = load_site(opts)?;
            let ropts = crate::render::Options { package: false };
            let prepared = crate::render::prepare(&site, &ropts)?;
            Ok(Rendering { site, prepared })
        }

        pub fn site(&self) -> &Site {
            &self.site
        }

        /// The same project with `markdown.unsafe_html` set to `on`.
        pub fn with_unsafe_html(mut self, on: bool) -> Rendering {
            self.site.unsafe_html = on;
            self
        }

        /// A page body of language `lang` (index into `site.languages`) and `edition`,
        /// written two folders below the root. `None`: no such language.
        pub fn page(
            &self,
            lang: usize,
            edition: Option<usize>,
            body: &str,
        ) -> Option<markdown::Output> {
            let root = "../../";
            crate::render::with_page_hooks(
                &self.site,
                &self.prepared,
                lang,
                edition,
                root,
                |h, prose| {
                    let input = markdown::Input {
                        file: std::path::Path::new("page.md"),
                        body,
                        first_line: 1,
                        root,
                        id_prefix: "",
                        prose,
                    };
                    markdown::to_html(&input, h)
                },
            )
        }

        /// The body of a ```` ```chart ```` block (its first line is line 2 of the file).
        pub fn chart(
            &self,
            lang: usize,
            edition: Option<usize>,
            body: &str,
        ) -> Option<Result<String, EmbedError>> {
            crate::render::with_page_hooks(
                &self.site,
                &self.prepared,
                lang,
                edition,
                "../../",
                |h, _| h.embed("chart", body, 1),
            )?
        }
    }

    /// One edition of a project whose `indicators.yaml` (and optionally `dimensions.yaml`) is
    /// replaced by a fixed definition, and whose responses table is replaced per input: the
    /// real model aggregation (delimiter, encoding, answers, weights, statistics) of any CSV.
    pub struct Responses {
        edition: crate::load::EditionSource,
        settings: crate::model::indicators::define::Settings,
        table: usize,
    }

    impl Responses {
        /// `table`: the file name the definition's `responses.file` names.
        pub fn new(
            opts: &crate::Options,
            edition: usize,
            dimensions: Option<&str>,
            indicators: &str,
            table: &str,
        ) -> Result<Responses, crate::Diagnostic> {
            let lopts = crate::load::Options {
                in_memory: false,
                themes: opts.themes.clone(),
            };
            let fail = |m: String| crate::Diagnostic::file("site.yaml", m);
            let mut project = crate::load::load_project(&opts.root, lopts)
                .map_err(|f| fail(format!("{} problems loading", f.diagnostics.0.len())))?;
            if edition >= project.editions.len() {
                return Err(fail(format!("no edition {edition}")));
            }
            let site = &project.site.value;
            let settings = crate::model::indicators::define::Settings {
                tolerance: site.indicators.share_tolerance,
                statistics: crate::model::indicators::Statistics {
                    confidence: site.statistics.confidence.value,
                    min_n: site.statistics.min_n.value,
                    caution_n: site.statistics.caution_n.value,
                },
            };
            let mut ed = project.editions.swap_remove(edition);
            let data = ed.dir.join("data");
            if let Some(d) = dimensions {
                let file = data.join("dimensions.yaml");
                ed.dimensions = Some(crate::load::parse_yaml(&file, d.as_bytes().to_vec())?);
            }
            let file = data.join("indicators.yaml");
            ed.indicators = Some(crate::load::parse_yaml(
                &file,
                indicators.as_bytes().to_vec(),
            )?);
            ed.tables.retain(|t| t.name != table);
            ed.tables.push(crate::load::TableSource {
                name: table.to_string(),
                file: data.join(table),
                bytes: Vec::new(),
            });
            let table = ed.tables.len() - 1;
            Ok(Responses {
                edition: ed,
                settings,
                table,
            })
        }

        /// The same, publishing with `statistics` instead of the project's.
        pub fn with_statistics(mut self, statistics: Statistics) -> Responses {
            self.settings.statistics = statistics;
            self
        }

        /// The indicators of the definition aggregated from `csv`, and the problems found.
        pub fn aggregate(&mut self, csv: &[u8]) -> (Vec<Indicator>, Vec<crate::Diagnostic>) {
            self.edition.tables[self.table].bytes = csv.to_vec();
            let (_, indicators, diags) =
                crate::model::indicators::build(&self.edition, 0, &self.settings);
            (indicators, diags)
        }
    }

    /// The shipped project's model, for the content tests.
    pub fn load_site(
        opts: &crate::Options,
    ) -> Result<(Site, crate::error::Diagnostics), crate::error::Error> {
        crate::pipeline::load_site(opts, true)
            .map(|(site, warnings, _)| (site, warnings))
            .map_err(|f| f.error)
    }
}
