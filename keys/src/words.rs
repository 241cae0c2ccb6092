//! Words more than one command prints, in the language the auditor chose with `--lang`. Those
//! the verification report prints too live with it, in `tps_firmware::verification::words`.

use tps_firmware::text::Lang;
pub use tps_firmware::verification::words::{
    development_mark, development_refused, failed, records,
};

/// A device, named: "device pi-0001", "perangkat pi-0001".
pub fn device(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Id => format!("perangkat {id}"),
        Lang::En => format!("device {id}"),
    }
}
