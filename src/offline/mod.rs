//! Above render and write: what gathers the rendered site for readers without a network and
//! for partners who copy it. Each part is a [`Sink`](crate::write::Sink) placed in front of
//! the output's sink: it sees every file as it is rendered, passes it on, and adds its own
//! files when asked to finish. Nothing here reads the output back from disk.
//!
//! - [`print`]: gathers each edition's chapters into `<lang>/<editions>/<id>/print.html`;
//! - [`search`]: a per-language search index from the rendered pages, loaded as a script
//!   (works from `file://`);
//! - [`links`]: the offline link check of every rendered page (and of a folder, for `verify`
//!   and tests);
//! - [`package`]: `build --package` zips (`downloads/`), each a site that opens from disk;
//! - [`verify`]: `barometre verify DIR`, a copy checked against its `manifest.json`.

pub(crate) mod links;
pub(crate) mod package;
pub(crate) mod print;
pub(crate) mod search;
pub(crate) mod verify;
