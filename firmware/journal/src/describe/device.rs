//! The device and what happens to it: the journal's start, each start-up and what recovery
//! found, the clock, the enclosure lid, power, the USB mirror (flashdisk cadangan) and printed
//! reports.

use super::clock::{format_duration, format_time};
use super::words::{clean, short_hex, tr};
use crate::identity::cert::DeviceCertificate;
use tps_base::power::PowerState;
use tps_base::text::Lang;
use tps_base::time::TimeZone;
use tps_domain::event::{Genesis, MirrorRepair, Recovery, ReportKind};

/// The journal on the device's own storage, as the Indonesian texts name it.
pub const PRIMARY_ID: &str = "jurnal utama";
/// Its copy on the USB stick (the mirror), as the Indonesian texts name it.
pub const MIRROR_ID: &str = "flashdisk cadangan";

pub(super) fn genesis(g: &Genesis, lang: Lang) -> String {
    let device = match (DeviceCertificate::read_unverified(&g.certificate), lang) {
        (Ok(cert), Lang::Id) if cert.development => format!(
            "perangkat {} (sertifikat PENGEMBANGAN)",
            clean(&cert.device_id)
        ),
        (Ok(cert), Lang::En) if cert.development => format!(
            "device {} (DEVELOPMENT certificate)",
            clean(&cert.device_id)
        ),
        (Ok(cert), Lang::Id) => format!("perangkat {}", clean(&cert.device_id)),
        (Ok(cert), Lang::En) => format!("device {}", clean(&cert.device_id)),
        (Err(_), Lang::Id) => "perangkat dengan sertifikat yang tidak terbaca".to_string(),
        (Err(_), Lang::En) => "a device with an unreadable certificate".to_string(),
    };
    let (firmware, package) = (clean(&g.firmware_version), short_hex(&g.package_hash));
    match lang {
        Lang::Id => format!(
            "Jurnal dimulai untuk TPS {} oleh {device}, firmware {firmware}, paket pemilu {package}",
            g.tps
        ),
        Lang::En => format!(
            "Journal begun for TPS {} by {device}, firmware {firmware}, election package {package}",
            g.tps
        ),
    }
}

pub(super) fn started(firmware_version: &str, recovery: &Recovery, lang: Lang) -> String {
    let firmware = clean(firmware_version);
    let found = recovery_text(recovery, lang);
    match lang {
        Lang::Id => format!("Perangkat dinyalakan (firmware {firmware}); {found}"),
        Lang::En => format!("Kiosk started (firmware {firmware}); {found}"),
    }
}

fn recovery_text(r: &Recovery, lang: Lang) -> String {
    let quarantined = |bytes: u64, id_where: &str, en_where: &str| match lang {
        Lang::Id => format!(
            "{bytes} byte sisa penulisan yang terputus di {id_where} dipindahkan ke karantina"
        ),
        Lang::En => {
            format!("{bytes} bytes of a cut-off write quarantined from {en_where}")
        }
    };
    let mut parts = Vec::new();
    if r.primary_quarantined > 0 {
        parts.push(quarantined(
            r.primary_quarantined,
            PRIMARY_ID,
            "the primary journal",
        ));
    }
    if r.mirror_quarantined > 0 {
        parts.push(quarantined(r.mirror_quarantined, MIRROR_ID, "the mirror"));
    }
    let repair = match (r.mirror_repair, lang) {
        (MirrorRepair::None, _) => None,
        (MirrorRepair::CopiedToMirror { records }, Lang::Id) => {
            Some(format!("{records} catatan disalin ke {MIRROR_ID}"))
        }
        (MirrorRepair::CopiedToMirror { records }, Lang::En) => {
            Some(format!("{records} records copied to the mirror"))
        }
        (MirrorRepair::CopiedToPrimary { records }, Lang::Id) => Some(format!(
            "{records} catatan disalin dari {MIRROR_ID} ke {PRIMARY_ID}"
        )),
        (MirrorRepair::CopiedToPrimary { records }, Lang::En) => Some(format!(
            "{records} records copied from the mirror to the primary"
        )),
        (MirrorRepair::MirrorCreated { records }, Lang::Id) => Some(format!(
            "salinan di {MIRROR_ID} dibuat dengan {records} catatan"
        )),
        (MirrorRepair::MirrorCreated { records }, Lang::En) => {
            Some(format!("mirror created with {records} records"))
        }
    };
    parts.extend(repair);
    if parts.is_empty() {
        tr(lang, "jurnal utuh", "journal intact").to_string()
    } else {
        parts.join("; ")
    }
}

pub(super) fn clock_anomaly(
    rtc_ms: i64,
    journal_ms: i64,
    zone: Option<TimeZone>,
    lang: Lang,
) -> String {
    let (rtc, journal) = (format_time(rtc_ms, zone), format_time(journal_ms, zone));
    let behind = format_duration(journal_ms.saturating_sub(rtc_ms), lang);
    match lang {
        Lang::Id => format!(
            "Jam bermasalah: jam RTC menunjukkan {rtc}, {behind} lebih awal dari waktu jurnal {journal}; tidak ada yang diputuskan berdasarkan jam itu"
        ),
        Lang::En => format!(
            "Clock anomaly: the RTC read {rtc}, {behind} earlier than the journal's {journal}; nothing was decided on it"
        ),
    }
}

pub(super) fn clock_set(
    old_ms: i64,
    new_ms: i64,
    by: &str,
    zone: Option<TimeZone>,
    lang: Lang,
) -> String {
    let diff = new_ms.saturating_sub(old_ms);
    let (old, new) = (format_time(old_ms, zone), format_time(new_ms, zone));
    let (by, length) = (clean(by), format_duration(diff, lang));
    match lang {
        Lang::Id => format!(
            "Jam {} {length} oleh teknisi {by}: dari {old} menjadi {new}",
            if diff < 0 { "dimundurkan" } else { "dimajukan" }
        ),
        Lang::En => format!(
            "Clock set {} {length} by technician {by}: from {old} to {new}",
            if diff < 0 { "back" } else { "forward" }
        ),
    }
}

pub(super) fn tamper(open: bool, lang: Lang) -> String {
    match (open, lang) {
        (true, Lang::Id) => "Penutup perangkat TERBUKA (alarm pembongkaran)",
        (true, Lang::En) => "Enclosure lid OPENED (tamper alarm)",
        (false, Lang::Id) => "Penutup perangkat terkunci kembali",
        (false, Lang::En) => "Enclosure lid closed",
    }
    .to_string()
}

pub(super) fn tamper_while_off(
    opened_ms: Option<i64>,
    zone: Option<TimeZone>,
    lang: Lang,
) -> String {
    let when = opened_ms.map(|ms| format_time(ms, zone));
    match (when, lang) {
        (Some(t), Lang::Id) => {
            format!("Penutup perangkat DIBUKA saat perangkat mati (pukul {t}, menurut pengunci)")
        }
        (Some(t), Lang::En) => {
            format!("Enclosure lid OPENED while the kiosk was off (at {t}, as the latch kept it)")
        }
        (None, Lang::Id) => {
            "Penutup perangkat DIBUKA saat perangkat mati (waktunya tidak tersimpan)".into()
        }
        (None, Lang::En) => "Enclosure lid OPENED while the kiosk was off (time not kept)".into(),
    }
}

pub(super) fn clock_moved(
    rtc_ms: i64,
    expected_ms: i64,
    zone: Option<TimeZone>,
    lang: Lang,
) -> String {
    let (rtc, expected) = (format_time(rtc_ms, zone), format_time(expected_ms, zone));
    let off = format_duration(rtc_ms.saturating_sub(expected_ms).saturating_abs(), lang);
    let ahead = rtc_ms > expected_ms;
    match lang {
        Lang::Id => format!(
            "Jam berubah di luar kiosk: RTC menunjukkan {rtc}, {off} {} dari yang seharusnya ({expected})",
            if ahead { "lebih cepat" } else { "lebih lambat" }
        ),
        Lang::En => format!(
            "Clock changed outside the kiosk: the RTC read {rtc}, {off} {} what was due ({expected})",
            if ahead { "ahead of" } else { "behind" }
        ),
    }
}

pub(super) fn mirror_removed(lang: Lang) -> String {
    match lang {
        Lang::Id => "Flashdisk cadangan dicabut: catatan disimpan di jurnal utama saja sampai flashdisk kembali",
        Lang::En => "USB mirror pulled out: records are kept on the primary alone until it is back",
    }
    .to_string()
}

pub(super) fn power(state: PowerState, lang: Lang) -> String {
    match (state, lang) {
        (PowerState::Mains, Lang::Id) => "Listrik: kembali memakai listrik PLN",
        (PowerState::Mains, Lang::En) => "Power: back on mains",
        (PowerState::Battery, Lang::Id) => "Listrik: listrik PLN padam, memakai baterai",
        (PowerState::Battery, Lang::En) => "Power: mains lost, running on battery",
        (PowerState::BatteryLow, Lang::Id) => "Listrik: baterai lemah",
        (PowerState::BatteryLow, Lang::En) => "Power: battery low",
    }
    .to_string()
}

pub(super) fn mirror_restored(records: u64, lang: Lang) -> String {
    match lang {
        Lang::Id => {
            format!("Flashdisk cadangan terpasang kembali: {records} catatan disalin ke flashdisk")
        }
        Lang::En => format!("USB mirror restored: {records} records copied to it"),
    }
}

pub(super) fn report_printed(kind: ReportKind, digest: &[u8], lang: Lang) -> String {
    let digest = short_hex(digest);
    let name = kind.name();
    match lang {
        Lang::Id => format!("Dicetak: {} (hash {digest})", name.id),
        Lang::En => format!("Printed: {} (digest {digest})", name.en),
    }
}
