//! What `journal verify` found, printed: the report in words (labels in a column) or as JSON,
//! in the language asked for, and how the mirror stands to the primary.

use std::path::PathBuf;

use serde::Serialize;
use tps_base::text::Lang;
use tps_base::time::TimeZone;
use tps_journal::SignedRecord;
use tps_journal::describe::{MIRROR_ID, PRIMARY_ID, format_time};
use tps_journal::verify::{GENESIS_ID, VerifyError};

use super::checked::{Checked, PackageFile, zone_name};
use super::day::{ClockChange, Progress};
use super::words::{capitalized, development_mark, failed_at, records};

/// How the mirror stands to the primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Both hold the same records.
    Identical,
    /// The mirror lacks the primary's last records.
    MirrorBehind(u64),
    /// The primary lacks the mirror's last records.
    PrimaryBehind(u64),
    /// They differ from this record on.
    Diverged(u64),
}

/// How `mirror` stands to `primary`, record by record.
pub fn relation(primary: &[SignedRecord], mirror: &[SignedRecord]) -> Relation {
    if let Some((p, _)) = primary.iter().zip(mirror).find(|(p, m)| p.hash != m.hash) {
        return Relation::Diverged(p.record.seq);
    }
    let (p, m) = (primary.len() as u64, mirror.len() as u64);
    match p.cmp(&m) {
        std::cmp::Ordering::Equal => Relation::Identical,
        std::cmp::Ordering::Greater => Relation::MirrorBehind(p - m),
        std::cmp::Ordering::Less => Relation::PrimaryBehind(m - p),
    }
}

impl Relation {
    fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (Relation::Identical, Lang::Id) => format!("sama persis dengan {PRIMARY_ID}"),
            (Relation::Identical, Lang::En) => "identical to the primary".into(),
            (Relation::MirrorBehind(n), Lang::Id) => format!(
                "bagian awal {PRIMARY_ID} (kurang {}: salin dulu sebelum diarsipkan)",
                records(n, lang)
            ),
            (Relation::MirrorBehind(n), Lang::En) => {
                format!("a prefix of the primary ({n} records behind: copy them before archiving)")
            }
            (Relation::PrimaryBehind(n), Lang::Id) => format!(
                "lebih lengkap dari {PRIMARY_ID}: {PRIMARY_ID} hanya bagian awalnya, kurang {}",
                records(n, lang)
            ),
            (Relation::PrimaryBehind(n), Lang::En) => {
                format!("ahead of the primary: the primary is a prefix, {n} records behind")
            }
            (Relation::Diverged(seq), Lang::Id) => {
                format!("BERBEDA dari {PRIMARY_ID} mulai catatan {seq}")
            }
            (Relation::Diverged(seq), Lang::En) => {
                format!("DIVERGED from the primary from record {seq} on")
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Relation::Identical => "identical",
            Relation::MirrorBehind(_) => "mirror-is-prefix",
            Relation::PrimaryBehind(_) => "primary-is-prefix",
            Relation::Diverged(_) => "diverged",
        }
    }
}

#[derive(Serialize)]
struct ErrorJson {
    seq: u64,
    problem: String,
}

impl ErrorJson {
    fn new(e: &VerifyError, lang: Lang) -> Self {
        ErrorJson {
            seq: e.seq,
            problem: e.problem.message(lang),
        }
    }
}

#[derive(Serialize)]
struct MirrorJson {
    file: String,
    ok: bool,
    error: Option<ErrorJson>,
    records: u64,
    relation: Option<&'static str>,
    diverged_at: Option<u64>,
}

#[derive(Serialize)]
struct VerifyJson<'a> {
    journal: String,
    lang: &'static str,
    ok: bool,
    error: Option<ErrorJson>,
    development: bool,
    tps: Option<String>,
    device_id: Option<String>,
    firmware_version: Option<String>,
    records: u64,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    first: Option<String>,
    last: Option<String>,
    zone: String,
    head_hash: Option<String>,
    package: Option<String>,
    /// `complete` or `incomplete: last step ...`, in the report's language.
    day: Option<String>,
    complete: Option<bool>,
    progress: Option<&'a Progress>,
    clock_changes: &'a [ClockChange],
    mirror: Option<MirrorJson>,
}

/// A label of `journal verify`'s report.
#[derive(Debug, Clone, Copy)]
enum Label {
    Journal,
    Result,
    Tps,
    Device,
    Firmware,
    Records,
    First,
    Last,
    HeadHash,
    Day,
    Clock,
    Package,
    Mirror,
}

impl Label {
    const ALL: [Label; 13] = [
        Label::Journal,
        Label::Result,
        Label::Tps,
        Label::Device,
        Label::Firmware,
        Label::Records,
        Label::First,
        Label::Last,
        Label::HeadHash,
        Label::Day,
        Label::Clock,
        Label::Package,
        Label::Mirror,
    ];

    fn text(self, lang: Lang) -> String {
        let text = match (self, lang) {
            (Label::Journal, Lang::Id) => "Jurnal",
            (Label::Journal, Lang::En) => "Journal",
            (Label::Result, Lang::Id) => "Hasil",
            (Label::Result, Lang::En) => "Result",
            (Label::Tps, _) => "TPS",
            (Label::Device, Lang::Id) => "Perangkat",
            (Label::Device, Lang::En) => "Device",
            (Label::Firmware, _) => "Firmware",
            (Label::Records, Lang::Id) => "Jumlah catatan",
            (Label::Records, Lang::En) => "Records",
            (Label::First, Lang::Id) => "Waktu pertama",
            (Label::First, Lang::En) => "First",
            (Label::Last, Lang::Id) => "Waktu terakhir",
            (Label::Last, Lang::En) => "Last",
            (Label::HeadHash, Lang::Id) => "Hash terakhir",
            (Label::HeadHash, Lang::En) => "Head hash",
            (Label::Day, Lang::Id) => "Hari",
            (Label::Day, Lang::En) => "Day",
            (Label::Clock, Lang::Id) => "Perubahan jam",
            (Label::Clock, Lang::En) => "Clock",
            (Label::Package, Lang::Id) => "Paket pemilu",
            (Label::Package, Lang::En) => "Package",
            (Label::Mirror, Lang::Id) => return capitalized(MIRROR_ID),
            (Label::Mirror, Lang::En) => "Mirror",
        };
        text.to_string()
    }
}

/// The report's lines: each label in a column two spaces wider than the longest.
struct Rows {
    lang: Lang,
    width: usize,
    text: String,
}

impl Rows {
    fn new(lang: Lang) -> Self {
        let longest = Label::ALL.iter().map(|l| l.text(lang).chars().count());
        Self {
            lang,
            width: longest.max().unwrap_or(0) + 2,
            text: String::new(),
        }
    }

    fn row(&mut self, label: Label, value: impl std::fmt::Display) {
        let (label, width) = (label.text(self.lang), self.width);
        self.text.push_str(&format!("{label:<width$}{value}\n"));
    }

    /// A value under the previous row's, its label column left blank.
    fn row_continued(&mut self, value: impl std::fmt::Display) {
        let width = self.width;
        self.text.push_str(&format!("{:<width$}{value}\n", ""));
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }
}

/// "8 records verified".
fn verified(records_verified: u64, lang: Lang) -> String {
    match lang {
        Lang::Id => format!("{} terverifikasi", records(records_verified, lang)),
        Lang::En => format!("{} verified", records(records_verified, lang)),
    }
}

/// What `journal verify` found, to print (made by [`super::assess`]).
#[derive(Debug, Clone)]
pub struct Verified {
    /// The journal, as the report names it.
    pub journal: PathBuf,
    /// The report's language.
    pub lang: Lang,
    /// The primary journal, checked.
    pub primary: Checked,
    /// The mirror compared, as the report names it.
    pub mirror: Option<(PathBuf, Checked)>,
    /// How the mirror stands to the primary, when one was compared.
    pub relation: Option<Relation>,
    /// The package checked against, if there was one.
    pub package: Option<PackageFile>,
    /// Signed by a development authority, or checked with a key marked as one.
    pub development: bool,
    /// How far the day got (a journal that verifies).
    pub progress: Option<Progress>,
    /// Every clock set and anomaly in the primary.
    pub clock: Vec<ClockChange>,
    /// Nothing failed, the mirror included.
    pub ok: bool,
}

impl Verified {
    fn zone(&self) -> Option<TimeZone> {
        self.primary.result.as_ref().ok().and_then(|r| r.zone)
    }

    /// The report as JSON (pretty, ending in a newline), as `journal verify --json` prints it.
    pub fn json(&self) -> Result<String, serde_json::Error> {
        let (report, zone, lang) = (self.primary.result.as_ref().ok(), self.zone(), self.lang);
        let mut json = serde_json::to_string_pretty(&VerifyJson {
            journal: self.journal.display().to_string(),
            lang: lang.code(),
            ok: self.ok,
            error: self
                .primary
                .result
                .as_ref()
                .err()
                .map(|e| ErrorJson::new(e, lang)),
            development: self.development,
            tps: report.map(|r| r.tps.clone()),
            device_id: report.map(|r| r.device_id.clone()),
            firmware_version: report.map(|r| r.firmware_version.clone()),
            records: report.map_or(0, |r| r.records),
            first_ms: report.map(|r| r.first_ms),
            last_ms: report.map(|r| r.last_ms),
            first: report.map(|r| format_time(r.first_ms, zone)),
            last: report.map(|r| format_time(r.last_ms, zone)),
            zone: zone_name(zone),
            head_hash: report.map(|r| hex::encode(r.head_hash)),
            package: self.package.as_ref().map(|p| p.path.display().to_string()),
            day: self.progress.as_ref().map(|p| p.text(zone, lang)),
            complete: self.progress.as_ref().map(|p| p.complete),
            progress: self.progress.as_ref(),
            clock_changes: &self.clock,
            mirror: self.mirror.as_ref().map(|(path, m)| MirrorJson {
                file: path.display().to_string(),
                ok: m.result.is_ok(),
                error: m.result.as_ref().err().map(|e| ErrorJson::new(e, lang)),
                records: m.records.len() as u64,
                relation: self.relation.map(Relation::name),
                diverged_at: match self.relation {
                    Some(Relation::Diverged(seq)) => Some(seq),
                    _ => None,
                },
            }),
        })?;
        json.push('\n');
        Ok(json)
    }

    /// The report in words, a label per line, as `journal verify` prints it.
    pub fn text(&self) -> String {
        let (lang, zone) = (self.lang, self.zone());
        let mut t = Rows::new(lang);
        let banner = format!("!!! {} !!!", development_mark(lang));
        if self.development {
            t.line(&banner);
        }
        t.row(Label::Journal, self.journal.display());
        match &self.primary.result {
            Ok(r) => {
                t.row(Label::Result, format!("OK: {}", verified(r.records, lang)));
                t.row(Label::Tps, &r.tps);
                t.row(Label::Device, &r.device_id);
                t.row(Label::Firmware, &r.firmware_version);
                t.row(Label::Records, r.records);
                t.row(Label::First, format_time(r.first_ms, zone));
                t.row(Label::Last, format_time(r.last_ms, zone));
                t.row(Label::HeadHash, hex::encode(r.head_hash));
                if let Some(p) = &self.progress {
                    t.row(Label::Day, p.text(zone, lang));
                }
                let none = match lang {
                    Lang::Id => "tidak ada".to_string(),
                    Lang::En => "none".to_string(),
                };
                let mut changes = self.clock.iter().map(|c| c.text(zone, lang));
                t.row(Label::Clock, changes.next().unwrap_or(none));
                for more in changes {
                    t.row_continued(more);
                }
            }
            Err(e) => t.row(Label::Result, failed_at(e, lang)),
        }
        t.row(Label::Package, self.package_text());
        if let Some((path, m)) = &self.mirror {
            let state = match (&m.result, self.relation) {
                (Err(e), _) => failed_at(e, lang),
                (Ok(r), Some(rel)) => format!("{}, {}", records(r.records, lang), rel.text(lang)),
                (Ok(r), None) => verified(r.records, lang),
            };
            t.row(Label::Mirror, format!("{}: {state}", path.display()));
        }
        if self.development {
            t.line(&banner);
        }
        t.text
    }

    fn package_text(&self) -> String {
        let lang = self.lang;
        let Some(p) = &self.package else {
            return match lang {
                Lang::Id => "tidak diberikan (waktu dalam UTC)",
                Lang::En => "none given (times in UTC)",
            }
            .to_string();
        };
        let found = match (p.found, lang) {
            (false, _) => "",
            (true, Lang::Id) => " (ditemukan di samping jurnal)",
            (true, Lang::En) => " (found next to the journal)",
        };
        let matches = match (self.primary.result.is_ok(), lang) {
            (false, _) => String::new(),
            (true, Lang::Id) => format!(": cocok dengan {GENESIS_ID}"),
            (true, Lang::En) => ": matches the genesis record".to_string(),
        };
        format!("{}{found}{matches}", p.path.display())
    }
}
