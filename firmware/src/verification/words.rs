//! Words the verification report and the auditor's tools print, in the language asked for.

use tps_base::text::Lang;
use tps_journal::verify::VerifyError;

/// The warning on anything a development authority signed, in English.
pub const DEVELOPMENT_MARK: &str = "DEVELOPMENT authority — not valid for an election";

/// The verdict on something that does not verify.
pub fn failed(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "GAGAL",
        Lang::En => "FAILED",
    }
}

/// Where and why a journal fails: "FAILED at record 5: bad signature".
pub fn failed_at(e: &VerifyError, lang: Lang) -> String {
    let at = match lang {
        Lang::Id => "pada",
        Lang::En => "at",
    };
    format!("{} {at} {}", failed(lang), e.message(lang))
}

/// The warning on anything a development authority signed.
pub fn development_mark(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "otoritas PENGEMBANGAN — tidak sah untuk pemilu",
        Lang::En => DEVELOPMENT_MARK,
    }
}

/// Why a development-signed journal fails without `--allow-development`.
pub fn development_refused(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => {
            "ditandatangani dengan sertifikat atau otoritas pengembangan: tidak sah untuk pemilu \
             (beri --allow-development untuk menerimanya saat uji coba)"
        }
        Lang::En => {
            "signed under a development certificate or authority: not valid for an election \
             (give --allow-development to accept it for testing)"
        }
    }
}

/// A number of journal records: "8 records", "8 catatan".
pub fn records(n: impl std::fmt::Display, lang: Lang) -> String {
    match lang {
        Lang::Id => format!("{n} catatan"),
        Lang::En => format!("{n} records"),
    }
}

/// `text` with a capital first letter, to start a line with a term said mid-sentence elsewhere.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
