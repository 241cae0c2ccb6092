//! Every input file is opened without following links, only as a regular file: a symbolic link
//! and a FIFO are refused at once (the FIFO does not hang the open).
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

use std::process::Command;

use tps_journal::identity::file::{OpenError, open_regular, read_regular};

#[test]
fn a_regular_file_is_read_and_a_link_a_fifo_and_a_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("journal.tpsj");
    std::fs::write(&real, b"TPSJRNL1").unwrap();
    assert_eq!(read_regular(&real, 100).unwrap(), b"TPSJRNL1");
    assert!(matches!(
        read_regular(&real, 7),
        Err(OpenError::TooLarge { len: 8, max: 7 })
    ));

    let link = dir.path().join("link.tpsj");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert!(matches!(open_regular(&link, 100), Err(OpenError::Link)));

    let fifo = dir.path().join("fifo.tpsj");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    assert!(matches!(
        open_regular(&fifo, 100),
        Err(OpenError::NotARegularFile)
    ));

    assert!(matches!(
        open_regular(dir.path(), 100),
        Err(OpenError::NotARegularFile)
    ));
    assert!(matches!(
        open_regular(&dir.path().join("missing"), 100),
        Err(OpenError::Io(_))
    ));
}
