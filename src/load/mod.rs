//! Stage 1 — load: read the project's files into typed, located input documents.
//!
//! Every input byte is read here, once: `site.yaml`, the theme (templates, UI strings,
//! static files), the site pages, and every file of every edition folder (YAML, CSV,
//! Markdown). The content hash of a frozen edition is computed from those same bytes. The
//! later stages are functions of the [`Project`] this returns; they never open a file.
//!
//! One exception keeps memory flat on large sites: the body of a Markdown page of an
//! edition that is not frozen is read when it is rendered, not before (see [`Body`]); its
//! front matter is read here, and no byte is read twice. With [`Options::in_memory`] (used by
//! `serve` and `publish`) every body is read here too.
//!
//! Nothing is interpreted beyond parsing: checks that need the whole project belong to
//! `validate`. Every file is read from inside the project root; a symbolic link leading
//! outside it is refused.

pub(crate) mod files;
pub mod frontmatter;
pub(crate) mod hash;
pub(crate) mod schema;
pub mod yaml;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Position};
use files::{Found, inside_root, list_dir, read_bytes, read_text, walk_files};
use schema::{EditionFile, FrontMatter, SiteFile};

/// How to load.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Read every page body now (instead of when it is rendered) and hash every edition (not
    /// only the frozen ones).
    pub in_memory: bool,
    /// The folder of themes (`--themes`), chosen by whoever runs the command; `None`:
    /// `<project>/themes`. Theme files are confined to it as project files are to the project.
    pub themes: Option<PathBuf>,
}

/// A parsed file with its text (kept to show the offending line in later diagnostics).
#[derive(Debug, Clone)]
pub struct Source<T> {
    /// Path relative to the project root.
    pub file: PathBuf,
    pub text: String,
    pub value: T,
}

/// A Markdown page: `<slug>.<lang>.md`.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub file: PathBuf,
    pub slug: String,
    pub lang: String,
    pub front: FrontMatter,
    /// The file's text up to the end of its front matter (for diagnostics about it).
    pub head: String,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
    pub body: Body,
}

/// The Markdown body of a page.
#[derive(Debug, Clone)]
pub enum Body {
    /// Read with the front matter.
    Text(String),
    /// Read when the page is rendered: the bytes after `offset` in `path`, after `prefix`
    /// (the part of the body that came in with the front matter).
    Deferred {
        path: PathBuf,
        offset: u64,
        prefix: Vec<u8>,
    },
}

impl PageSource {
    /// The Markdown body: read from the file now if it was deferred.
    pub fn body(&self) -> Result<Cow<'_, str>, Diagnostic> {
        match &self.body {
            Body::Text(t) => Ok(Cow::Borrowed(t)),
            Body::Deferred {
                path,
                offset,
                prefix,
            } => {
                let mut bytes = prefix.clone();
                let read = std::fs::File::open(path).and_then(|mut f| {
                    f.seek(std::io::SeekFrom::Start(*offset))?;
                    f.read_to_end(&mut bytes)
                });
                if let Err(e) = read {
                    return Err(Diagnostic::file(&self.file, format!("cannot read: {e}")));
                }
                String::from_utf8(bytes).map(Cow::Owned).map_err(|e| {
                    let valid = e.utf8_error().valid_up_to();
                    let mut d = files::not_utf8(&self.file, e.as_bytes(), valid);
                    d.pos.line += self.body_line - 1;
                    d
                })
            }
        }
    }

    /// Is the body already in memory?
    pub fn has_body(&self) -> bool {
        matches!(self.body, Body::Text(_))
    }
}

/// A free-form data file of an edition (`data/<name>.yaml`), exposed to templates.
#[derive(Debug, Clone)]
pub struct DataSource {
    pub name: String,
    pub file: PathBuf,
    /// The file's text (for diagnostics about its values).
    pub text: String,
    pub value: serde_json::Value,
}

/// Another file of an edition's `data/` (survey responses as CSV…), as bytes.
#[derive(Debug, Clone)]
pub(crate) struct TableSource {
    /// The file name (`responses.csv`).
    pub name: String,
    pub file: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub(crate) struct EditionSource {
    /// The folder name (`editions/<dir_name>/`).
    pub dir_name: String,
    pub dir: PathBuf,
    pub meta: Source<EditionFile>,
    pub data: Vec<DataSource>,
    /// `data/dimensions.yaml`: breakdown dimensions of the indicators.
    pub dimensions: Option<Source<Vec<schema::DimensionFile>>>,
    /// `data/indicators.yaml`: the edition's indicators.
    pub indicators: Option<Source<Vec<schema::IndicatorFile>>>,
    /// Other files of `data/` (CSV responses…).
    pub tables: Vec<TableSource>,
    pub pages: Vec<PageSource>,
    /// The content hash of the folder as read, when it was computed (a frozen edition, or
    /// [`Options::in_memory`]).
    pub hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name as templates refer to it (`page.html`, `partials/nav.html`).
    pub name: String,
    pub file: PathBuf,
    pub text: String,
}

/// A file of the theme's `static/` folder, copied to `assets/`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Relative to `static/`.
    pub rel: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct ThemeSource {
    pub name: String,
    pub dir: PathBuf,
    pub templates: Vec<TemplateSource>,
    /// UI strings per language code, from `i18n/<lang>.yaml`.
    pub i18n: BTreeMap<String, Source<BTreeMap<String, String>>>,
    pub static_files: Vec<StaticFile>,
    /// `raster-fonts/*.ttf|otf`: the fonts the PNG figures are drawn with (not copied into the
    /// site; resvg reads TrueType/OpenType only, and no system font is used).
    pub raster_fonts: Vec<StaticFile>,
    /// `theme.yaml` (chart palette and fonts); defaults when absent.
    pub config: schema::ThemeFile,
}

/// Everything the build reads.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub site: Source<SiteFile>,
    pub theme: ThemeSource,
    pub content: Vec<PageSource>,
    pub editions: Vec<EditionSource>,
}

/// What is known of the project when loading failed (for the summary `check` ends with).
#[derive(Debug, Clone, Default)]
pub(crate) struct Brief {
    /// The language codes of `site.yaml`, when it parsed.
    pub languages: Vec<String>,
    pub editions: Vec<EditionBrief>,
}

/// One edition folder as far as it loaded.
#[derive(Debug, Clone)]
pub(crate) struct EditionBrief {
    pub id: String,
    /// `edition.yaml`, when it parsed.
    pub meta: Option<EditionFile>,
    pub hash: Option<String>,
}

impl Project {
    pub(crate) fn brief(&self) -> Brief {
        Brief {
            languages: self
                .site
                .value
                .languages
                .iter()
                .map(|l| l.code.value.clone())
                .collect(),
            editions: self
                .editions
                .iter()
                .map(|e| EditionBrief {
                    id: e.dir_name.clone(),
                    meta: Some(e.meta.value.clone()),
                    hash: e.hash.clone(),
                })
                .collect(),
        }
    }
}

/// Loading failed: every parse error of every file, and what did load.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub diagnostics: Diagnostics,
    pub brief: Brief,
}

/// Reads the project at `root`. All parse errors of all files are reported together.
pub(crate) fn load_project(root: &Path, opts: Options) -> Result<Project, Failure> {
    let mut diags = Diagnostics::new();
    let mut brief = Brief::default();
    let site = match read_yaml::<SiteFile>(root, Path::new("site.yaml")) {
        Ok(s) => Some(s),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if let Some(s) = &site {
        brief.languages = s
            .value
            .languages
            .iter()
            .map(|l| l.code.value.clone())
            .collect();
    }
    // Without site.yaml there is no theme to load; the rest is still parsed for its errors.
    let theme = site.as_ref().and_then(|s| match &opts.themes {
        None => load_theme(
            root,
            Path::new("themes"),
            &s.value.theme.value,
            s,
            &mut diags,
        ),
        Some(themes) => {
            // Read inside the themes folder, named from where the command runs.
            let first = diags.len();
            let mut theme = load_theme(themes, Path::new(""), &s.value.theme.value, s, &mut diags);
            let shown = |p: &Path| themes.join(p);
            for d in diags.0[first..].iter_mut().filter(|d| d.file != s.file) {
                d.file = shown(&d.file);
            }
            if let Some(t) = theme.as_mut() {
                t.dir = shown(&t.dir);
                for f in &mut t.templates {
                    f.file = shown(&f.file);
                }
                for src in t.i18n.values_mut() {
                    src.file = shown(&src.file);
                }
            }
            theme
        }
    });
    let content = load_pages(root, Path::new("content"), &mut diags, opts.in_memory);
    let mut editions = Vec::new();
    for dir in list_dir(root, Path::new("editions"), &mut diags, true) {
        let (edition, eb) = load_edition(root, &dir, &mut diags, &opts);
        brief.editions.push(eb);
        editions.extend(edition);
    }
    match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => Ok(Project {
            site,
            theme,
            content,
            editions,
        }),
        _ => {
            diags.sort();
            Err(Failure {
                diagnostics: diags,
                brief,
            })
        }
    }
}

/// Where a file of an edition folder goes.
enum Role {
    Meta,
    Dimensions,
    Indicators,
    Data(String),
    Table(String),
    Page,
    /// Anything else: part of the folder (and of its hash), not of the site.
    Other,
}

fn role(rel_to_edition: &Path) -> Role {
    let parts: Vec<String> = rel_to_edition
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [f] if f == hash::EDITION_FILE => Role::Meta,
        [d, f] if d == "data" => {
            let (stem, ext) = f.rsplit_once('.').unwrap_or((f, ""));
            match (stem, ext) {
                ("dimensions", "yaml") => Role::Dimensions,
                ("indicators", "yaml") => Role::Indicators,
                (_, "yaml" | "yml") => Role::Data(stem.to_string()),
                _ => Role::Table(f.clone()),
            }
        }
        [d, f] if d == "pages" && f.ends_with(".md") => Role::Page,
        _ => Role::Other,
    }
}

fn load_edition(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    opts: &Options,
) -> (Option<EditionSource>, EditionBrief) {
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut brief = EditionBrief {
        id: dir_name.clone(),
        meta: None,
        hash: None,
    };
    let meta = match read_yaml::<EditionFile>(root, &dir.join(hash::EDITION_FILE)) {
        Ok(m) => m,
        Err(d) => {
            diags.push(d);
            return (None, brief);
        }
    };
    brief.meta = Some(meta.value.clone());
    // A folder once frozen stays frozen whatever its `status` says: hash it whenever a hash
    // was recorded.
    let hashed = opts.in_memory || meta.value.content_hash.is_some();
    let found = walk_files(root, dir, diags);
    let mut ed = EditionSource {
        dir_name,
        dir: dir.to_path_buf(),
        meta,
        data: Vec::new(),
        dimensions: None,
        indicators: None,
        tables: Vec::new(),
        pages: Vec::new(),
        hash: None,
    };
    // Bytes of every file as read, for the hash (links contribute their target's path).
    let mut read: Vec<(String, Vec<u8>)> = Vec::new();
    let mut page_files: Vec<&Found> = Vec::new();
    for f in &found {
        let rel = f.rel.strip_prefix(dir).unwrap_or(&f.rel);
        let name = crate::error::display_path(rel);
        let role = role(rel);
        if let Some(target) = &f.link
            && hashed
        {
            read.push((
                name.clone(),
                target.to_string_lossy().into_owned().into_bytes(),
            ));
        }
        let keep = |read: &mut Vec<(String, Vec<u8>)>, bytes: &[u8]| {
            if hashed && f.link.is_none() {
                read.push((name.clone(), bytes.to_vec()));
            }
        };
        match role {
            Role::Meta => keep(&mut read, ed.meta.text.as_bytes()),
            Role::Page => page_files.push(f),
            Role::Other if !hashed => {}
            other => {
                let bytes = match read_bytes(root, &f.rel) {
                    Ok(b) => b,
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
                };
                keep(&mut read, &bytes);
                place(&mut ed, other, &f.rel, bytes, diags);
            }
        }
    }
    let in_memory = opts.in_memory || hashed;
    let rels: Vec<PathBuf> = page_files.iter().map(|f| f.rel.clone()).collect();
    for (f, loaded) in page_files.iter().zip(read_pages(root, &rels, in_memory)) {
        match loaded {
            Ok((page, bytes)) => {
                if hashed && f.link.is_none() {
                    let rel = f.rel.strip_prefix(dir).unwrap_or(&f.rel);
                    read.push((crate::error::display_path(rel), bytes));
                }
                ed.pages.push(page);
            }
            Err(d) => diags.push(d),
        }
    }
    if hashed {
        let h = hash_of(&read);
        brief.hash = Some(h.clone());
        ed.hash = Some(h);
    }
    (Some(ed), brief)
}

/// Puts the bytes of one edition file (not a page, not `edition.yaml`) where its role says.
fn place(ed: &mut EditionSource, role: Role, rel: &Path, bytes: Vec<u8>, diags: &mut Diagnostics) {
    match role {
        Role::Table(name) => ed.tables.push(TableSource {
            name,
            file: rel.to_path_buf(),
            bytes,
        }),
        Role::Dimensions => match parse_yaml(rel, bytes) {
            Ok(s) => ed.dimensions = Some(s),
            Err(d) => diags.push(d),
        },
        Role::Indicators => match parse_yaml(rel, bytes) {
            Ok(s) => ed.indicators = Some(s),
            Err(d) => diags.push(d),
        },
        Role::Data(name) => match parse_yaml::<serde_json::Value>(rel, bytes) {
            Ok(s) => ed.data.push(DataSource {
                name,
                file: s.file,
                text: s.text,
                value: s.value,
            }),
            Err(d) => diags.push(d),
        },
        Role::Meta | Role::Page | Role::Other => {}
    }
}

/// The content hash of an edition from the bytes `load_edition` read.
fn hash_of(read: &[(String, Vec<u8>)]) -> String {
    let entries: Vec<hash::Entry<'_>> = read
        .iter()
        .map(|(name, bytes)| hash::Entry {
            name: name.clone(),
            bytes,
        })
        .collect();
    hash::content_hash(&entries)
}

/// Loads every `*.md` of `dir` (not recursive): `<slug>.<lang>.md`.
fn load_pages(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    in_memory: bool,
) -> Vec<PageSource> {
    if !root.join(dir).is_dir() {
        return Vec::new();
    }
    let files: Vec<PathBuf> = files::list_dir(root, dir, diags, false)
        .into_iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("md"))
        .collect();
    let mut pages = Vec::with_capacity(files.len());
    for r in read_pages(root, &files, in_memory) {
        match r {
            Ok((p, _)) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    pages
}

/// Reads page files in parallel (results in the order of `files`), with the whole file's
/// bytes when `in_memory` (for the edition's hash), else only the front matter.
fn read_pages(
    root: &Path,
    files: &[PathBuf],
    in_memory: bool,
) -> Vec<Result<(PageSource, Vec<u8>), Diagnostic>> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|f| read_page(root, f, in_memory))
        .collect()
}

/// Reads one page file (`<slug>.<lang>.md`, relative to `root`) with its body, parsed and
/// located. (`serve` reloads a single edited page with it.)
pub(crate) fn load_page(root: &Path, file: &Path) -> Result<PageSource, Diagnostic> {
    read_page(root, file, true).map(|(p, _)| p)
}

/// The name parts of a page file, or the error saying what the name should be.
fn page_name(file: &Path) -> Result<(String, String), Diagnostic> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let [slug, lang, "md"] = parts.as_slice() else {
        return Err(Diagnostic::file(
            file,
            format!("page file name `{name}` is not of the form `<slug>.<lang>.md`"),
        )
        .with_hint("e.g. `introduction.fr.md` and `introduction.ar.md`"));
    };
    Ok((slug.to_string(), lang.to_string()))
}

/// Bytes read at first for a page whose body is deferred: front matter is rarely longer.
const HEAD_CHUNK: usize = 256;

fn read_page(
    root: &Path,
    file: &Path,
    in_memory: bool,
) -> Result<(PageSource, Vec<u8>), Diagnostic> {
    let (slug, lang) = page_name(file)?;
    let path = inside_root(root, file)?;
    let (bytes, complete) = if in_memory {
        (read_bytes(root, file)?, true)
    } else {
        read_head(&path).map_err(|e| Diagnostic::file(file, format!("cannot read: {e}")))?
    };
    let no_front_matter = || {
        Diagnostic::file(file, "page has no front matter with a `title`")
            .with_hint("start the file with `---`, a line `title: …`, and `---`")
    };
    // The text up to the body, and where the body starts in `bytes`.
    let (head, body_offset) = if complete {
        let text = files::decode(file, bytes.clone())?;
        let Some(split) = frontmatter::split(&text) else {
            return Err(unclosed(file, &text));
        };
        let offset = split.body_offset;
        (text[..offset].to_string(), offset)
    } else {
        // The head reader stops early only once the closing fence is in.
        let Some(offset) = frontmatter::body_offset(&bytes) else {
            return Err(no_front_matter());
        };
        (files::decode(file, bytes[..offset].to_vec())?, offset)
    };
    let Some(split) = frontmatter::split(&head) else {
        return Err(unclosed(file, &head));
    };
    if split.yaml.trim().is_empty() {
        return Err(no_front_matter());
    }
    let mut front: FrontMatter = yaml::parse_fragment(file, &head, split.yaml, split.yaml_line)?;
    // Positions inside the fragment are relative to it: make them lines of the file.
    if let Some(t) = front.template.as_mut() {
        t.pos.line += split.yaml_line - 1;
    }
    if let Some(d) = front.date.as_mut() {
        d.pos.line += split.yaml_line - 1;
    }
    let body_line = head.matches('\n').count() + 1;
    let body = if complete {
        // Valid UTF-8: decoded above.
        Body::Text(String::from_utf8_lossy(&bytes[body_offset..]).into_owned())
    } else {
        Body::Deferred {
            path,
            offset: bytes.len() as u64,
            prefix: bytes[body_offset..].to_vec(),
        }
    };
    Ok((
        PageSource {
            file: file.to_path_buf(),
            slug,
            lang,
            front,
            head,
            body_line,
            body,
        },
        if in_memory { bytes } else { Vec::new() },
    ))
}

fn unclosed(file: &Path, text: &str) -> Diagnostic {
    Diagnostic::at(
        file,
        text,
        Position::new(1, 1),
        "front matter opened with `---` is never closed",
    )
    .with_hint("end the YAML block with a line holding only `---`")
}

/// The first bytes of a file, enough to hold its front matter: chunks are read until the
/// closing fence is in, or to the end. `true` when the whole file was read.
fn read_head(path: &Path) -> std::io::Result<(Vec<u8>, bool)> {
    let mut f = std::fs::File::open(path)?;
    let mut buf = Vec::with_capacity(HEAD_CHUNK);
    let mut want = HEAD_CHUNK;
    loop {
        let before = buf.len();
        (&mut f)
            .take((want - before) as u64)
            .read_to_end(&mut buf)?;
        let eof = buf.len() < want;
        if eof {
            return Ok((buf, true));
        }
        let opened = buf.starts_with(b"---") || buf.starts_with("\u{feff}---".as_bytes());
        if !opened || frontmatter::body_offset(&buf).is_some() {
            return Ok((buf, false));
        }
        want *= 2;
    }
}

/// Loads theme `name` from folder `themes` (relative to `root`).
fn load_theme(
    root: &Path,
    themes: &Path,
    name: &str,
    site: &Source<SiteFile>,
    diags: &mut Diagnostics,
) -> Option<ThemeSource> {
    if !crate::syntax::is_valid_id(name) {
        // Do not touch the file system with it.
        diags.push(
            Diagnostic::at(
                &site.file,
                &site.text,
                site.value.theme.pos,
                format!("theme name `{name}` must use only a-z, 0-9 and `-`"),
            )
            .with_hint("the theme is a folder under `themes/`"),
        );
        return None;
    }
    let dir = themes.join(name);
    if !root.join(&dir).is_dir() {
        let mut d = Diagnostic::at(
            &site.file,
            &site.text,
            site.value.theme.pos,
            format!(
                "theme `{name}` not found: no folder `{}`",
                crate::error::display_path(&dir)
            ),
        );
        let found = list_dir(root, themes, &mut Diagnostics::new(), true);
        let names: Vec<String> = found
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if let Some(h) = crate::error::did_you_mean(name, names.iter().map(String::as_str)) {
            d = d.with_hint(h);
        }
        diags.push(d);
        return None;
    }
    let mut templates = Vec::new();
    let tdir = dir.join("templates");
    for f in walk_files(root, &tdir, diags) {
        let rel = f.rel.strip_prefix(&tdir).unwrap_or(&f.rel);
        let name = crate::error::display_path(rel);
        match read_text(root, &f.rel) {
            Ok(text) => templates.push(TemplateSource {
                name,
                file: f.rel.clone(),
                text,
            }),
            Err(d) => diags.push(d),
        }
    }
    let mut i18n = BTreeMap::new();
    let idir = dir.join("i18n");
    for file in list_dir(root, &idir, diags, false) {
        if file.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let lang = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match read_yaml::<BTreeMap<String, String>>(root, &file) {
            Ok(src) => {
                i18n.insert(lang, src);
            }
            Err(d) => diags.push(d),
        }
    }
    let config_file = dir.join("theme.yaml");
    let config = if root.join(&config_file).is_file() {
        match read_yaml::<schema::ThemeFile>(root, &config_file) {
            Ok(src) => src.value,
            Err(d) => {
                diags.push(d);
                schema::ThemeFile::default()
            }
        }
    } else {
        schema::ThemeFile::default()
    };
    let sdir = dir.join("static");
    let mut static_files = Vec::new();
    for f in walk_files(root, &sdir, diags) {
        let Ok(rel) = f.rel.strip_prefix(&sdir) else {
            continue;
        };
        match read_bytes(root, &f.rel) {
            Ok(bytes) => static_files.push(StaticFile {
                rel: rel.to_path_buf(),
                bytes,
            }),
            Err(d) => diags.push(d),
        }
    }
    let fdir = dir.join("raster-fonts");
    let mut raster_fonts = Vec::new();
    for f in walk_files(root, &fdir, diags) {
        let font = f
            .rel
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"));
        let Ok(rel) = f.rel.strip_prefix(&fdir) else {
            continue;
        };
        if !font {
            continue;
        }
        match read_bytes(root, &f.rel) {
            Ok(bytes) => raster_fonts.push(StaticFile {
                rel: rel.to_path_buf(),
                bytes,
            }),
            Err(d) => diags.push(d),
        }
    }
    Some(ThemeSource {
        name: name.to_string(),
        dir,
        templates,
        i18n,
        static_files,
        raster_fonts,
        config,
    })
}

/// Reads `rel` (relative to `root`) as YAML into `T`.
pub(crate) fn read_yaml<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Path,
) -> Result<Source<T>, Diagnostic> {
    parse_yaml(rel, read_bytes(root, rel)?)
}

/// Parses the bytes of `rel` as YAML into `T`.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    rel: &Path,
    bytes: Vec<u8>,
) -> Result<Source<T>, Diagnostic> {
    let text = files::decode(rel, bytes)?;
    let value = yaml::parse(rel, &text)?;
    Ok(Source {
        file: rel.to_path_buf(),
        text,
        value,
    })
}
