//! `barometre publish <id>`: freezes an edition. It sets `status: published` in
//! `editions/<id>/edition.yaml` and records there the hash of the edition's folder
//! (`content_hash`, defined in `load::hash`) and the version it was taken for
//! (`content_hash_version`), editing only those lines. From then on `validate` refuses a
//! change to the folder without a new version (see `validate::freeze`).

use std::path::Path;

use crate::error::{Diagnostic, Error, did_you_mean};
use crate::load::hash::{EDITION_FILE, is_key_line};
use crate::load::schema::{EditionFile, Status};
use crate::syntax::is_valid_id;

/// The content hash of the edition folder `dir` (relative to `root`), read as the loader reads
/// it; `edition_yaml` replaces the text of `edition.yaml` (to hash a file about to be written).
pub fn content_hash(root: &Path, dir: &Path, edition_yaml: Option<&str>) -> Result<String, Error> {
    let mut diags = crate::error::Diagnostics::new();
    let found = crate::load::files::walk_files(root, dir, &mut diags);
    if let Some(d) = diags.0.into_iter().next() {
        return Err(d.into());
    }
    let mut read = Vec::new();
    for f in found {
        let name = crate::error::display_path(f.rel.strip_prefix(dir).unwrap_or(&f.rel));
        let bytes = match (&f.link, edition_yaml) {
            (Some(target), _) => target.to_string_lossy().into_owned().into_bytes(),
            (None, Some(text)) if name == EDITION_FILE => text.as_bytes().to_vec(),
            (None, _) => crate::load::files::read_bytes(root, &f.rel)?,
        };
        read.push((name, bytes));
    }
    let entries: Vec<crate::load::hash::Entry<'_>> = read
        .iter()
        .map(|(name, bytes)| crate::load::hash::Entry {
            name: name.clone(),
            bytes,
        })
        .collect();
    Ok(crate::load::hash::content_hash(&entries))
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
pub fn publish(opts: &crate::pipeline::Options, id: &str) -> Result<Published, Error> {
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
    crate::pipeline::load_site(opts, true).map_err(|f| f.error)?;
    let rel = dir.join(EDITION_FILE);
    let text = crate::load::files::read_text(root, &rel)?;
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
pub(crate) fn edition_ids(root: &Path) -> Vec<String> {
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
}
