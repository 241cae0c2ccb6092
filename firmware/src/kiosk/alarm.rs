//! Alarms: states in which the kiosk stops taking steps and tells the chair what to do.
//! Nothing is lost in any of them: the journal keeps every byte.

use tps_base::text::{Bilingual, Lang};

/// Why the kiosk is in an alarm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Alarm {
    /// The enclosure lid is open.
    Tamper,
    /// The tamper latch found the lid was opened while the kiosk was off (recorded at start-up).
    /// Steps go on; the chair and the Pengawas TPS check the device and note it.
    TamperWhileOff,
    /// The journal is damaged or cannot be written; the detail names what.
    Journal {
        /// What is damaged or failed.
        detail: String,
    },
    /// The clock cannot be trusted.
    Clock,
    /// The RTC ran faster or slower than the monotonic clock within this boot: it was changed
    /// outside the kiosk (recorded). Steps go on; the clock is set right, witnessed.
    ClockMoved,
    /// The USB stick with the mirror is not there.
    MirrorMissing,
    /// The USB stick with the mirror has no room left.
    MirrorFull,
    /// The file on the USB stick cannot be the mirror (a link, not a plain file, the primary
    /// itself, not on a stick of its own); nothing was read from or written to it. The detail
    /// names what.
    MirrorRefused {
        /// Why the file was refused.
        detail: String,
    },
    /// The data storage is full or failing.
    Storage {
        /// What is full or failing.
        detail: String,
    },
    /// The device certificate is not valid at the clock's time (expired, or not yet valid):
    /// a record signed now would make the journal fail verification, so nothing is written.
    CertificateNotValid,
}

impl Alarm {
    /// Whether steps must stop: every alarm but the clock's (whose refusals the engine gives
    /// itself step by step), a lid opened while off (already recorded; the lid is shut now,
    /// and stopping the day would not undo it: the witnesses check the device instead), and a
    /// certificate not valid at the clock's time (every write refuses itself, and a technician
    /// setting the clock right must still get through).
    pub fn blocks_commands(&self) -> bool {
        !matches!(
            self,
            Alarm::Clock | Alarm::ClockMoved | Alarm::TamperWhileOff | Alarm::CertificateNotValid
        )
    }

    /// Whether the journal itself is in trouble (damaged, or its storage failing), as the
    /// status bar and the self-check say "journal not OK".
    pub fn is_journal_fault(&self) -> bool {
        matches!(self, Alarm::Journal { .. } | Alarm::Storage { .. })
    }

    /// The alarm's name, as the alarm screen heads it.
    pub fn title(&self) -> Bilingual {
        match self {
            Alarm::TamperWhileOff => Bilingual::new(
                "Penutup perangkat dibuka saat perangkat mati",
                "Enclosure lid opened while the kiosk was off",
            ),
            Alarm::Tamper => Bilingual::new("Penutup perangkat: terbuka", "Enclosure lid open"),
            Alarm::Journal { .. } => {
                Bilingual::new("Catatan (jurnal) bermasalah", "Journal problem")
            }
            Alarm::Clock => Bilingual::new("Jam tidak dapat dipercaya", "Clock cannot be trusted"),
            Alarm::ClockMoved => Bilingual::new(
                "Jam perangkat berubah di luar kiosk",
                "The clock was changed outside the kiosk",
            ),
            Alarm::MirrorMissing => {
                Bilingual::new("Flashdisk cadangan tidak ada", "Backup USB stick missing")
            }
            Alarm::MirrorFull => {
                Bilingual::new("Flashdisk cadangan penuh", "Backup USB stick full")
            }
            Alarm::MirrorRefused { .. } => {
                Bilingual::new("Flashdisk cadangan ditolak", "Backup USB stick refused")
            }
            Alarm::Storage { .. } => {
                Bilingual::new("Penyimpanan penuh atau rusak", "Storage full or failing")
            }
            Alarm::CertificateNotValid => Bilingual::new(
                "Sertifikat perangkat tidak berlaku pada jam ini",
                "The device certificate is not valid at this time",
            ),
        }
    }

    /// What to do, in the chair's words.
    pub fn instructions(&self) -> Bilingual {
        match self {
            Alarm::Tamper => Bilingual::new(
                "Tutup kembali perangkat. Kejadian ini sudah dicatat. Laporkan kepada Pengawas TPS dan PPS.",
                "Close the enclosure. This has been recorded. Tell the Pengawas TPS and PPS.",
            ),
            Alarm::TamperWhileOff => Bilingual::new(
                "Kejadian ini sudah dicatat. Periksa perangkat dan segelnya bersama Pengawas TPS, catat sebagai kejadian khusus, dan laporkan kepada PPS.",
                "This has been recorded. Check the device and its seals with the Pengawas TPS, note it as a special incident, and tell PPS.",
            ),
            Alarm::Journal { .. } => Bilingual::new(
                "Jangan matikan perangkat. Semua catatan tetap tersimpan. Hubungi teknisi melalui PPS.",
                "Do not switch the device off. Every record is kept. Call a technician through PPS.",
            ),
            Alarm::Clock => Bilingual::new(
                "Langkah tidak dapat dilakukan dengan jam ini. Hubungi teknisi untuk menyetel jam.",
                "No step can be taken on this clock. Call a technician to set the clock.",
            ),
            Alarm::ClockMoved => Bilingual::new(
                "Kejadian ini sudah dicatat. Laporkan kepada Pengawas TPS. Jika jam salah, teknisi menyetelnya dengan disaksikan Ketua KPPS dan Pengawas TPS.",
                "This has been recorded. Tell the Pengawas TPS. If the clock is wrong, a technician sets it, witnessed by the KPPS chair and the Pengawas TPS.",
            ),
            Alarm::MirrorMissing => Bilingual::new(
                "Pasang kembali flashdisk cadangan. Langkah berikutnya menunggu sampai catatan tersimpan di dua tempat.",
                "Plug the backup USB stick back in. The next step waits until records are kept in two places.",
            ),
            Alarm::MirrorFull => Bilingual::new(
                "Cabut flashdisk cadangan dan pasang flashdisk kosong yang sudah disiapkan teknisi. Semua catatan disalin ke flashdisk baru; simpan flashdisk lama untuk PPS.",
                "Pull out the backup USB stick and plug in an empty one the technician prepared. Every record is copied onto the new stick; keep the old one for PPS.",
            ),
            Alarm::MirrorRefused { .. } => Bilingual::new(
                "Ganti flashdisk: cabut flashdisk ini dan pasang flashdisk kosong yang sudah disiapkan teknisi. Tidak ada yang ditulis ke flashdisk ini; semua catatan aman di perangkat. Serahkan flashdisk ini kepada PPS.",
                "Replace the USB stick: pull this one out and plug in an empty one the technician prepared. Nothing was written to this stick; every record is safe on the device. Hand this stick to PPS.",
            ),
            Alarm::Storage { .. } => Bilingual::new(
                "Langkah terakhir tidak tersimpan dan tidak dianggap selesai. Hubungi teknisi melalui PPS.",
                "The last step was not saved and does not count as done. Call a technician through PPS.",
            ),
            Alarm::CertificateNotValid => Bilingual::new(
                "Tidak ada yang dicatat: catatan dengan sertifikat yang tidak berlaku membuat jurnal tidak dapat diverifikasi. Semua catatan sebelumnya aman. Jika jam salah, teknisi menyetelnya; jika sertifikat habis masa berlakunya, hubungi PPS.",
                "Nothing is recorded: a record under a certificate that is not valid would make the journal fail verification. Every earlier record is safe. If the clock is wrong, a technician sets it; if the certificate has expired, call PPS.",
            ),
        }
    }

    /// The alarm's detail, for the alarms that carry one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Alarm::Journal { detail }
            | Alarm::Storage { detail }
            | Alarm::MirrorRefused { detail } => Some(detail),
            _ => None,
        }
    }

    /// The title and any detail in one line, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        format!(
            "{}: {}",
            self.title().get(lang),
            self.instructions().get(lang)
        )
    }
}

/// The last resort of every check and alarm the chair cannot put right.
pub fn call_technician() -> Bilingual {
    Bilingual::new(
        "Hubungi teknisi melalui PPS.",
        "Call a technician through PPS.",
    )
}
