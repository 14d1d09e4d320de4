//! The author's tools around the pipeline: `new edition` ([`scaffold`]) and `publish`
//! ([`publish`]). They write into the project, never into the output.

pub(crate) mod publish;
pub(crate) mod scaffold;
