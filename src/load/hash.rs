//! The content hash of an edition folder, computed from the bytes the loader read (the folder
//! is read once; `validate` compares the hash with the one `barometre publish` recorded).
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

use sha2::{Digest, Sha256};

/// The name of an edition's metadata file.
pub(crate) const EDITION_FILE: &str = "edition.yaml";

/// Top-level keys of `edition.yaml` left out of the hash (`publish` writes them).
pub const UNHASHED_KEYS: &[&str] = &["content_hash", "content_hash_version", "status"];

pub(crate) const PREFIX: &str = "sha256:";

/// One file of an edition folder as hashed: its path from the edition folder (`/`
/// separators) and what it contributes (bytes, or a symbolic link's target path).
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub name: String,
    pub bytes: &'a [u8],
}

/// The content hash of an edition from its files. `edition.yaml` is normalised here; the
/// entries may come in any order.
pub(crate) fn content_hash(entries: &[Entry<'_>]) -> String {
    let mut sorted: Vec<&Entry<'_>> = entries.iter().collect();
    sorted.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let mut hasher = Sha256::new();
    for e in sorted {
        let normalised;
        let bytes = if e.name == EDITION_FILE {
            normalised = without_keys(&String::from_utf8_lossy(e.bytes), UNHASHED_KEYS);
            normalised.as_bytes()
        } else {
            e.bytes
        };
        hasher.update(e.name.as_bytes());
        hasher.update([0]);
        hasher.update(bytes.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
    }
    format!("{PREFIX}{}", hex(&hasher.finalize()))
}

/// Is `hash` of the form `sha256:<64 lowercase hex digits>`?
pub(crate) fn is_well_formed(hash: &str) -> bool {
    hash.strip_prefix(PREFIX).is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

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
pub(crate) fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
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
    fn hash_ignores_publish_lines_and_order_and_sees_everything_else() {
        let entry = |name: &str, bytes: &'static [u8]| Entry {
            name: name.into(),
            bytes,
        };
        let a = content_hash(&[
            entry("edition.yaml", b"id: e\nstatus: draft\n"),
            entry("pages/a.fr.md", b"x"),
        ]);
        assert!(is_well_formed(&a), "{a}");
        let b = content_hash(&[
            entry("pages/a.fr.md", b"x"),
            entry(
                "edition.yaml",
                b"id: e\nstatus: published\ncontent_hash: sha256:1\n",
            ),
        ]);
        assert_eq!(a, b);
        let c = content_hash(&[
            entry("edition.yaml", b"id: e\n"),
            entry("pages/a.fr.md", b"y"),
        ]);
        assert_ne!(a, c);
        let renamed = content_hash(&[
            entry("edition.yaml", b"id: e\n"),
            entry("pages/b.fr.md", b"x"),
        ]);
        assert_ne!(a, renamed, "a rename changes the hash");
    }

    /// The definition, computed independently with Python's hashlib.
    #[test]
    fn hash_matches_the_documented_definition() {
        // python3 -c 'import hashlib; h=hashlib.sha256(); [h.update(n+b"\0"+str(len(b)).encode()+b"\0"+b) for n,b in [(b"edition.yaml",b"id: e\n"),(b"pages/a.fr.md",b"x")]]; print(h.hexdigest())'
        let h = content_hash(&[
            Entry {
                name: "pages/a.fr.md".into(),
                bytes: b"x",
            },
            Entry {
                name: "edition.yaml".into(),
                bytes: b"id: e\nstatus: draft\n",
            },
        ]);
        assert_eq!(
            h,
            "sha256:74ee2e73453a8c219c2d61517b992d9ad9f82341ba3fb66631df713d1f453239"
        );
    }
}
