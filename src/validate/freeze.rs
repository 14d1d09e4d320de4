//! Published editions are frozen.
//!
//! `barometre publish <id>` records in `edition.yaml` the content hash of the edition's folder
//! (`content_hash`) and the version it was taken for (`content_hash_version`); the loader hashes
//! the folder again from the bytes it read. A folder that changed without a new `version` (and
//! a changelog entry for it) is an error. Once a hash is recorded the folder stays frozen
//! whatever its `status` says: an edition set back to `status: draft` and edited is reported
//! (a warning here, and `publish` refuses to freeze that version again).

use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Position};
use crate::load::hash::{is_key_line, is_well_formed};
use crate::load::schema::{EditionFile, Status};

/// Where an edition stands against the hash recorded by `barometre publish`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Freeze {
    /// Never published: free to change.
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

/// The freeze state of an edition whose metadata is `meta` and whose folder hashes to `hash`
/// (the loader computes it whenever `content_hash` is recorded).
pub(crate) fn state(meta: &EditionFile, hash: Option<&str>) -> Freeze {
    let Some(recorded) = &meta.content_hash else {
        return if meta.status == Status::Published {
            Freeze::NotFrozen
        } else {
            Freeze::Draft
        };
    };
    if !is_well_formed(recorded) {
        return Freeze::Malformed;
    }
    if hash == Some(recorded.as_str()) {
        return Freeze::Intact;
    }
    let frozen = meta.content_hash_version.as_ref().map(|v| v.value.clone());
    let versions = frozen.as_deref().map(|f| {
        (
            semver::Version::parse(f),
            semver::Version::parse(&meta.version.value),
        )
    });
    match (frozen, versions) {
        (Some(frozen), Some((Ok(f), Ok(c)))) if c > f => Freeze::Bumped { frozen },
        (Some(frozen), Some((Ok(f), Ok(c)))) if c < f => Freeze::Downgraded { frozen },
        (frozen, _) => Freeze::Changed { frozen },
    }
}

/// The 1-based line of the top-level entry `key:` in `text`.
pub fn key_position(text: &str, key: &str) -> Option<Position> {
    text.split('\n')
        .position(|l| is_key_line(l, key))
        .map(|i| Position::new(i + 1, 1))
}

/// The freeze checks of edition `id`, whose `edition.yaml` is `file` with text `text`,
/// parsed as `m`, and whose folder hashes to `hash`.
pub(crate) fn diagnostics(
    id: &str,
    m: &EditionFile,
    hash: Option<&str>,
    file: &Path,
    text: &str,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let at = |key: &str| key_position(text, key).unwrap_or_default();
    let version = &m.version.value;
    let draft = m.status == Status::Draft;
    match state(m, hash) {
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
            let hint = format!(
                "bump `version`{next}, add a `changelog` entry for the new version, then run `barometre publish {id}` again; or undo the change"
            );
            if draft {
                // Set back to draft after publication: the folder is still frozen.
                diags.push(
                    Diagnostic::at(
                        file,
                        text,
                        at("status"),
                        format!(
                            "edition `{id}` was published at version {frozen} and is marked `status: draft`, but it stays frozen: its folder has changed since without a new version"
                        ),
                    )
                    .with_hint(format!("{hint}; `publish` will refuse version {frozen}"))
                    .warning(),
                );
            } else {
                diags.push(
                    Diagnostic::at(
                        file,
                        text,
                        m.version.pos,
                        format!(
                            "edition `{id}` was published at version {frozen} and its folder has changed since: a published edition is frozen"
                        ),
                    )
                    .with_hint(hint),
                );
            }
        }
        Freeze::Bumped { frozen } => {
            // Without a changelog entry for the new version, `validate` already reports it.
            if !draft && m.changelog.iter().any(|e| e.version.value == *version) {
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
                format!("version {version} is lower than the published version {frozen}"),
            )
            .with_hint("versions of a published edition only go up"),
        ),
    }
    diags
}

/// A line for the integrity table of `check`. `draft`: the edition says `status: draft`.
pub(crate) fn describe(id: &str, state: &Freeze, draft: bool) -> String {
    match state {
        Freeze::Changed { frozen } if draft => format!(
            "marked draft but frozen at {}: CHANGED without a new version (warning)",
            frozen.as_deref().unwrap_or("its version")
        ),
        Freeze::Intact if draft => "marked draft, frozen: content hash matches".into(),
        Freeze::Draft => "draft".into(),
        Freeze::Intact => "published, frozen: content hash matches".into(),
        Freeze::NotFrozen => format!("published, not frozen: run `barometre publish {id}`"),
        Freeze::Changed { .. } => "published, CHANGED without a new version (error)".into(),
        Freeze::Bumped { frozen } => {
            format!("published, new version since {frozen}: run `barometre publish {id}`")
        }
        Freeze::Downgraded { frozen } => format!("published, version below {frozen} (error)"),
        Freeze::Malformed => "published, content_hash malformed (error)".into(),
    }
}
