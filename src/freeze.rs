//! Published editions are frozen.
//!
//! `barometre publish <id>` sets `status: published` in `editions/<id>/edition.yaml` and
//! records there the hash of the edition's folder (`content_hash`) and the version it was
//! taken for (`content_hash_version`). From then on, `validate` recomputes the hash of every
//! published edition: a folder that changed without a new `version` (and a changelog entry
//! for it) is an error, with the way out in the hint.
//!
//! The hash, precisely (also in `docs/FORMAT.md`): SHA-256 over every file of
//! `editions/<id>/`, recursively, hidden files (names starting with `.`) and folders excluded,
//! in the byte order of their paths relative to the edition folder (`/` separators). Each file
//! contributes its path, a NUL byte, its length in bytes as decimal digits, a NUL byte, then
//! its bytes. `edition.yaml` is normalised first: its top-level `content_hash:`,
//! `content_hash_version:` and `status:` lines (with any indented continuation lines) are
//! removed, so publishing (which writes those lines) does not change the hash. A symbolic
//! link contributes the text of its target instead of bytes (the hash never reads outside
//! the project). The value is written `sha256:<64 lowercase hex digits>`.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, Error, Position, did_you_mean};
use crate::load::schema::{EditionFile, Status};
use crate::load::{EditionSource, Project};
use crate::validate::is_valid_id;

/// The name of an edition's metadata file.
pub const EDITION_FILE: &str = "edition.yaml";

/// Top-level keys of `edition.yaml` left out of the hash (`publish` writes them).
pub const UNHASHED_KEYS: &[&str] = &["content_hash", "content_hash_version", "status"];

const PREFIX: &str = "sha256:";

/// `text` without its top-level lines for `keys` (and their indented continuation lines).
pub fn without_keys(text: &str, keys: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let continuation = line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if skipping && continuation {
            continue;
        }
        skipping = keys.iter().any(|k| is_key_line(line, k));
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// Does `line` start the top-level mapping entry `key:`?
fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// The 1-based line of the top-level entry `key:` in `text`.
pub fn key_position(text: &str, key: &str) -> Option<Position> {
    text.split('\n')
        .position(|l| is_key_line(l, key))
        .map(|i| Position::new(i + 1, 1))
}

/// `text` with the top-level entry `key:` set to `value` (its trailing comment kept), or the
/// entry appended at the end when there is none. Other lines are left as they are.
pub fn set_key(text: &str, key: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len() + key.len() + value.len() + 2);
    let mut done = false;
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let continuation = line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if skipping && continuation {
            continue;
        }
        skipping = false;
        if !done && is_key_line(line, key) {
            let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
            let body = &line[..line.len() - ending.len()];
            let comment = comment_of(&body[key.len() + 1..]);
            out.push_str(&format!("{key}: {value}"));
            if let Some(c) = comment {
                out.push_str(&format!(" {c}"));
            }
            out.push_str(if ending.is_empty() { "\n" } else { ending });
            done = true;
            skipping = true;
            continue;
        }
        out.push_str(line);
    }
    if !done {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("{key}: {value}\n"));
    }
    out
}

/// The `# comment` after a plain scalar value, if any.
fn comment_of(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t'))
        .map(|i| value[i..].trim_end())
}

/// The content hash of the edition folder `dir` (relative to `root`), `sha256:<hex>`.
/// `edition_yaml` replaces the text of `edition.yaml` when given (to hash a file about to be
/// written).
pub fn content_hash(root: &Path, dir: &Path, edition_yaml: Option<&str>) -> Result<String, Error> {
    let base = root.join(dir);
    let mut files: Vec<(String, PathBuf, bool)> = Vec::new();
    let walker = WalkDir::new(&base)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| base.clone(), Path::to_path_buf);
            Error::io(path, std::io::Error::other(e.to_string()))
        })?;
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let kind = entry.file_type();
        if kind.is_file() || kind.is_symlink() {
            let name = crate::error::display_path(rel);
            files.push((name, entry.path().to_path_buf(), kind.is_symlink()));
        }
    }
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut hasher = Sha256::new();
    for (name, path, is_link) in files {
        let bytes = if is_link {
            let target = std::fs::read_link(&path).map_err(|e| Error::io(&path, e))?;
            target.to_string_lossy().into_owned().into_bytes()
        } else if name == EDITION_FILE {
            let text = match edition_yaml {
                Some(t) => t.to_string(),
                None => std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?,
            };
            without_keys(&text, UNHASHED_KEYS).into_bytes()
        } else {
            std::fs::read(&path).map_err(|e| Error::io(&path, e))?
        };
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(bytes.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
    }
    Ok(format!("{PREFIX}{}", crate::write::hex(&hasher.finalize())))
}

fn is_well_formed(hash: &str) -> bool {
    hash.strip_prefix(PREFIX).is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Where a published edition stands against the hash recorded by `barometre publish`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freeze {
    /// A draft: free to change.
    Draft,
    /// Published but never frozen (no `content_hash`).
    NotFrozen,
    /// The folder is as it was published.
    Intact,
    /// The folder changed but `version` did not move past the frozen one.
    Changed { frozen: Option<String> },
    /// The folder changed and `version` moved past the frozen one: re-run `publish`.
    Bumped { frozen: String },
    /// `version` is lower than the frozen one.
    Downgraded { frozen: String },
    /// `content_hash` is not `sha256:<64 hex digits>`.
    Malformed,
}

/// The freeze state of an edition whose metadata is `meta` and folder `dir`.
pub fn state(root: &Path, dir: &Path, meta: &EditionFile) -> Result<Freeze, Error> {
    if meta.status != Status::Published {
        return Ok(Freeze::Draft);
    }
    let Some(recorded) = &meta.content_hash else {
        return Ok(Freeze::NotFrozen);
    };
    if !is_well_formed(recorded) {
        return Ok(Freeze::Malformed);
    }
    if content_hash(root, dir, None)? == *recorded {
        return Ok(Freeze::Intact);
    }
    let frozen = meta.content_hash_version.as_ref().map(|v| v.value.clone());
    let versions = frozen.as_deref().map(|f| {
        (
            semver::Version::parse(f),
            semver::Version::parse(&meta.version.value),
        )
    });
    Ok(match (frozen, versions) {
        (Some(frozen), Some((Ok(f), Ok(c)))) if c > f => Freeze::Bumped { frozen },
        (Some(frozen), Some((Ok(f), Ok(c)))) if c < f => Freeze::Downgraded { frozen },
        (frozen, _) => Freeze::Changed { frozen },
    })
}

/// The freeze checks of one edition, for `validate`.
pub fn check(project: &Project, ed: &EditionSource) -> Diagnostics {
    diagnostics(
        &project.root,
        &ed.dir,
        &ed.meta.value,
        &ed.meta.file,
        &ed.meta.text,
    )
}

/// The freeze checks of the edition in folder `dir` (relative to `root`), whose `edition.yaml`
/// is `file` with text `text`, parsed as `m`.
pub fn diagnostics(
    root: &Path,
    dir: &Path,
    m: &EditionFile,
    file: &Path,
    text: &str,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let state = match state(root, dir, m) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::file(
                dir,
                format!("cannot hash the edition: {e}"),
            ));
            return diags;
        }
    };
    let at = |key: &str| key_position(text, key).unwrap_or_default();
    let version = &m.version.value;
    match state {
        Freeze::Draft | Freeze::Intact => {}
        Freeze::NotFrozen => diags.push(
            Diagnostic::at(
                file,
                text,
                at("status"),
                format!("published edition `{id}` is not frozen: it has no `content_hash`"),
            )
            .with_hint(format!(
                "run `barometre publish {id}` to record its content hash"
            ))
            .warning(),
        ),
        Freeze::Malformed => diags.push(
            Diagnostic::at(
                file,
                text,
                at("content_hash"),
                "`content_hash` is not of the form `sha256:<64 hex digits>`",
            )
            .with_hint(format!(
                "it is written by `barometre publish {id}`: run it again rather than editing the line"
            )),
        ),
        Freeze::Changed { frozen } => {
            let frozen = frozen.unwrap_or_else(|| version.clone());
            let next = semver::Version::parse(version)
                .map(|mut v| {
                    v.patch += 1;
                    v.pre = semver::Prerelease::EMPTY;
                    format!(" (e.g. to {v})")
                })
                .unwrap_or_default();
            diags.push(
                Diagnostic::at(
                    file,
                    text,
                    m.version.pos,
                    format!(
                        "edition `{id}` was published at version {frozen} and its folder has changed since: a published edition is frozen"
                    ),
                )
                .with_hint(format!(
                    "bump `version`{next}, add a `changelog` entry for the new version, then run `barometre publish {id}` again; or undo the change"
                )),
            );
        }
        Freeze::Bumped { frozen } => {
            // Without a changelog entry for the new version, `validate` already reports it.
            if m.changelog.iter().any(|e| e.version.value == *version) {
                diags.push(
                    Diagnostic::at(
                        file,
                        text,
                        at("content_hash"),
                        format!(
                            "`content_hash` is the one of version {frozen}; the edition is now at {version}"
                        ),
                    )
                    .with_hint(format!(
                        "run `barometre publish {id}` to freeze version {version}"
                    ))
                    .warning(),
                );
            }
        }
        Freeze::Downgraded { frozen } => diags.push(
            Diagnostic::at(
                file,
                text,
                m.version.pos,
                format!(
                    "version {version} is lower than the published version {frozen}"
                ),
            )
            .with_hint("versions of a published edition only go up"),
        ),
    }
    diags
}

/// What `publish` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub id: String,
    pub version: String,
    pub hash: String,
    /// False when the edition was already published with this very hash.
    pub changed: bool,
}

/// `barometre publish <id>`: validates the project, then sets `status: published`,
/// `content_hash` and `content_hash_version` in the edition's `edition.yaml`, editing only
/// those lines (comments and layout are kept).
pub fn publish(opts: &crate::Options, id: &str) -> Result<Published, Error> {
    let root = &opts.root;
    let editions = Path::new("editions");
    if !is_valid_id(id) {
        return Err(Diagnostic::file(
            editions,
            format!("`{id}` is not an edition id: ids use only a-z, 0-9 and `-`"),
        )
        .into());
    }
    let dir = editions.join(id);
    if !root.join(&dir).join(EDITION_FILE).is_file() {
        let mut d = Diagnostic::file(
            &dir,
            format!("no edition `{id}`: no `{}`", {
                crate::error::display_path(&dir.join(EDITION_FILE))
            }),
        );
        let names = edition_ids(root);
        if let Some(h) = did_you_mean(id, names.iter().map(String::as_str)) {
            d = d.with_hint(h);
        }
        return Err(d.into());
    }
    // Everything `build` checks must pass first: an edition is frozen in a state that builds.
    // (A published edition changed without a version bump fails here, with its hint.)
    crate::load_site(opts)?;
    let rel = dir.join(EDITION_FILE);
    let text = crate::load::read_text(root, &rel)?;
    let meta: EditionFile = crate::load::yaml::parse(&rel, &text)?;
    let version = meta.version.value.clone();
    if !meta.changelog.iter().any(|e| e.version.value == version) {
        return Err(Diagnostic::at(
            &rel,
            &text,
            meta.version.pos,
            format!("no changelog entry for version {version}: a published version says what it holds"),
        )
        .with_hint(format!(
            "add to `changelog`: `- version: {version}`, `date: YYYY-MM-DD`, `changes: {{…}}` per language"
        ))
        .into());
    }
    // A draft again after publication is no way around the freeze: the same version cannot
    // be frozen twice with different contents.
    if let (Some(recorded), Some(frozen)) = (&meta.content_hash, &meta.content_hash_version)
        && frozen.value == version
        && *recorded != content_hash(root, &dir, None)?
    {
        return Err(Diagnostic::at(
            &rel,
            &text,
            meta.version.pos,
            format!("version {version} of `{id}` was published with other contents"),
        )
        .with_hint(format!(
            "bump `version`, add a `changelog` entry for the new version, then run `barometre publish {id}` again"
        ))
        .into());
    }
    let mut new_text = text.clone();
    if meta.content_hash.is_none() {
        if !new_text.is_empty() && !new_text.ends_with('\n') {
            new_text.push('\n');
        }
        new_text
            .push_str("# Written by `barometre publish`: the edition is frozen at this version.\n");
    }
    new_text = set_key(&new_text, "status", Status::Published.as_str());
    new_text = set_key(&new_text, "content_hash_version", &version);
    let hash = content_hash(root, &dir, Some(&new_text))?;
    new_text = set_key(&new_text, "content_hash", &hash);
    let changed = new_text != text;
    if changed {
        // Make sure the edit kept the file valid before replacing it.
        let check: EditionFile = crate::load::yaml::parse(&rel, &new_text)?;
        debug_assert_eq!(check.content_hash.as_deref(), Some(hash.as_str()));
        let path = root.join(&rel);
        let tmp = path.with_file_name(format!(".{EDITION_FILE}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, &new_text).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(&path, e)
        })?;
    }
    Ok(Published {
        id: id.to_string(),
        version,
        hash,
        changed,
    })
}

/// Folder names under `editions/`, sorted.
pub fn edition_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("editions"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_drops_only_the_publish_lines() {
        let text = "id: x\nstatus: published # frozen\ncontent_hash: sha256:00\ncontent_hash_version:\n  1.0.0\nstatus_note: kept\nversion: 1.0.0\n";
        assert_eq!(
            without_keys(text, UNHASHED_KEYS),
            "id: x\nstatus_note: kept\nversion: 1.0.0\n"
        );
    }

    #[test]
    fn set_key_keeps_comments_and_appends_when_missing() {
        let text = "id: x\nstatus: draft   # to publish\nversion: 1.0.0";
        let t = set_key(text, "status", "published");
        assert_eq!(t, "id: x\nstatus: published # to publish\nversion: 1.0.0");
        let t = set_key(&t, "content_hash", "sha256:ab");
        assert_eq!(
            t,
            "id: x\nstatus: published # to publish\nversion: 1.0.0\ncontent_hash: sha256:ab\n"
        );
        assert_eq!(
            set_key(&t, "content_hash", "sha256:cd")
                .matches("content_hash")
                .count(),
            1
        );
        // CRLF files stay CRLF.
        assert_eq!(
            set_key("status: draft\r\nid: x\r\n", "status", "published"),
            "status: published\r\nid: x\r\n"
        );
    }

    #[test]
    fn hash_ignores_publish_lines_and_sees_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let ed = Path::new("editions/e");
        std::fs::create_dir_all(root.join(ed).join("pages")).unwrap();
        std::fs::write(root.join(ed).join("edition.yaml"), "id: e\nstatus: draft\n").unwrap();
        std::fs::write(root.join(ed).join("pages/a.fr.md"), "x").unwrap();
        std::fs::write(root.join(ed).join(".hidden"), "ignored").unwrap();
        let h1 = content_hash(root, ed, None).unwrap();
        assert!(is_well_formed(&h1), "{h1}");
        let h2 = content_hash(
            root,
            ed,
            Some("id: e\nstatus: published\ncontent_hash: sha256:1\n"),
        )
        .unwrap();
        assert_eq!(h1, h2);
        std::fs::write(root.join(ed).join("pages/a.fr.md"), "y").unwrap();
        assert_ne!(h1, content_hash(root, ed, None).unwrap());
        std::fs::write(root.join(ed).join("pages/a.fr.md"), "x").unwrap();
        std::fs::rename(
            root.join(ed).join("pages/a.fr.md"),
            root.join(ed).join("pages/b.fr.md"),
        )
        .unwrap();
        assert_ne!(
            h1,
            content_hash(root, ed, None).unwrap(),
            "a rename changes the hash"
        );
    }
}
