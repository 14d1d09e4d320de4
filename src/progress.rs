//! Progress on the terminal: a bar that shows up only when the work lasts more than a
//! moment, only when asked (the command line asks when stderr is a terminal and `--quiet` is
//! off: nothing is drawn in CI logs).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;
use crate::render::Output;
use crate::write::Sink;

/// How long work runs before its progress is drawn.
pub(crate) const DELAY: Duration = Duration::from_millis(400);

/// A progress bar, hidden until [`DELAY`] has passed (and for good when disabled). Dropping
/// it clears the bar, so an early return leaves no half-drawn line.
pub(crate) struct Progress {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
}

impl Progress {
    /// Starts the clock. `enabled: false` gives a progress that never draws.
    pub(crate) fn start(enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let done = Arc::new(AtomicBool::new(false));
        if enabled {
            let (bar, done) = (bar.clone(), Arc::clone(&done));
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                if !done.load(Ordering::SeqCst) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar, done }
    }

    /// A stage without a known length (loading, checking links…).
    pub(crate) fn stage(&self, message: &'static str) {
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.bar.set_length(0);
        self.bar.set_message(message);
    }

    /// A stage of `total` steps, advanced by [`Progress::inc`] or a [`Counting`] sink.
    pub(crate) fn steps(&self, message: &'static str, total: u64) {
        self.bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.bar.set_position(0);
        self.bar.set_length(total);
        self.bar.set_message(message);
    }

    pub(crate) fn inc(&self) {
        self.bar.inc(1);
    }

    /// Removes the bar from the terminal.
    pub(crate) fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }

    /// `inner`, counting each file put into it as a step.
    pub(crate) fn counting<'a>(&'a self, inner: &'a dyn Sink) -> Counting<'a> {
        Counting {
            inner,
            progress: self,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A sink that advances a progress bar on each file.
pub(crate) struct Counting<'a> {
    inner: &'a dyn Sink,
    progress: &'a Progress,
}

impl Sink for Counting<'_> {
    fn put(&self, output: Output<'_>) -> Result<(), Error> {
        let file = matches!(output, Output::File(_));
        let r = self.inner.put(output);
        if file {
            self.progress.inc();
        }
        r
    }
}
