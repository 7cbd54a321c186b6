//! Ctrl-C and SIGTERM (a `timeout`, a Kubernetes eviction): the handler only records the
//! signal; the writer notices it before its next chunk and fails the run, which removes the
//! temporary data like any other failure. The first signal of each kind is handled this way;
//! a second one ends the process at once (the next run removes what it left).

use std::sync::atomic::{AtomicI32, Ordering};

use super::RunError;

/// The signal received, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

extern "C" fn record(signal: libc::c_int) {
    RECEIVED.store(signal, Ordering::SeqCst);
}

/// Routes SIGINT and SIGTERM to [`received`] instead of ending the process.
pub fn install() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `record` only stores into an atomic, which is async-signal-safe; the
        // sigaction struct is fully initialised (zeroed, then mask emptied) before use.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = record as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The signal that asked the run to stop, if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// The signal's name, as a user knows it.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT (Ctrl-C)",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

/// Fails once a signal has arrived, so the run stops between two chunks.
pub(super) fn check() -> Result<(), RunError> {
    match received() {
        None => Ok(()),
        Some(s) => Err(RunError(format!("stopped by {}", name(s)))),
    }
}
