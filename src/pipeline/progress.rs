//! What a run shows on stderr while it works (only when stderr is a terminal and not
//! `--quiet`): users, claims, bytes and MB/s, the output path with the free space left on its
//! file system, and an ETA, then a line for the closing step (Parquet footers, the users file,
//! the manifest). The ETA divides the users left by the mean rate since the first chunk:
//! beneficiaries are drawn independently, so the mean converges instead of swinging with each
//! heavy-tailed chunk. Text bytes are counted as chunks are written; Parquet bytes only reach
//! the disk when row groups close, so they appear in the summary.

use std::cell::Cell;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::schedule::Rendered;
use super::units;
use crate::emit::PartData;

/// The bar of the chunk loop.
pub(super) struct Progress {
    bar: ProgressBar,
    users: u64,
    done: u64,
    claims: u64,
    bytes: u64,
    started: Instant,
    out: PathBuf,
    /// Free space of `out`'s file system and when it was read (at most once a second).
    free: Cell<(Option<u64>, Option<Instant>)>,
}

/// What one chunk adds to the counts.
pub(super) struct Step {
    users: u64,
    claims: u64,
    bytes: u64,
}

impl Step {
    /// Counted before the chunk is handed on (its parts move to the writer).
    pub(super) fn of(r: &Rendered) -> Step {
        let text: usize = r
            .parts
            .iter()
            .map(|p| match &p.data {
                PartData::Bytes(b) => b.len(),
                PartData::Encoded(_) => 0,
            })
            .sum();
        Step {
            users: r.tallies.len() as u64,
            claims: r.claims,
            bytes: text as u64 + r.files.iter().map(|f| f.bytes.len() as u64).sum::<u64>(),
        }
    }
}

fn visible(enabled: bool) -> bool {
    enabled && io::stderr().is_terminal()
}

impl Progress {
    /// A bar for `users` beneficiaries written into `out` (hidden unless `enabled` and stderr
    /// is a terminal).
    pub(super) fn new(enabled: bool, users: u64, out: &Path) -> Progress {
        let bar = if visible(enabled) {
            let bar = ProgressBar::with_draw_target(Some(users), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {prefix}\n  {wide_msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        } else {
            ProgressBar::hidden()
        };
        let progress = Progress {
            bar,
            users,
            done: 0,
            claims: 0,
            bytes: 0,
            started: Instant::now(),
            out: out.to_path_buf(),
            free: Cell::new((None, None)),
        };
        progress.redraw();
        progress
    }

    /// Counts a written chunk and redraws the message.
    pub(super) fn advance(&mut self, step: Step) {
        self.done += step.users;
        self.claims += step.claims;
        self.bytes += step.bytes;
        self.bar.set_position(self.done);
        self.redraw();
    }

    fn redraw(&self) {
        if !self.bar.is_hidden() {
            let (counts, volume) = self.lines();
            self.bar.set_prefix(counts);
            self.bar.set_message(volume);
        }
    }

    /// The first line's counts and ETA, and the second line's volume, speed and destination.
    fn lines(&self) -> (String, String) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let eta = if self.done == 0 || secs < 2.0 {
            "ETA …".to_string()
        } else {
            let left = (self.users - self.done) as f64 * secs / self.done as f64;
            format!("ETA {}", units::duration(left.round() as u64))
        };
        let counts = format!(
            "{}/{} users · {eta}",
            units::thousands(self.done),
            units::thousands(self.users)
        );
        let free = self
            .free_space()
            .map_or(String::new(), |f| format!(" ({} free)", units::bytes(f)));
        let volume = format!(
            "{} · {} at {}/s → {}{free}",
            units::count(self.claims, "claim", "claims"),
            units::bytes(self.bytes),
            units::bytes((self.bytes as f64 / secs) as u64),
            self.out.display()
        );
        (counts, volume)
    }

    fn free_space(&self) -> Option<u64> {
        let (free, read_at) = self.free.get();
        if read_at.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return free;
        }
        let free = super::estimate::free_space(&self.out).ok();
        self.free.set((free, Some(Instant::now())));
        free
    }

    /// Removes the bar from the screen (also on failure and interruption).
    pub(super) fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// A spinner for the closing step; dropping it clears the line.
pub(super) struct Closing(ProgressBar);

impl Closing {
    /// Shows `what` with a spinner until dropped.
    pub(super) fn start(enabled: bool, what: &str) -> Closing {
        if !visible(enabled) {
            return Closing(ProgressBar::hidden());
        }
        let s = ProgressBar::new_spinner();
        s.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .expect("valid template"),
        );
        s.set_message(what.to_string());
        s.enable_steady_tick(Duration::from_millis(250));
        Closing(s)
    }
}

impl Drop for Closing {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Prints a line on stderr (notices that must be read even with `--quiet`).
pub fn notice(text: &str) {
    eprintln!("bbgen: {text}");
}
