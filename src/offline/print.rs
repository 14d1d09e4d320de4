//! The print edition: gathers the chapters render emits for each (language, edition) and, when
//! the site is rendered, lays each edition's print page out with the theme's `print.html`
//! ([`crate::render::print_page`]).

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::error::{Diagnostics, Error};
use crate::model::Site;
use crate::render::print::ChapterCtx;
use crate::render::{File, Kind, Output, Prepared};
use crate::write::Sink;

/// Chapters by (language, edition), by their place in the reading order.
type Chapters = BTreeMap<(usize, usize), BTreeMap<usize, ChapterCtx>>;

pub(crate) struct Print<'a> {
    next: &'a dyn Sink,
    chapters: Mutex<Chapters>,
}

impl<'a> Print<'a> {
    pub(crate) fn new(next: &'a dyn Sink) -> Self {
        Print {
            next,
            chapters: Mutex::new(BTreeMap::new()),
        }
    }

    /// Renders the print page of every edition with chapters, or only of `editions`, into
    /// the next sink.
    pub(crate) fn finish(
        &self,
        site: &Site,
        prepared: &Prepared,
        editions: Option<&[usize]>,
    ) -> Result<(), Error> {
        if !Prepared::has_print(site) {
            return Ok(());
        }
        let chapters = self.chapters.lock().unwrap_or_else(|e| e.into_inner());
        let mut errors = Diagnostics::new();
        for li in 0..site.languages.len() {
            for ei in 0..site.editions.len() {
                if editions.is_some_and(|only| !only.contains(&ei)) {
                    continue;
                }
                let list: Vec<ChapterCtx> = chapters
                    .get(&(li, ei))
                    .map(|m| m.values().cloned().collect())
                    .unwrap_or_default();
                match crate::render::print_page(site, prepared, li, ei, &list) {
                    Ok((path, html)) => self.next.put(Output::File(File {
                        path: &path,
                        bytes: &html,
                        kind: Kind::OtherPage,
                        source: None,
                    }))?,
                    Err(d) => errors.extend(d),
                }
            }
        }
        errors.into_result().map(|_| ()).map_err(Error::Input)
    }
}

impl Sink for Print<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        match output {
            Output::Chapter(ch) => {
                let ch = *ch;
                self.chapters
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry((ch.lang, ch.edition))
                    .or_default()
                    .insert(ch.order, ch.ctx);
                Ok(())
            }
            other => self.next.put(other),
        }
    }
}
