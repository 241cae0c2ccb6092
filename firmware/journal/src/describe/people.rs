//! The people at the TPS: registration, coming in and going out, wrong PINs, and how a person is
//! named in every other line.

use super::{Describer, Person, clean, tr};
use tps_base::text::Lang;
use tps_domain::people::{PersonId, Role};

impl Describer<'_> {
    /// `Name (role)` of a registered person, or `person #N (not registered)`.
    pub fn person(&self, id: PersonId) -> String {
        match (self.people.get(&id), self.lang) {
            (Some(p), _) => format!("{} ({})", p.name, self.role_name(p.role)),
            (None, Lang::Id) => format!("orang {id} (tidak terdaftar)"),
            (None, Lang::En) => format!("person {id} (not registered)"),
        }
    }

    pub(super) fn registered(
        &mut self,
        person: PersonId,
        role: Role,
        [name, letter, id_number]: [&str; 3],
        present: bool,
        by: Option<PersonId>,
    ) -> (String, Vec<String>) {
        let name = clean(name);
        let label = self.role_name(role);
        let mut text = match self.lang {
            Lang::Id => format!("{name} didaftarkan sebagai {label} ({person})"),
            Lang::En => format!("Registered {name} as {label} ({person})"),
        };
        if !letter.is_empty() {
            let kind = match (role, self.lang) {
                (Role::Saksi(_), Lang::Id) => "surat mandat",
                (_, Lang::Id) => "surat tugas",
                (_, Lang::En) => "letter",
            };
            text.push_str(&format!(", {kind} {}", clean(letter)));
        }
        if !id_number.is_empty() {
            let kind = tr(self.lang, "nomor identitas", "ID number");
            text.push_str(&format!(", {kind} {}", clean(id_number)));
        }
        text.push_str(match (present, self.lang) {
            (true, lang) => tr(lang, ", hadir", ", present"),
            (false, lang) => tr(lang, ", tidak hadir", ", not present"),
        });
        self.people.insert(person, Person { name, role });
        let by = by.map(|b| self.person(b)).into_iter().collect();
        (text, by)
    }

    pub(super) fn presence(
        &self,
        person: PersonId,
        present: bool,
        by: PersonId,
    ) -> (String, Vec<String>) {
        let verb = match (present, self.lang) {
            (true, lang) => tr(lang, "masuk ke TPS", "came in"),
            (false, lang) => tr(lang, "keluar dari TPS", "went out"),
        };
        (
            format!("{} {verb}", self.person(person)),
            vec![self.person(by)],
        )
    }

    pub(super) fn pin_failed(&self, person: PersonId, failures: u16) -> String {
        let who = self.person(person);
        match self.lang {
            Lang::Id => format!("PIN salah untuk {who} ({failures} kali berturut-turut)"),
            Lang::En => format!("Wrong PIN for {who} ({failures} in a row)"),
        }
    }
}
