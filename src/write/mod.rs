//! Stage 5 — write: where rendered files go. [`Sink`] is the interface every consumer of
//! render's output implements (this stage's folder and memory sinks, the offline stage's
//! collectors, the progress bar); [`Staging`] writes into a temporary folder next to the
//! output, adds `manifest.json`, then swaps it in. A failed build removes its temporary
//! folder and leaves the previous output as it was.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error};
pub(crate) use crate::load::hash::hex;
use crate::render::Output;

/// Where render's outputs go (called from several threads at once).
pub(crate) trait Sink: Sync {
    fn put(&self, output: Output<'_>) -> Result<(), Error>;
}

/// One file of the output as listed in `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub files: Vec<ManifestEntry>,
}

pub const MANIFEST: &str = "manifest.json";

/// Writes files under a folder and remembers their size and hash for the manifest.
pub(crate) struct DirSink {
    dir: PathBuf,
    entries: Mutex<Vec<ManifestEntry>>,
}

impl DirSink {
    pub(crate) fn new(dir: PathBuf) -> Self {
        DirSink {
            dir,
            entries: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn into_entries(self) -> Vec<ManifestEntry> {
        let mut e = self.entries.into_inner().unwrap_or_else(|e| e.into_inner());
        e.sort_by(|a, b| a.path.cmp(&b.path));
        e
    }
}

/// Refuses any output path that is not a plain relative path (defence in depth: ids and
/// slugs are validated already, but nothing may be written outside the output folder).
pub(crate) fn check_output_path(path: &str) -> Result<&Path, Error> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(p)
    } else {
        Err(Diagnostic::file(path, "refusing to write outside the output folder").into())
    }
}

impl Sink for DirSink {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        let Output::File(f) = output else {
            return Ok(());
        };
        let (path, bytes) = (f.path, f.bytes);
        let rel = check_output_path(path)?;
        let full = self.dir.join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&full, bytes).map_err(|e| Error::io(&full, e))?;
        let entry = ManifestEntry {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        };
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }
}

/// Counts files without writing them (`barometre check`).
#[derive(Default)]
pub(crate) struct NullSink {
    pub files: std::sync::atomic::AtomicUsize,
}

impl Sink for NullSink {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = output {
            check_output_path(f.path)?;
            self.files
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Keeps the files in memory (`barometre serve`).
#[derive(Default)]
pub(crate) struct MemorySink {
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Sink for MemorySink {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        if let Output::File(f) = output {
            check_output_path(f.path)?;
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((f.path.to_string(), f.bytes.to_vec()));
        }
        Ok(())
    }
}

impl MemorySink {
    pub(crate) fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Refuses output folders whose replacement would destroy something: the project itself, one
/// of its input folders, or a non-empty folder that is not a previous output (no manifest).
pub(crate) fn check_output_dir(project: &Path, out: &Path) -> Result<(), Error> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| normalize(&a))
            .map_err(|e| Error::io(p, e))
    };
    let project = abs(project)?;
    let out_abs = abs(out)?;
    let refuse = |why: &str| -> Result<(), Error> {
        Err(Diagnostic::file(
            out,
            format!(
                "refusing to use `{}` as output folder: {why}",
                out.display()
            ),
        )
        .with_hint("choose a folder of its own, e.g. `public`")
        .into())
    };
    if project.starts_with(&out_abs) {
        return refuse("it contains the project");
    }
    for input in ["site.yaml", "content", "editions", "themes", "src"] {
        if out_abs.starts_with(project.join(input)) {
            return refuse("it is inside the project's inputs");
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() && !out.join(MANIFEST).is_file() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| Error::io(out, e))?
            .next()
            .is_none();
        if !empty {
            return refuse("it is not empty and holds no manifest.json of a previous build");
        }
    }
    Ok(())
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A temporary folder beside `out` that removes itself unless it was swapped in.
pub(crate) struct Staging {
    out: PathBuf,
    tmp: Option<PathBuf>,
}

impl Staging {
    pub(crate) fn new(out: &Path) -> Result<(Staging, DirSink), Error> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok((
            Staging {
                out: out.to_path_buf(),
                tmp: Some(tmp.clone()),
            },
            DirSink::new(tmp),
        ))
    }

    /// Writes `manifest.json` and replaces the output folder by the staged one.
    pub(crate) fn commit(mut self, sink: DirSink) -> Result<Manifest, Error> {
        let dir = sink.dir().to_path_buf();
        let manifest = Manifest {
            generator: format!("barometre {}", env!("CARGO_PKG_VERSION")),
            files: sink.into_entries(),
        };
        let mut json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::io(MANIFEST, std::io::Error::other(e)))?;
        json.push(b'\n');
        let mpath = dir.join(MANIFEST);
        std::fs::write(&mpath, json).map_err(|e| Error::io(&mpath, e))?;
        let Some(tmp) = self.tmp.take() else {
            return Ok(manifest);
        };
        if self.out.exists() {
            let old = tmp.with_file_name(
                tmp.file_name()
                    .map(|n| n.to_string_lossy().replace(".tmp-", ".old-"))
                    .unwrap_or_else(|| "old".into()),
            );
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, e))?;
            if let Err(e) = std::fs::rename(&tmp, &self.out) {
                // Put the previous output back before reporting.
                let _ = std::fs::rename(&old, &self.out);
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(Error::io(&self.out, e));
            }
            remove_tree(&old).map_err(|e| Error::io(&old, e))?;
        } else {
            std::fs::rename(&tmp, &self.out).map_err(|e| Error::io(&self.out, e))?;
        }
        Ok(manifest)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_dir_all(tmp);
        }
    }
}

/// Removes a folder tree, its sub-folders in parallel: deleting the previous output of a large
/// site is otherwise a long single-threaded tail of the build.
pub(crate) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}
