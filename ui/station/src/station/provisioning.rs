//! Provisioning on the touchscreen: a kiosk with no identity starts here (the station is up,
//! the kiosk is not), asks for its certificate on the USB stick, and installs what the
//! authority sent back once the technician confirms and sets the technician PIN. The checks
//! and the install are the firmware's ([`enrol`]); this is where the stick and the restart are.

use std::path::PathBuf;

use tps_firmware::kiosk::enrol::{self, EnrolError, Offer, RequestWritten};
use tps_firmware::kiosk::technician::TechnicianError;
use tps_firmware::procedure::Phase;
use tps_firmware::text::{Bilingual, Lang};

use super::{Devices, Station, StationError};

/// Why provisioning again was not begun.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum ReprovisionError {
    /// The technician PIN was not accepted.
    Technician(#[from] TechnicianError),
    /// Putting the election's files aside failed.
    Retire(#[from] EnrolError),
    /// The device is not provisioned: there is nothing to put aside.
    NotProvisioned,
    /// A day has begun and is not finished: its journal is not put aside mid-day.
    DayInProgress,
    /// No USB stick: the day's copy on it could not be renamed, and would later be taken for
    /// the next election's mirror.
    NoStick,
}

impl ReprovisionError {
    /// A short stable name for scenarios and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            ReprovisionError::Technician(e) => e.kind(),
            ReprovisionError::Retire(e) => e.kind(),
            ReprovisionError::NotProvisioned => "not-provisioned",
            ReprovisionError::DayInProgress => "day-in-progress",
            ReprovisionError::NoStick => "no-stick",
        }
    }

    /// Why, in both languages, as the screen says it.
    pub fn bilingual(&self) -> Bilingual {
        match self {
            ReprovisionError::Technician(e) => e.bilingual(),
            ReprovisionError::Retire(e) => e.bilingual(),
            ReprovisionError::NotProvisioned => Bilingual::new(
                "Perangkat belum disiapkan.",
                "The device is not provisioned.",
            ),
            ReprovisionError::DayInProgress => Bilingual::new(
                "Hari pemungutan suara sedang berjalan; perangkat disiapkan ulang hanya sebelum \
                 langkah pertama atau setelah hari selesai. Tidak ada yang diubah.",
                "A voting day is in progress; the device is provisioned again only before the \
                 first step or after the day is finished. Nothing was changed.",
            ),
            ReprovisionError::NoStick => Bilingual::new(
                "Flashdisk tidak terpasang: salinan jurnal di flashdisk harus diganti namanya. \
                 Pasang flashdisk hari ini, lalu coba lagi. Tidak ada yang diubah.",
                "No USB stick: the journal's copy on the stick must be renamed. Put this day's \
                 stick in, then try again. Nothing was changed.",
            ),
        }
    }

    /// Why, in one language.
    pub fn message(&self, lang: Lang) -> String {
        self.bilingual().get(lang).to_string()
    }
}

impl<D: Devices> Station<D> {
    /// Whether the device waits to be provisioned (no identity installed).
    pub fn needs_provisioning(&self) -> bool {
        !self.dir.is_provisioned()
    }

    /// The device's key (made now if it has none) and its certificate request, on the stick.
    pub fn provision_request(&mut self) -> Result<RequestWritten, EnrolError> {
        let stick = self.stick()?;
        enrol::request(&self.dir, &self.devices.device_id(), &stick)
    }

    /// The authority's answer on the stick, checked, for the technician to confirm.
    pub fn provision_inspect(&mut self) -> Result<Offer, EnrolError> {
        let stick = self.stick()?;
        enrol::inspect(&self.dir, &self.devices.device_id(), &stick)
    }

    /// Installs a confirmed offer with the technician PIN typed twice, then starts the kiosk.
    pub fn provision_install(
        &mut self,
        offer: &Offer,
        pin: &str,
        pin_again: &str,
    ) -> Result<(), StationError> {
        enrol::install(&self.dir, offer, pin, pin_again).map_err(StationError::Enrol)?;
        self.start()
    }

    /// Whether provisioning again may begin now (the PIN aside): the screens show this answer.
    pub fn may_reprovision(&self) -> Result<(), ReprovisionError> {
        if self.needs_provisioning() {
            return Err(ReprovisionError::NotProvisioned);
        }
        // Our own rule for the device, not an election rule: a day's journal is put aside
        // only before its first step or once it is finished (a wrong package installed, or the
        // next election), never mid-day.
        if let Ok(kiosk) = self.kiosk.as_ref() {
            let state = kiosk.state();
            let begun = state.proposal.is_some() || !state.completed.is_empty();
            if begun && state.phase() != Phase::Finished {
                return Err(ReprovisionError::DayInProgress);
            }
        }
        if !self.devices.usb_plugged() {
            return Err(ReprovisionError::NoStick);
        }
        Ok(())
    }

    /// Provisioning again (after an election): behind the technician PIN, the election's files
    /// are put aside under `DIR/archive/` and the device waits to be provisioned.
    pub fn reprovision(&mut self, pin: &str) -> Result<PathBuf, ReprovisionError> {
        // Checked before the PIN, so a refusal costs no try.
        self.may_reprovision()?;
        self.technician_unlock(pin)?;
        let name = self.archive_name();
        let archive = enrol::retire(&self.dir, &name)?;
        self.kiosk = Err(super::NOT_PROVISIONED.into());
        Ok(archive)
    }

    /// The archive's name: the TPS and the election's date, and a number not yet taken.
    fn archive_name(&self) -> String {
        let base = match self.kiosk.as_ref() {
            Ok(k) => {
                let p = &k.identity().package;
                format!("TPS-{}_{}", p.tps, p.date)
            }
            Err(_) => "election".into(),
        };
        let archives = self.dir.dir.join("archive");
        (1..)
            .map(|n| format!("{base}_{n}"))
            .find(|name| !archives.join(name).exists())
            .unwrap_or(base)
    }

    /// The USB stick's top directory, when one is in.
    fn stick(&self) -> Result<PathBuf, EnrolError> {
        if !self.devices.usb_plugged() {
            return Err(EnrolError::NoStick);
        }
        Ok(self.devices.export_dir())
    }
}
