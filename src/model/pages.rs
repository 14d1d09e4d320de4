//! Pages grouped by slug, one version per site language: a language without its own file
//! gets another language's (the default language first), shown with a notice.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::load::PageSource;

use super::{Page, PageVersion, Site};

/// The pages of `sources` (one folder: `content/` or an edition's `pages/`), by slug, each
/// written into `folder(slug)` and belonging to `edition`.
pub(crate) fn group(
    site: &Site,
    sources: Vec<PageSource>,
    edition: Option<usize>,
    folder: impl Fn(&str) -> String,
) -> Vec<Page> {
    let mut by_slug: BTreeMap<String, BTreeMap<String, Arc<PageSource>>> = BTreeMap::new();
    for src in sources {
        by_slug
            .entry(src.slug.clone())
            .or_default()
            .insert(src.lang.clone(), Arc::new(src));
    }
    let mut pages = Vec::new();
    for (slug, by_lang) in by_slug {
        let versions: Vec<PageVersion> = site
            .languages
            .iter()
            .filter_map(|l| {
                site.fallback_order(&l.code)
                    .find_map(|c| by_lang.get(c))
                    .map(|src| PageVersion {
                        lang: l.code.clone(),
                        source: Arc::clone(src),
                    })
            })
            .collect();
        // Structural fields come from the default language's file when it exists.
        let Some(primary) = by_lang
            .get(&site.default_language)
            .or_else(|| by_lang.values().next())
        else {
            continue;
        };
        pages.push(Page {
            path: folder(&slug),
            slug,
            edition,
            weight: primary.front.weight.unwrap_or(0),
            template: primary
                .front
                .template
                .as_ref()
                .map_or_else(|| "page.html".to_string(), |t| t.value.clone()),
            extra: primary
                .front
                .extra
                .clone()
                .unwrap_or_else(|| Json::Object(Default::default())),
            versions,
        });
    }
    pages
}
