//! `barometre verify DIR`: checks a copy of the site (a mirror, an unzipped package) against the
//! `manifest.json` it carries: every listed file present with its size and sha256, and no file
//! that the manifest does not list.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::display_path;
use crate::write::{MANIFEST, Manifest, hex};

/// What differs between a folder and its manifest. Paths are relative to the folder, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files the manifest lists.
    pub listed: usize,
    /// Listed files found with the right size and sha256.
    pub ok: usize,
    pub missing: Vec<String>,
    /// Present with another size or sha256.
    pub altered: Vec<String>,
    /// Present but not listed.
    pub extra: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.altered.is_empty() && self.extra.is_empty()
    }
}

/// Why a folder could not be verified at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}: no manifest.json: is this a folder built by barometre?")]
    NoManifest(String),
    #[error("{path}: not a manifest of barometre: {message}")]
    BadManifest { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Compares `dir` with `dir/manifest.json`.
pub fn verify_dir(dir: &Path) -> Result<Report, VerifyError> {
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |source| VerifyError::Io { path, source }
    };
    let mpath = dir.join(MANIFEST);
    if !mpath.is_file() {
        return Err(VerifyError::NoManifest(dir.display().to_string()));
    }
    let text = std::fs::read(&mpath).map_err(io(&mpath))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| VerifyError::BadManifest {
            path: mpath.display().to_string(),
            message: e.to_string(),
        })?;
    let mut on_disk: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| VerifyError::Io {
            path: dir.display().to_string(),
            source: std::io::Error::other(e),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let rel = display_path(rel);
            if rel != MANIFEST {
                on_disk.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    let mut report = Report {
        listed: manifest.files.len(),
        ..Report::default()
    };
    for f in &manifest.files {
        match on_disk.remove(&f.path) {
            None => report.missing.push(f.path.clone()),
            Some(full) => {
                let meta = std::fs::metadata(&full).map_err(io(&full))?;
                let same = meta.len() == f.size && {
                    let bytes = std::fs::read(&full).map_err(io(&full))?;
                    hex(&Sha256::digest(&bytes)) == f.sha256
                };
                if same {
                    report.ok += 1;
                } else {
                    report.altered.push(f.path.clone());
                }
            }
        }
    }
    report.extra = on_disk.into_keys().collect();
    report.missing.sort();
    report.altered.sort();
    Ok(report)
}

/// `barometre verify DIR`: prints each difference and a summary. Exit code 0 when the copy is
/// identical to its manifest, 1 on any difference, 3 when it cannot be read.
pub fn run(dir: &Path) -> std::process::ExitCode {
    match verify_dir(dir) {
        Ok(report) => {
            for (what, list) in [
                ("missing", &report.missing),
                ("altered", &report.altered),
                ("extra", &report.extra),
            ] {
                for path in list {
                    println!("{what}: {path}");
                }
            }
            if report.is_clean() {
                println!(
                    "verified {} files in {}: identical to its manifest",
                    report.ok,
                    dir.display()
                );
                std::process::ExitCode::SUCCESS
            } else {
                eprintln!(
                    "error: {} differs from its manifest: {} missing, {} altered, {} extra ({} of {} listed files intact)",
                    dir.display(),
                    report.missing.len(),
                    report.altered.len(),
                    report.extra.len(),
                    report.ok,
                    report.listed
                );
                std::process::ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(3)
        }
    }
}
