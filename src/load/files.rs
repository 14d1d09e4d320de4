//! The file system, as the loader sees it: every path is relative to the project root, may
//! not leave it (no `..`, no symbolic link leading outside), and folders are listed sorted,
//! hidden entries skipped. Text must be UTF-8; a file that is not gets an error that says what
//! it looks like (a Latin-1 or Windows-1252 export, UTF-16) and how to fix it.

use std::path::{Component, Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Position};

/// `root/rel`, after checking that it does not escape `root` through `..` or a symlink.
pub(crate) fn inside_root(root: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
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
                crate::error::display_path(&real)
            ),
        )
        .with_hint("copy the file into the project instead of linking it"));
    }
    Ok(path)
}

/// The bytes of a project file.
pub(crate) fn read_bytes(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    let path = inside_root(root, rel)?;
    std::fs::read(&path).map_err(|e| {
        let msg = if e.kind() == std::io::ErrorKind::NotFound {
            "file not found".to_string()
        } else {
            format!("cannot read: {e}")
        };
        Diagnostic::file(rel, msg)
    })
}

/// A project file as UTF-8 text.
pub(crate) fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    decode(rel, read_bytes(root, rel)?)
}

/// `bytes` as UTF-8 text, or an error at the first invalid byte saying what the encoding
/// looks like. A UTF-8 byte order mark is kept (the front matter splitter skips it).
pub(crate) fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        not_utf8(rel, e.as_bytes(), valid)
    })
}

/// The error for `bytes` (of `rel`), valid UTF-8 up to `valid`.
pub(crate) fn not_utf8(rel: &Path, bytes: &[u8], valid: usize) -> Diagnostic {
    let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..valid]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..valid])
        .chars()
        .count()
        + 1;
    let line_end = bytes[valid..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| valid + i);
    let raw_line = &bytes[line_start..line_end];
    let (message, hint) = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        (
            "file is not UTF-8 (it looks like UTF-16)".to_string(),
            "save or re-export the file as UTF-8".to_string(),
        )
    } else if looks_like_latin1(bytes) {
        (
            format!(
                "file is not UTF-8 (it looks like Latin-1/Windows-1252: this line would read `{}`)",
                windows_1252(raw_line).trim_end_matches('\r')
            ),
            "re-export the file as UTF-8 (in Excel: « CSV UTF-8 »; in a text editor: save with encoding UTF-8)"
                .to_string(),
        )
    } else {
        (
            "file is not valid UTF-8".to_string(),
            "save the file as UTF-8".to_string(),
        )
    };
    let mut d = Diagnostic::file(rel, message).with_hint(hint);
    d.pos = Position::new(line, column);
    d.snippet = Some(
        String::from_utf8_lossy(raw_line)
            .trim_end_matches('\r')
            .to_string(),
    );
    d
}

/// Invalid UTF-8 where a high byte stands alone among ASCII (`Plut\xF4t`), as a Latin-1 or
/// Windows-1252 export writes accented letters (in UTF-8 a lead byte is always followed by
/// continuation bytes, and a continuation byte never follows ASCII).
fn looks_like_latin1(bytes: &[u8]) -> bool {
    !bytes.contains(&0)
        && bytes
            .windows(2)
            .any(|w| (w[0] >= 0xC0 && w[1] < 0x80) || (w[0] < 0x80 && (0x80..0xC0).contains(&w[1])))
}

/// Decodes Windows-1252 (a superset of Latin-1's printable range), for showing what a line of
/// a mis-encoded file says.
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Sorted entries of a directory (files or directories), relative to the root. Hidden entries
/// are skipped; a symbolic link leading outside the project is reported and skipped.
pub(crate) fn list_dir(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    dirs: bool,
) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
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

/// A file found by [`walk_files`].
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Relative to the project root.
    pub rel: PathBuf,
    /// A symbolic link (inside the project): hashed as its target's path.
    pub link: Option<PathBuf>,
}

/// Every file under `dir`, recursively, sorted by path, relative to the root. Hidden files and
/// folders are skipped; symbolic links are kept when they stay inside the project.
pub(crate) fn walk_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Found> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&base)
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
                Ok(p) if p.is_file() => {
                    let link = std::fs::read_link(entry.path()).ok();
                    out.push(Found { rel, link });
                }
                Ok(_) => {}
                Err(d) => diags.push(d),
            }
        } else if entry.file_type().is_file() {
            out.push(Found { rel, link: None });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_named_with_the_line_it_would_read() {
        let bytes = b"id,q1\n1,Plut\xF4t oui\n".to_vec();
        let d = decode(Path::new("data/r.csv"), bytes).unwrap_err();
        assert_eq!(d.pos, Position::new(2, 7), "{d}");
        let text = d.to_string();
        assert!(text.contains("Latin-1/Windows-1252"), "{text}");
        assert!(text.contains("`1,Plutôt oui`"), "{text}");
        assert!(text.contains("re-export the file as UTF-8"), "{text}");
    }

    #[test]
    fn utf16_and_garbage_are_told_apart() {
        let d = decode(Path::new("a.md"), vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(d.message.contains("UTF-16"), "{d}");
        let d = decode(Path::new("a.md"), vec![b'a', 0x80, 0x80, 0]).unwrap_err();
        assert_eq!(d.message, "file is not valid UTF-8");
    }
}
