//! The self-check's line on room left on the SD card and the USB stick.

use super::Check;
use tps_base::text::{Bilingual, Lang};
use tps_drivers::storage::{MirrorStatus, StorageError, StorageStatus};

/// Room on the SD card and the USB stick: a nearly full medium is caught before the day, not
/// when a step cannot be saved.
pub(super) fn storage_check(storage: &Result<StorageStatus, StorageError>) -> Check {
    let name = Bilingual::new("Sisa ruang", "Free space");
    let status = match storage {
        Ok(status) => status,
        Err(e) => {
            return Check {
                name,
                ok: false,
                detail: Bilingual::same(e.to_string()),
                action: Some(super::alarm::call_technician()),
            };
        }
    };
    let sd = status.primary_free_bytes;
    // Short enough for one line of the self-check: what is free on each medium.
    let detail = match status.mirror {
        MirrorStatus::Present { free_bytes } => Bilingual::new(
            format!(
                "SD {} · flashdisk {}",
                size(sd, Lang::Id),
                size(free_bytes, Lang::Id)
            ),
            format!(
                "SD {} · USB {}",
                size(sd, Lang::En),
                size(free_bytes, Lang::En)
            ),
        ),
        MirrorStatus::Absent => Bilingual::new(
            format!("SD {}", size(sd, Lang::Id)),
            format!("SD {}", size(sd, Lang::En)),
        ),
    };
    let ok = !status.nearly_full();
    Check {
        name,
        ok,
        detail,
        action: (!ok).then(|| {
            Bilingual::new(
                "Ruang hampir habis. Sebelum hari dimulai, minta teknisi mengosongkan kartu SD atau mengganti flashdisk dengan yang kosong.",
                "Almost no room left. Before the day begins, have a technician clear the SD card or swap in an empty USB stick.",
            )
        }),
    }
}

/// Bytes as gigabytes with one decimal in the language's number style (`12,3 GB`, `12.3 GB`),
/// or whole megabytes below a gigabyte (`20 MB`).
fn size(bytes: u64, lang: Lang) -> String {
    if bytes < 1_000_000_000 {
        return format!("{} MB", bytes / 1_000_000);
    }
    let tenths = bytes / 100_000_000;
    let text = format!("{}.{} GB", tenths / 10, tenths % 10);
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}
