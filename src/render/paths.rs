//! Where the files of the offline stage go, as render must know them to link them: what
//! templates receive as `offline` (the feed, the search index, the print pages, the packages).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Edition, Site};

/// `<lang>/<editions>/<id>/print.html`.
pub(crate) fn print_path(lang: &str, edition: &Edition) -> String {
    format!("{lang}/{}/print.html", edition.path)
}

/// `<lang>/atom.xml`.
pub(crate) fn feed_path(lang: &str) -> String {
    format!("{lang}/atom.xml")
}

/// Folder of the site that holds the packages. Packages never contain it.
pub(crate) const DOWNLOADS: &str = "downloads";

/// `<lang>/search-index.<lang>.js`: inside the language's folder, so a package of one
/// language carries its own index only.
pub(crate) fn search_index_path(lang: &str) -> String {
    format!("{lang}/search-index.{lang}.js")
}

/// The zip of a whole language: `downloads/site-<lang>.zip`.
pub(crate) fn site_package_path(lang: &str) -> String {
    format!("{DOWNLOADS}/site-{lang}.zip")
}

/// The zip of one edition in one language: `downloads/edition-<id>-<lang>.zip`. The prefixes
/// keep the two kinds apart whatever the edition ids.
pub(crate) fn edition_package_path(edition_id: &str, lang: &str) -> String {
    format!("{DOWNLOADS}/edition-{edition_id}-{lang}.zip")
}

/// What templates receive as `offline` (every path relative to the site root: write
/// `{{ root }}{{ offline.feed }}`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OfflineCtx {
    /// This language's Atom feed.
    pub feed: String,
    /// This language's search index script.
    pub search_index: String,
    /// The zip of the whole site in this language (`None` unless built with `--package`).
    pub site_download: Option<String>,
    /// Per edition id: `print` (the print page) and `download` (its zip, or `None`).
    pub editions: BTreeMap<String, EditionOffline>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionOffline {
    pub print: String,
    pub download: Option<String>,
}

/// The `offline` global of one language. `package`: the build writes the zips.
pub(crate) fn globals(site: &Site, lang: &str, package: bool) -> OfflineCtx {
    OfflineCtx {
        feed: feed_path(lang),
        search_index: search_index_path(lang),
        site_download: package.then(|| site_package_path(lang)),
        editions: site
            .editions
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    EditionOffline {
                        print: print_path(lang, e),
                        download: package.then(|| edition_package_path(&e.id, lang)),
                    },
                )
            })
            .collect(),
    }
}
