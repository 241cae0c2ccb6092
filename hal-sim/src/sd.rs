//! The SD card holding the primary data directory: it can fill up.

use crate::shared::Shared;

/// Whether the simulated SD card has room left. Clones share it; the journal asks before each
/// write (through its write-gate seam).
#[derive(Debug, Clone, Default)]
pub struct SimSdCard(Shared<bool>);

impl SimSdCard {
    /// A card with room.
    pub fn new() -> Self {
        Self::default()
    }

    /// No room left: every write fails as on a full card.
    pub fn fill(&self) {
        self.0.with(|full| *full = true);
    }

    /// Room again (a technician cleared space).
    pub fn free(&self) {
        self.0.with(|full| *full = false);
    }

    /// Whether the card has no room left.
    pub fn is_full(&self) -> bool {
        self.0.with(|full| *full)
    }
}
