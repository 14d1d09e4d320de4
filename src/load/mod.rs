//! Stage 1 — load: read the project's files into typed, located input documents.
//!
//! Nothing is interpreted here beyond parsing: checks that need the whole project (languages,
//! ids, references) belong to `validate`. Every file is read from inside the project root; a
//! symbolic link that leads outside it is refused.

pub mod frontmatter;
pub mod schema;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, Position};
use schema::{EditionFile, FrontMatter, SiteFile};

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
    pub text: String,
    pub slug: String,
    pub lang: String,
    pub front: FrontMatter,
    /// Byte offset and first line of the Markdown body in `text`.
    pub body_offset: usize,
    pub body_line: usize,
}

impl PageSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A free-form data file of an edition (`data/<name>.yaml`), exposed to templates.
#[derive(Debug, Clone)]
pub struct DataSource {
    pub name: String,
    pub file: PathBuf,
    pub text: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct EditionSource {
    /// The folder name (`editions/<dir_name>/`).
    pub dir_name: String,
    pub dir: PathBuf,
    pub meta: Source<EditionFile>,
    pub data: Vec<DataSource>,
    /// `data/dimensions.yaml`: breakdown dimensions of the indicators.
    pub dimensions: Option<Source<Vec<schema::DimensionFile>>>,
    /// `data/indicators.yaml`: the edition's indicators.
    pub indicators: Option<Source<Vec<schema::IndicatorFile>>>,
    /// Other files of `data/` (CSV responses…), for the stages that use them.
    pub data_files: Vec<PathBuf>,
    pub pages: Vec<PageSource>,
}

#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name as templates refer to it (`page.html`, `partials/nav.html`).
    pub name: String,
    pub file: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct ThemeSource {
    pub name: String,
    pub dir: PathBuf,
    pub templates: Vec<TemplateSource>,
    /// UI strings per language code, from `i18n/<lang>.yaml`.
    pub i18n: BTreeMap<String, Source<BTreeMap<String, String>>>,
    /// Files of `static/`, relative to it, copied to `assets/`.
    pub static_files: Vec<PathBuf>,
    /// `theme.yaml` (chart palette and fonts); defaults when absent.
    pub config: schema::ThemeFile,
}

/// Everything the build reads.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub site: Source<SiteFile>,
    pub theme: ThemeSource,
    pub content: Vec<PageSource>,
    pub editions: Vec<EditionSource>,
}

/// Reads the project at `root`. All parse errors of all files are reported together.
pub fn load_project(root: &Path) -> Result<Project, Diagnostics> {
    let mut diags = Diagnostics::new();
    let site = match read_yaml::<SiteFile>(root, Path::new("site.yaml")) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            // Without site.yaml there is no theme to load; still parse the rest for errors.
            let _ = load_content_and_editions(root, &mut diags);
            return Err(diags);
        }
    };
    let theme = load_theme(root, &site.value.theme.value, &site, &mut diags);
    let (content, editions) = load_content_and_editions(root, &mut diags);
    let (Some(theme), false) = (theme, diags.has_errors()) else {
        diags.sort();
        return Err(diags);
    };
    Ok(Project {
        root: root.to_path_buf(),
        site,
        theme,
        content,
        editions,
    })
}

fn load_content_and_editions(
    root: &Path,
    diags: &mut Diagnostics,
) -> (Vec<PageSource>, Vec<EditionSource>) {
    let content = load_pages(root, Path::new("content"), diags);
    let mut editions = Vec::new();
    for dir in list_dir(root, Path::new("editions"), diags, true) {
        if let Some(ed) = load_edition(root, &dir, diags) {
            editions.push(ed);
        }
    }
    (content, editions)
}

fn load_edition(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Option<EditionSource> {
    let dir_name = dir.file_name()?.to_string_lossy().into_owned();
    let meta = match read_yaml::<EditionFile>(root, &dir.join("edition.yaml")) {
        Ok(m) => Some(m),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let mut data = Vec::new();
    let mut data_files = Vec::new();
    let (mut dimensions, mut indicators) = (None, None);
    let data_dir = dir.join("data");
    if root.join(&data_dir).is_dir() {
        for file in list_files(root, &data_dir, diags) {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Two data files have a typed format: the indicators and their dimensions.
            if ext == "yaml" && name == "dimensions" {
                match read_yaml(root, &file) {
                    Ok(src) => dimensions = Some(src),
                    Err(d) => diags.push(d),
                }
            } else if ext == "yaml" && name == "indicators" {
                match read_yaml(root, &file) {
                    Ok(src) => indicators = Some(src),
                    Err(d) => diags.push(d),
                }
            } else if ext == "yaml" || ext == "yml" {
                match read_yaml::<serde_json::Value>(root, &file) {
                    Ok(src) => data.push(DataSource {
                        name,
                        file: src.file,
                        text: src.text,
                        value: src.value,
                    }),
                    Err(d) => diags.push(d),
                }
            } else {
                data_files.push(file);
            }
        }
    }
    let pages = load_pages(root, &dir.join("pages"), diags);
    Some(EditionSource {
        dir_name,
        dir: dir.to_path_buf(),
        meta: meta?,
        data,
        dimensions,
        indicators,
        data_files,
        pages,
    })
}

/// Loads every `*.md` of `dir` (not recursive): `<slug>.<lang>.md`. Files are read and their
/// front matter parsed in parallel; results keep the sorted file order.
fn load_pages(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PageSource> {
    use rayon::prelude::*;
    if !root.join(dir).is_dir() {
        return Vec::new();
    }
    let files: Vec<PathBuf> = list_files(root, dir, diags)
        .into_iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("md"))
        .collect();
    let loaded: Vec<Result<PageSource, Diagnostic>> =
        files.par_iter().map(|f| load_page(root, f)).collect();
    let mut pages = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    pages
}

/// Reads one page file (`<slug>.<lang>.md`, relative to `root`): its front matter parsed, its
/// body located. (`serve` reloads a single edited page with it.)
pub fn load_page(root: &Path, file: &Path) -> Result<PageSource, Diagnostic> {
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
    let text = read_text(root, file)?;
    let Some(split) = frontmatter::split(&text) else {
        return Err(Diagnostic::at(
            file,
            &text,
            Position::new(1, 1),
            "front matter opened with `---` is never closed",
        )
        .with_hint("end the YAML block with a line holding only `---`"));
    };
    if split.yaml.trim().is_empty() {
        return Err(
            Diagnostic::file(file, "page has no front matter with a `title`")
                .with_hint("start the file with `---`, a line `title: …`, and `---`"),
        );
    }
    let mut front: FrontMatter = yaml::parse_fragment(file, &text, split.yaml, split.yaml_line)?;
    // Positions inside the fragment are relative to it: make them lines of the file.
    if let Some(t) = front.template.as_mut() {
        t.pos.line += split.yaml_line - 1;
    }
    if let Some(d) = front.date.as_mut() {
        d.pos.line += split.yaml_line - 1;
    }
    let (body_offset, body_line) = (split.body_offset, split.body_line);
    Ok(PageSource {
        file: file.to_path_buf(),
        slug: slug.to_string(),
        lang: lang.to_string(),
        front,
        body_offset,
        body_line,
        text,
    })
}

fn load_theme(
    root: &Path,
    name: &str,
    site: &Source<SiteFile>,
    diags: &mut Diagnostics,
) -> Option<ThemeSource> {
    if !crate::validate::is_valid_id(name) {
        // Reported by `validate` with its position; do not touch the file system with it.
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
    let dir = Path::new("themes").join(name);
    if !root.join(&dir).is_dir() {
        let mut d = Diagnostic::at(
            &site.file,
            &site.text,
            site.value.theme.pos,
            format!("theme `{name}` not found: no folder `{}`", dir.display()),
        );
        let themes = list_dir(root, Path::new("themes"), &mut Diagnostics::new(), false);
        let names: Vec<String> = themes
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
    for file in walk_files(root, &tdir, diags) {
        let rel = file.strip_prefix(&tdir).unwrap_or(&file);
        let name = crate::error::display_path(rel);
        match read_text(root, &file) {
            Ok(text) => templates.push(TemplateSource { name, file, text }),
            Err(d) => diags.push(d),
        }
    }
    let mut i18n = BTreeMap::new();
    let idir = dir.join("i18n");
    if root.join(&idir).is_dir() {
        for file in list_files(root, &idir, diags) {
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
    let static_files = walk_files(root, &sdir, diags)
        .into_iter()
        .filter_map(|f| f.strip_prefix(&sdir).ok().map(Path::to_path_buf))
        .collect();
    Some(ThemeSource {
        name: name.to_string(),
        dir,
        templates,
        i18n,
        static_files,
        config,
    })
}

/// Reads `rel` (relative to `root`) as YAML into `T`.
pub fn read_yaml<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Path,
) -> Result<Source<T>, Diagnostic> {
    let text = read_text(root, rel)?;
    let value = yaml::parse(rel, &text)?;
    Ok(Source {
        file: rel.to_path_buf(),
        text,
        value,
    })
}

/// Reads a UTF-8 file of the project, refusing symbolic links that lead outside the root.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let path = inside_root(root, rel)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        let msg = if e.kind() == std::io::ErrorKind::NotFound {
            "file not found".to_string()
        } else {
            format!("cannot read: {e}")
        };
        Diagnostic::file(rel, msg)
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut d = Diagnostic::file(rel, "file is not valid UTF-8");
        d.pos = Position::new(line, 1);
        d.with_hint("save the file as UTF-8")
    })
}

/// `root/rel`, after checking that it does not escape `root` through `..` or a symlink.
pub fn inside_root(root: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
    use std::path::Component;
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Diagnostic::file(rel, "path leaves the project folder"));
    }
    let path = root.join(rel);
    if let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(Diagnostic::file(
            rel,
            format!(
                "symbolic link leads outside the project folder (to {})",
                real.display()
            ),
        )
        .with_hint("copy the file into the project instead of linking it"));
    }
    Ok(path)
}

/// Sorted entries of a directory (files or directories), relative to the root.
fn list_dir(root: &Path, dir: &Path, diags: &mut Diagnostics, dirs: bool) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with('.') {
            continue;
        }
        let rel = dir.join(&name);
        let is_dir = match inside_root(root, &rel) {
            Ok(p) => p.is_dir(),
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if is_dir == dirs {
            out.push(rel);
        }
    }
    out.sort();
    out
}

fn list_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    list_dir(root, dir, diags, false)
}

/// Every file under `dir`, recursively, sorted, relative to the root. Hidden files are skipped.
fn walk_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::file(dir, format!("cannot list: {e}")));
                continue;
            }
        };
        let Ok(rel_to_base) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let rel = dir.join(rel_to_base);
        if entry.file_type().is_symlink() {
            match inside_root(root, &rel) {
                Ok(p) if p.is_file() => out.push(rel),
                Ok(_) => {}
                Err(d) => diags.push(d),
            }
        } else if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    out
}
