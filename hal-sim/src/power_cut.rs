//! Cutting the kiosk's power in the middle of a write.

use crate::shared::Shared;

/// A shared byte budget: after [`cut_after`](Self::cut_after)`(n)`, `n` more bytes reach the
/// disk and then nothing does until [`restore`](Self::restore). The journal asks
/// [`allow`](Self::allow) before each write (through its write-gate seam). Clones share the
/// budget.
#[derive(Debug, Clone, Default)]
pub struct PowerCut(Shared<Option<usize>>);

impl PowerCut {
    /// Power stays on.
    pub fn new() -> Self {
        Self::default()
    }

    /// Power goes off once `bytes` more bytes have been written.
    pub fn cut_after(&self, bytes: usize) {
        self.0.with(|budget| *budget = Some(bytes));
    }

    /// Power goes off now.
    pub fn cut_now(&self) {
        self.cut_after(0);
    }

    /// How many of the next `wanted` bytes reach the disk; 0 once power is off.
    pub fn allow(&self, wanted: usize) -> usize {
        self.0.with(|budget| match budget {
            None => wanted,
            Some(left) => {
                let allowed = wanted.min(*left);
                *left -= allowed;
                allowed
            }
        })
    }

    /// Whether power is off (the budget is spent).
    pub fn is_cut(&self) -> bool {
        self.0.with(|budget| *budget == Some(0))
    }

    /// Power is back, with no cut planned.
    pub fn restore(&self) {
        self.0.with(|budget| *budget = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_lets_through_exactly_its_bytes_then_nothing_until_restored() {
        let cut = PowerCut::new();
        assert_eq!(cut.allow(1_000), 1_000);
        assert!(!cut.is_cut());
        cut.cut_after(10);
        let gate = cut.clone();
        assert_eq!(gate.allow(4), 4);
        assert!(!cut.is_cut());
        assert_eq!(gate.allow(8), 6);
        assert!(cut.is_cut());
        assert_eq!(gate.allow(1), 0);
        cut.restore();
        assert_eq!(gate.allow(5), 5);
        cut.cut_now();
        assert_eq!(gate.allow(5), 0);
    }
}
