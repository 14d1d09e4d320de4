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

    /// The shipped project's model, for the content tests.
    pub fn load_site(
        opts: &crate::Options,
    ) -> Result<(Site, crate::error::Diagnostics), crate::error::Error> {
        crate::pipeline::load_site(opts, true)
            .map(|(site, warnings, _)| (site, warnings))
            .map_err(|f| f.error)
    }
}
