//! Stage 2 — validate: checks that need the whole project, each reported with its location.
//!
//! Languages, ids and slugs, versions and dates, theme completeness ([`theme`]), the freeze of
//! published editions ([`freeze`]), numbers that read backwards in a right-to-left language
//! ([`digits`]). Checks of references between indicators are made while
//! building the model, those of page bodies (links, chart blocks, raw HTML) while rendering.

pub mod digits;
pub(crate) mod freeze;
pub(crate) mod theme;

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Position, did_you_mean};
use crate::load::schema::{EditionFile, Status, Text};
use crate::load::{PageSource, Project};
use crate::syntax::{Date, is_valid_id};

struct Checker<'a> {
    langs: BTreeSet<&'a str>,
    diags: Diagnostics,
}

impl<'a> Checker<'a> {
    fn err(&mut self, file: &Path, text: &str, pos: Position, msg: impl Into<String>) {
        self.diags.push(Diagnostic::at(file, text, pos, msg));
    }

    fn text(&mut self, t: &Text, file: &Path, src: &str, field: &str) {
        for (lang, value) in &t.values {
            if !self.langs.contains(lang.as_str()) {
                let mut d = Diagnostic::at(
                    file,
                    src,
                    t.pos,
                    format!("unknown language `{lang}` in `{field}`"),
                );
                let hint = did_you_mean(lang, self.langs.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "the languages of site.yaml are: {}",
                        self.langs.iter().copied().collect::<Vec<_>>().join(", ")
                    )
                });
                d = d.with_hint(hint);
                self.diags.push(d);
            } else if value.trim().is_empty() {
                self.err(
                    file,
                    src,
                    t.pos,
                    format!("`{field}` is empty for `{lang}`: remove the key to mark the translation as missing"),
                );
            }
        }
        if t.values.is_empty() {
            self.err(
                file,
                src,
                t.pos,
                format!("`{field}` has no text in any language"),
            );
        }
    }

    fn id(&mut self, id: &str, file: &Path, src: &str, pos: Position, what: &str) -> bool {
        if is_valid_id(id) {
            return true;
        }
        let mut d = Diagnostic::at(
            file,
            src,
            pos,
            format!("{what} `{id}` must use only a-z, 0-9 and `-` (not at the ends)"),
        );
        d = d
            .with_hint("ids become folder names of the site: no dots, slashes, spaces or capitals");
        self.diags.push(d);
        false
    }

    fn date(&mut self, value: &str, file: &Path, src: &str, pos: Position, field: &str) {
        if Date::parse(value).is_none() {
            self.diags.push(
                Diagnostic::at(
                    file,
                    src,
                    pos,
                    format!("`{field}` is not a valid date: `{value}`"),
                )
                .with_hint("write dates as YYYY-MM-DD, e.g. 2020-11-24"),
            );
        }
    }
}

/// Runs every whole-project check. Returns errors and warnings. `strict` (`--strict` or
/// `translation.strict`) makes the digit groups of [`digits`] errors.
pub(crate) fn validate(p: &Project, strict: bool) -> Diagnostics {
    let mut c = Checker {
        langs: BTreeSet::new(),
        diags: Diagnostics::new(),
    };
    check_site(p, &mut c);
    let langs: Vec<&str> = c.langs.iter().copied().collect();
    c.diags.extend(theme::check(p, &langs));
    check_site_pages(p, &mut c);
    for ed in &p.editions {
        check_edition_file(ed, &mut c);
        check_edition_parts(ed, &mut c, p);
    }
    c.diags.extend(digits::check(p, strict));
    let mut d = c.diags;
    d.sort();
    d
}

/// `site.yaml`: languages, default language, base_url, section paths, statistics, texts.
fn check_site<'a>(p: &'a Project, c: &mut Checker<'a>) {
    let site = &p.site.value;
    let (sf, st) = (p.site.file.as_path(), p.site.text.as_str());
    // Languages.
    if site.languages.is_empty() {
        c.diags.push(Diagnostic::file(
            sf,
            "`languages` is empty: declare at least one language",
        ));
    }
    for l in &site.languages {
        let code = l.code.value.as_str();
        if !c.id(code, sf, st, l.code.pos, "language code") {
            continue;
        }
        if !c.langs.insert(code) {
            c.err(
                sf,
                st,
                l.code.pos,
                format!("language `{code}` is declared twice"),
            );
        }
        let locale = l.locale.as_ref().map_or(code, |x| x.value.as_str());
        if icu_locale_core::Locale::try_from_str(locale).is_err() {
            let pos = l.locale.as_ref().map_or(l.code.pos, |x| x.pos);
            c.err(
                sf,
                st,
                pos,
                format!("`{locale}` is not a valid locale (BCP 47, e.g. `ar-MA`)"),
            );
        }
    }
    let default = &site.default_language;
    if !c.langs.contains(default.value.as_str()) {
        let mut d = Diagnostic::at(
            sf,
            st,
            default.pos,
            format!(
                "default language `{}` is not among `languages`",
                default.value
            ),
        );
        if let Some(h) = did_you_mean(&default.value, c.langs.iter().copied()) {
            d = d.with_hint(h);
        }
        c.diags.push(d);
    }
    if let Some(b) = &site.base_url
        && !is_web_address(&b.value)
    {
        c.err(
            sf,
            st,
            b.pos,
            format!(
                "`base_url` must start with https:// or http://, got `{}`",
                b.value
            ),
        );
    }
    let paths = [&site.paths.editions, &site.paths.indicators];
    for path in paths {
        c.id(&path.value, sf, st, path.pos, "section path");
    }
    if site.paths.editions.value == site.paths.indicators.value {
        c.err(
            sf,
            st,
            site.paths.indicators.pos,
            "`paths.editions` and `paths.indicators` must differ",
        );
    }
    statistics(site, sf, st, c);
    c.text(&site.title, sf, st, "title");
    if let Some(t) = &site.description {
        c.text(t, sf, st, "description");
    }
    if let Some(t) = &site.publisher {
        c.text(t, sf, st, "publisher");
    }
    if let Some(l) = &site.licence {
        licence(l, sf, st, c);
    }
}

/// An address on the web (`base_url`, a licence's or a source's page).
fn is_web_address(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// `licence:`: an SPDX-like identifier, an absolute address, a label in every language.
fn licence(l: &crate::load::schema::Licence, sf: &Path, st: &str, c: &mut Checker<'_>) {
    let name = &l.name.value;
    let spdx = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '.' | '+');
    if name.is_empty() || !name.chars().all(spdx) {
        c.diags.push(
            Diagnostic::at(
                sf,
                st,
                l.name.pos,
                format!("`licence.name` must be an SPDX identifier, got `{name}`"),
            )
            .with_hint("e.g. `CC-BY-4.0` or `ODbL-1.0` (https://spdx.org/licenses/)"),
        );
    }
    if let Some(p) = &l.path
        && !is_web_address(&p.value)
    {
        c.err(
            sf,
            st,
            p.pos,
            format!(
                "`licence.path` must be the licence's address (https://…), got `{}`",
                p.value
            ),
        );
    }
    if let Some(t) = &l.label {
        c.text(t, sf, st, "licence.label");
    }
}

/// Site-wide pages: their slug becomes `<lang>/<slug>/`, so it must not shadow a section.
fn check_site_pages(p: &Project, c: &mut Checker<'_>) {
    let site = &p.site.value;
    let reserved: BTreeSet<&str> = [
        site.paths.editions.value.as_str(),
        site.paths.indicators.value.as_str(),
    ]
    .into_iter()
    .collect();
    for page in &p.content {
        check_page(page, c, p);
        if reserved.contains(page.slug.as_str()) {
            c.diags.push(
                Diagnostic::file(
                    &page.file,
                    format!(
                        "page slug `{}` is the name of a section of the site",
                        page.slug
                    ),
                )
                .with_hint("rename the file: its slug would replace the section's folder"),
            );
        }
    }
}

/// An edition's `edition.yaml`: id, version, changelog, dates, texts, partners, key figures.
fn check_edition_file(ed: &crate::load::EditionSource, c: &mut Checker<'_>) {
    let (ef, et) = (ed.meta.file.as_path(), ed.meta.text.as_str());
    let m: &EditionFile = &ed.meta.value;
    if !is_valid_id(&ed.dir_name) {
        c.diags.push(
            Diagnostic::file(
                &ed.dir,
                format!(
                    "edition folder `{}` must use only a-z, 0-9 and `-`",
                    ed.dir_name
                ),
            )
            .with_hint("the folder name is the edition id and becomes part of its address"),
        );
    } else if m.id.value != ed.dir_name {
        c.err(
            ef,
            et,
            m.id.pos,
            format!(
                "edition id `{}` differs from its folder name `{}`",
                m.id.value, ed.dir_name
            ),
        );
    }
    let version = semver::Version::parse(&m.version.value);
    if version.is_err() {
        c.diags.push(
            Diagnostic::at(
                ef,
                et,
                m.version.pos,
                format!("version `{}` is not a semantic version", m.version.value),
            )
            .with_hint("write it as MAJOR.MINOR.PATCH, e.g. 1.0.0"),
        );
    }
    for entry in &m.changelog {
        if semver::Version::parse(&entry.version.value).is_err() {
            c.err(
                ef,
                et,
                entry.version.pos,
                format!(
                    "changelog version `{}` is not a semantic version",
                    entry.version.value
                ),
            );
        }
        c.date(&entry.date.value, ef, et, entry.date.pos, "changelog date");
        c.text(&entry.changes, ef, et, "changelog changes");
    }
    if m.status == Status::Published
        && !m
            .changelog
            .iter()
            .any(|e| e.version.value == m.version.value)
    {
        c.diags.push(
            Diagnostic::at(
                ef,
                et,
                m.version.pos,
                format!(
                    "published edition has no changelog entry for its version {}",
                    m.version.value
                ),
            )
            .with_hint("add `changelog: - version: …, date: …, changes: {…}` for this version"),
        );
    }
    for (field, date) in [
        ("dates.start", &m.dates.start),
        ("dates.end", &m.dates.end),
        ("dates.published", &m.dates.published),
    ] {
        if let Some(d) = date {
            c.date(&d.value, ef, et, d.pos, field);
        }
    }
    if let (Some(s), Some(e)) = (&m.dates.start, &m.dates.end)
        && let (Some(a), Some(b)) = (Date::parse(&s.value), Date::parse(&e.value))
        && b < a
    {
        c.err(ef, et, e.pos, "`dates.end` is before `dates.start`");
    }
    c.text(&m.title, ef, et, "title");
    c.text(&m.summary, ef, et, "summary");
    for partner in &m.partners {
        c.text(&partner.name, ef, et, "partners.name");
        if let Some(r) = &partner.role {
            c.text(r, ef, et, "partners.role");
        }
        if let Some(u) = &partner.url
            && !is_web_address(&u.value)
        {
            c.err(
                ef,
                et,
                u.pos,
                format!(
                    "partner url must start with https:// or http://, got `{}`",
                    u.value
                ),
            );
        }
    }
    if let Some(s) = &m.sample
        && let Some(t) = &s.description
    {
        c.text(t, ef, et, "sample.description");
    }
    for k in &m.key_figures {
        c.text(&k.label, ef, et, "key_figures.label");
        if !k.value.is_finite() {
            c.err(
                ef,
                et,
                k.label.pos,
                "key figure value is not a finite number",
            );
        }
    }
}

/// An edition's pages, dimensions, indicators and data files, and its freeze.
fn check_edition_parts(ed: &crate::load::EditionSource, c: &mut Checker<'_>, p: &Project) {
    let (ef, et) = (ed.meta.file.as_path(), ed.meta.text.as_str());
    let m: &EditionFile = &ed.meta.value;
    for page in &ed.pages {
        check_page(page, c, p);
    }
    if let Some(src) = &ed.dimensions {
        for d in &src.value {
            c.id(&d.id.value, &src.file, &src.text, d.id.pos, "dimension id");
            c.text(&d.label, &src.file, &src.text, "label");
            for m in &d.members {
                c.text(&m.label, &src.file, &src.text, "label");
            }
        }
    }
    if let Some(src) = &ed.indicators {
        for i in &src.value {
            c.text(&i.question, &src.file, &src.text, "question");
            for o in &i.options {
                c.text(&o.label, &src.file, &src.text, "label");
            }
            for (t, field) in [
                (&i.source, "source"),
                (&i.note, "note"),
                (&i.break_note, "break_note"),
            ] {
                if let Some(t) = t {
                    c.text(t, &src.file, &src.text, field);
                }
            }
        }
    }
    // Published editions are frozen (content hash recorded by `barometre publish`).
    c.diags.extend(freeze::diagnostics(
        &ed.dir_name,
        m,
        ed.hash.as_deref(),
        ef,
        et,
    ));
    for data in &ed.data {
        if !is_valid_id(&data.name) {
            c.diags.push(Diagnostic::file(
                &data.file,
                format!(
                    "data file name `{}` must use only a-z, 0-9 and `-`",
                    data.name
                ),
            ));
        }
    }
}

/// `statistics:` of site.yaml: an interval level strictly between 0 and 1, and the caution
/// threshold not below the publication threshold.
fn statistics(site: &crate::load::schema::SiteFile, sf: &Path, st: &str, c: &mut Checker<'_>) {
    let s = &site.statistics;
    let level = s.confidence.value;
    if !(level > 0.0 && level < 1.0) {
        c.diags.push(
            Diagnostic::at(
                sf,
                st,
                s.confidence.pos,
                format!("`statistics.confidence` must be between 0 and 1, got {level}"),
            )
            .with_hint("0.95 gives 95 % intervals"),
        );
    }
    if s.caution_n.value < s.min_n.value {
        c.diags.push(Diagnostic::at(
            sf,
            st,
            s.caution_n.pos,
            format!(
                "`statistics.caution_n` ({}) is below `statistics.min_n` ({}): a value is published with a caution mark between the two",
                s.caution_n.value, s.min_n.value
            ),
        ));
    }
}

fn check_page(page: &PageSource, c: &mut Checker<'_>, p: &Project) {
    if !is_valid_id(&page.slug) {
        c.diags.push(
            Diagnostic::file(
                &page.file,
                format!("page slug `{}` must use only a-z, 0-9 and `-`", page.slug),
            )
            .with_hint("the slug (file name before `.<lang>.md`) becomes a folder of the site"),
        );
    }
    if !c.langs.contains(page.lang.as_str()) {
        let mut d = Diagnostic::file(
            &page.file,
            format!("unknown language `{}` in the file name", page.lang),
        );
        if let Some(h) = did_you_mean(&page.lang, c.langs.iter().copied()) {
            d = d.with_hint(h);
        }
        c.diags.push(d);
    }
    if let Some(d) = &page.front.date {
        c.date(&d.value, &page.file, &page.head, d.pos, "date");
    }
    if page.front.title.trim().is_empty() {
        c.diags
            .push(Diagnostic::file(&page.file, "page `title` is empty"));
    }
    if let Some(t) = &page.front.template
        && !p.theme.templates.iter().any(|x| x.name == t.value)
    {
        let names = p.theme.templates.iter().map(|x| x.name.as_str());
        let mut d = Diagnostic::at(
            &page.file,
            &page.head,
            t.pos,
            format!("template `{}` is not in theme `{}`", t.value, p.theme.name),
        );
        if let Some(h) = did_you_mean(&t.value, names) {
            d = d.with_hint(h);
        }
        c.diags.push(d);
    }
}
