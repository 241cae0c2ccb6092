//! Text in the kiosk's two languages. Indonesian is the default; English is one tap away.

use serde::Deserialize;

/// A language the kiosk speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The language's ISO 639-1 code: "id" or "en".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// A text in Indonesian and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    /// The Indonesian text.
    pub id: String,
    /// The English text.
    pub en: String,
}

impl Bilingual {
    /// A text from its Indonesian and English wording.
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: en.into(),
        }
    }

    /// Words that read the same in both languages (a device id, a driver's own message).
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Self {
            id: s.clone(),
            en: s,
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}
