//! The election packages built into the simulator, which scenarios name.

/// The election packages built into the simulator, by the name scenarios use.
pub const BUILTIN_PACKAGES: [(&str, &str); 3] = [
    (
        "pemilu-2024-jabar",
        include_str!("../../../../keys/examples/election-pemilu-2024-jabar.toml"),
    ),
    (
        "pemilu-2024-dki",
        include_str!("../../../../keys/examples/election-pemilu-2024.toml"),
    ),
    (
        "pilkada-2024-papua",
        include_str!("../../../../keys/examples/election-pilkada-2024.toml"),
    ),
];

/// The election package the simulator provisions when none is given: the built-in example TPS in
/// Kota Bandung (Pemilu 2024).
pub const DEFAULT_PACKAGE: &str = BUILTIN_PACKAGES[0].1;

/// A built-in package's TOML source by name.
pub fn builtin_package(name: &str) -> Option<&'static str> {
    BUILTIN_PACKAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, toml)| *toml)
}
