//! Cooperative cancellation: a caller that may give up on a long analysis (a server whose client went
//! away, or whose deadline passed) runs it inside [`scoped`] with a flag, and raises the flag to stop
//! it. The engine looks at the flag between the layers of the Pareto dynamic programme (and every few
//! thousand prefixes within one), between robustness draws and between timeline dates, and then returns
//! early with an incomplete result. A caller that raised the flag must discard what comes back; a caller
//! that never does (the CLI) gets exactly the same results as without a scope.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static CURRENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread with `flag` as its cancellation flag (restoring the previous one after).
pub fn scoped<T>(flag: &Arc<AtomicBool>, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(Some(flag.clone())));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

/// The flag of the enclosing [`scoped`] call on this thread, to hand to worker threads.
pub fn current() -> Option<Arc<AtomicBool>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether the enclosing [`scoped`] call's flag is raised.
pub fn cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(|f| f.load(Ordering::Relaxed)))
}
