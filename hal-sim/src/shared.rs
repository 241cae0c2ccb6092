//! State shared between a simulated device and the handles that control or observe it.

use std::sync::{Arc, Mutex, PoisonError};

/// A value behind an `Arc<Mutex<_>>`. Clones share the value. A panic in another thread while it
/// held the lock does not make the value unusable: the simulator keeps going with what is there.
#[derive(Debug, Default)]
pub(crate) struct Shared<T>(Arc<Mutex<T>>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Shared<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(Arc::new(Mutex::new(value)))
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }
}
