//! "Ekspor untuk PPS": after the hand-over to PPS, the day's files go to the USB stick in a folder
//! named by the TPS and the election date (`tps_firmware::kiosk::export` writes, syncs, reads back
//! and names it). The folder holds:
//!
//! ```text
//! journal.tpsj                 the journal, as on the SD card
//! package.tpsp                 the signed election package
//! device.crt                   the device certificate
//! laporan-pembukaan.txt/.png   each report printed, as the paper shows it
//! laporan-penutupan.txt/.png
//! c-hasil-dpr.txt/.png ...     each C.Hasil printed (one copy, without the copy's heading)
//! hasil.json                   every ballot type's result (tps_firmware::report::results)
//! verification.json            `tps-keys journal verify journal.tpsj --json` in this folder
//! verification.txt             the same report in words, English
//! verifikasi.txt               the same report in words, Indonesian
//! ```
//!
//! The copy read back is verified with the authority's key before the folder gets its name. The
//! kiosk's files are only read: a failed export changes nothing on the device.

use std::path::Path;

use tps_firmware::drivers::printer::escpos_bytes;
use tps_firmware::event::ReportKind;
use tps_firmware::identity::file::read_regular;
use tps_firmware::journal::read::{MAX_JOURNAL_FILE, read_prefix};
use tps_firmware::journal::verify::{Signatures, verify_parsed};
use tps_firmware::kiosk::export::{ExportError, ExportFile, Exported, export, folder_name};
use tps_firmware::kiosk::{Identity, Kiosk};
use tps_firmware::procedure::Phase;
use tps_firmware::report::results::results;
use tps_firmware::text::{Bilingual, Lang};
use tps_firmware::verification::{Checked, Inputs, PackageFile, assess};
use tps_hal_sim::render::parse_receipts;

use super::{Devices, Station};

/// The journal's name in the export folder.
pub const JOURNAL: &str = "journal.tpsj";
/// The package's name in the export folder (where `tps-keys` looks beside a journal).
pub const PACKAGE: &str = "package.tpsp";

/// Why the day was not exported. Nothing on the device changed in any case.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message().en)]
#[non_exhaustive]
pub enum ExportFailure {
    /// The day is not over: the hand-over to PPS is not recorded or the closing report not printed.
    NotClosed,
    /// The kiosk is not running (why).
    NotRunning(String),
    /// A file of the kiosk's own could not be read or rendered.
    Source {
        /// Which file.
        what: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// Writing to the stick failed.
    Stick(#[from] ExportError),
}

impl ExportFailure {
    /// A short name for the failure, as a scenario's `expect = "refused:KIND"` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            ExportFailure::NotClosed => "not-closed",
            ExportFailure::NotRunning(_) => "not-running",
            ExportFailure::Source { .. } => "source",
            ExportFailure::Stick(e) => match e {
                ExportError::NoStick => "no-stick",
                ExportError::NotADirectory => "not-a-directory",
                ExportError::Full => "stick-full",
                ExportError::Pulled => "stick-pulled",
                ExportError::ReadBackDiffers { .. } => "read-back-differs",
                ExportError::CopyInvalid { .. } => "copy-invalid",
                ExportError::NoFreeName { .. } => "no-free-name",
                _ => "stick-io",
            },
        }
    }

    /// What went wrong and what to do, in both languages.
    pub fn message(&self) -> Bilingual {
        match self {
            ExportFailure::NotClosed => Bilingual::new(
                "Ekspor untuk PPS baru dapat dilakukan setelah laporan penutupan dicetak dan serah terima kepada PPS dicatat.",
                "The export for PPS is made once the closing report is printed and the hand-over to PPS is recorded.",
            ),
            ExportFailure::NotRunning(why) => Bilingual::new(
                format!("Kiosk tidak berjalan ({why}): panggil teknisi."),
                format!("The kiosk is not running ({why}): call the technician."),
            ),
            ExportFailure::Source { what, detail } => Bilingual::new(
                format!(
                    "Berkas {what} di perangkat tidak dapat dibaca ({detail}): panggil teknisi."
                ),
                format!("The device's {what} cannot be read ({detail}): call the technician."),
            ),
            ExportFailure::Stick(e) => e.message(),
        }
    }
}

/// What a finished export says on the screen.
pub fn done_message(e: &Exported) -> Bilingual {
    Bilingual::new(
        format!(
            "Ekspor selesai: {} berkas di folder {} sudah diperiksa ulang. Flashdisk aman dicabut.",
            e.files, e.folder
        ),
        format!(
            "Export done: {} files in folder {} read back and verified. The USB stick is safe \
             to remove.",
            e.files, e.folder
        ),
    )
}

impl<D: Devices> Station<D> {
    /// Writes the day's export to the USB stick (see the module's doc).
    pub fn export_for_pps(&mut self) -> Result<Exported, ExportFailure> {
        let kiosk = self
            .kiosk()
            .map_err(|why| ExportFailure::NotRunning(why.to_string()))?;
        // The export goes with the boxes to PPS: after the hand-over, the day's last step, and
        // the closing report.
        let state = kiosk.state();
        if state.phase() != Phase::Finished
            || !state.reports.iter().any(|(_, k)| *k == ReportKind::Closing)
        {
            return Err(ExportFailure::NotClosed);
        }
        let journal =
            read_regular(&self.data_dir().journal().primary, MAX_JOURNAL_FILE).map_err(|e| {
                ExportFailure::Source {
                    what: "jurnal / journal",
                    detail: e.to_string(),
                }
            })?;
        let identity = kiosk.identity();
        let package = identity.package.clone();
        let mut files = vec![
            file(JOURNAL, journal.clone()),
            file(PACKAGE, identity.package_bytes.clone()),
            file("device.crt", identity.certificate_bytes.clone()),
        ];
        files.extend(printed_reports(kiosk)?);
        let results = serde_json::to_vec_pretty(&results(kiosk.state())).map_err(|e| {
            ExportFailure::Source {
                what: "hasil / results",
                detail: e.to_string(),
            }
        })?;
        files.push(file("hasil.json", results));
        files.extend(verification(identity, &journal)?);
        let name = folder_name(
            &package.tps.to_string(),
            &format!(
                "{:04}-{:02}-{:02}",
                package.date.year, package.date.month, package.date.day
            ),
        );
        let authority = identity.authority;
        let package_bytes = identity.package_bytes.clone();
        let head = head_hash(&journal);
        let stick = self.devices.export_dir();
        let mut gate = self.devices.stick_gate();
        let exported = export(&stick, &name, &files, gate.as_mut(), |copies| {
            let copy = copies
                .iter()
                .find(|f| f.name == JOURNAL)
                .ok_or("no journal copy")?;
            let (records, damage) =
                read_prefix(copy.bytes.as_slice()).map_err(|e| e.to_string())?;
            let report = verify_parsed(
                &records,
                damage,
                &authority,
                Some(&package_bytes),
                Signatures::Every,
            )
            .map_err(|e| e.to_string())?;
            match head {
                Some(h) if h == report.head_hash => Ok(()),
                _ => Err("the copy ends at another record than the journal".to_string()),
            }
        })?;
        log::info!(
            "exported {} files ({} bytes) to {}",
            exported.files,
            exported.bytes,
            Path::new(&stick).join(&exported.folder).display()
        );
        Ok(exported)
    }
}

fn file(name: &str, bytes: Vec<u8>) -> ExportFile {
    ExportFile {
        name: name.to_string(),
        bytes,
    }
}

/// The last record's hash of the journal's readable records.
fn head_hash(journal: &[u8]) -> Option<[u8; 32]> {
    read_prefix(journal)
        .ok()
        .and_then(|(records, _)| records.last().map(|r| r.hash))
}

/// Each report kind printed, as text and PNG: the receipt's printer bytes rendered as the paper
/// shows them.
fn printed_reports(kiosk: &Kiosk) -> Result<Vec<ExportFile>, ExportFailure> {
    let mut out = Vec::new();
    let results = kiosk.state().package().ballot_types().into_iter().map(|b| {
        (
            ReportKind::Result(b),
            format!("c-hasil-{}", b.code().to_ascii_lowercase()),
        )
    });
    let kinds = [
        (ReportKind::Opening, "laporan-pembukaan".to_string()),
        (ReportKind::Closing, "laporan-penutupan".to_string()),
    ];
    for (kind, stem) in kinds.into_iter().chain(results) {
        if !kiosk.state().reports.iter().any(|(_, k)| *k == kind) {
            continue;
        }
        let failed = |detail: String| ExportFailure::Source {
            what: "laporan / report",
            detail,
        };
        let report = kiosk.report(kind).map_err(|e| failed(e.to_string()))?;
        let bytes = escpos_bytes(&report.receipt).map_err(|e| failed(e.to_string()))?;
        let Some(paper) = parse_receipts(&bytes).into_iter().next() else {
            return Err(failed("nothing printed".into()));
        };
        let png = paper.to_png().map_err(|e| failed(e.to_string()))?;
        out.push(file(&format!("{stem}.txt"), paper.text().into_bytes()));
        out.push(file(&format!("{stem}.png"), png));
    }
    Ok(out)
}

/// The verification report, as `tps-keys journal verify journal.tpsj --authority KEY` prints it
/// inside the export folder (package found beside the journal), in JSON and in both languages'
/// words. A development kiosk's report accepts development signatures, as
/// `--allow-development` does: the report says `development` all the same.
fn verification(identity: &Identity, journal: &[u8]) -> Result<Vec<ExportFile>, ExportFailure> {
    let (records, damage) = read_prefix(journal).map_err(|e| ExportFailure::Source {
        what: "jurnal / journal",
        detail: e.to_string(),
    })?;
    let package = PackageFile {
        path: PACKAGE.into(),
        bytes: identity.package_bytes.clone(),
        found: true,
    };
    let result = verify_parsed(
        &records,
        damage,
        &identity.authority,
        Some(&package.bytes),
        Signatures::Every,
    );
    let checked = Checked { records, result };
    let key_marked = identity
        .authority_notes
        .iter()
        .any(|n| n.contains("DEVELOPMENT"));
    let report = |lang| {
        assess(Inputs {
            journal: Path::new(JOURNAL),
            primary: checked.clone(),
            mirror: None,
            package: Some(package.clone()),
            key_marked,
            allow_development: identity.certificate.development,
            lang,
        })
        .0
    };
    let en = report(Lang::En);
    let json = en.json().map_err(|e| ExportFailure::Source {
        what: "laporan verifikasi / verification report",
        detail: e.to_string(),
    })?;
    Ok(vec![
        file("verification.json", json.into_bytes()),
        file("verification.txt", en.text().into_bytes()),
        file("verifikasi.txt", report(Lang::Id).text().into_bytes()),
    ])
}
