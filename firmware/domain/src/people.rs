//! The people at a TPS and the roles they hold.

use core::fmt;

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

use tps_base::election::ParticipantId;
use tps_base::text::Bilingual;

/// The most people one TPS registers (7 KPPS, security staff, saksi, monitors, press); our own
/// bound, well above any TPS's attendance.
pub const MAX_PEOPLE: usize = 200;

/// A registered person, numbered in order of registration (the chair is 0).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, MaxSize,
)]
pub struct PersonId(pub u16);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What a person is at the TPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, MaxSize)]
pub enum Role {
    /// KPPS member 1..=7; KPPS 1 is the chair.
    Kpps(u8),
    /// TPS security staff (petugas ketertiban), who take the oath with the KPPS.
    Ketertiban,
    /// A witness for one election participant; presents a mandate letter.
    Saksi(ParticipantId),
    /// The Bawaslu supervisor.
    PengawasTps,
    /// An accredited monitor; presents a letter of assignment.
    Pemantau,
    /// Press; presents a letter of assignment.
    Pewarta,
    /// The Panwaslu Kelurahan/Desa (the village-level Bawaslu supervisor), who may object
    /// (seed 004 line 53); presents a letter of assignment.
    Panwaslu,
}

impl Role {
    /// KPPS 1, the chair.
    pub const CHAIR: Role = Role::Kpps(1);

    /// Whether this is the KPPS chair.
    pub fn is_chair(self) -> bool {
        self == Role::CHAIR
    }

    /// Takes the oath at the opening of the meeting.
    pub fn takes_oath(self) -> bool {
        matches!(self, Role::Kpps(_) | Role::Ketertiban)
    }

    /// Hands over a letter (mandate or assignment) that is recorded.
    pub fn needs_letter(self) -> bool {
        matches!(
            self,
            Role::Saksi(_) | Role::Pemantau | Role::Pewarta | Role::Panwaslu
        )
    }

    /// Shows an identity document whose number is recorded: the Ketua KPPS receives "surat tugas
    /// dan identitas diri dari pemantau dan pewarta" (seed 004 line 28).
    pub fn needs_id_number(self) -> bool {
        matches!(self, Role::Pemantau | Role::Pewarta)
    }

    /// The role's name in both languages, as the screens, refusals and journal give it.
    pub fn label(self) -> Bilingual {
        Bilingual::new(self.label_id(), self.label_en())
    }

    /// The role's name with a saksi named by the participant they witness for, when
    /// `participant` names it ("Saksi 3. Partai ..."); issue 8 asks for the participant's name,
    /// never "Partai Politik no. 3", wherever the package is at hand.
    pub fn label_naming(self, participant: Option<&str>) -> Bilingual {
        match (self, participant) {
            (Role::Saksi(_), Some(name)) => {
                Bilingual::new(format!("Saksi {name}"), format!("Saksi for {name}"))
            }
            _ => self.label(),
        }
    }

    /// The role's name in Indonesian.
    pub fn label_id(self) -> String {
        match self {
            Role::Kpps(1) => "Ketua KPPS".to_string(),
            Role::Kpps(n) => format!("Anggota KPPS {n}"),
            Role::Ketertiban => "Petugas Ketertiban TPS".to_string(),
            Role::Saksi(p) => format!("Saksi {} no. {}", p.kind.label_id(), p.number),
            Role::PengawasTps => "Pengawas TPS".to_string(),
            Role::Pemantau => "Pemantau".to_string(),
            Role::Pewarta => "Pewarta".to_string(),
            Role::Panwaslu => "Panwaslu Kelurahan/Desa".to_string(),
        }
    }

    /// The role's name in English.
    pub fn label_en(self) -> String {
        match self {
            Role::Kpps(1) => "KPPS chair".to_string(),
            Role::Kpps(n) => format!("KPPS member {n}"),
            Role::Ketertiban => "TPS security staff".to_string(),
            Role::Saksi(p) => format!("Witness, {} no. {}", p.kind.label_en(), p.number),
            Role::PengawasTps => "TPS supervisor (Pengawas TPS)".to_string(),
            Role::Pemantau => "Election monitor".to_string(),
            Role::Pewarta => "Press".to_string(),
            Role::Panwaslu => "Village election supervisor (Panwaslu Kelurahan/Desa)".to_string(),
        }
    }
}
