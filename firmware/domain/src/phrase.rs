//! Phrases the engine's refusals, the kiosk's lists and the journal's describer share, so each
//! is worded once.

use tps_base::text::Lang;

/// Who a step still lacks, as one phrase: "the Pengawas TPS, saksi of 2 more participant(s) and
/// Anggota 3". The refusal, the kiosk's incident list and the journal's describer all say it so;
/// oath takers who have not confirmed are named by the caller.
pub fn who_is_missing(
    pengawas: bool,
    saksi_participants: u8,
    witnesses: u8,
    oath_takers: &[String],
    lang: Lang,
) -> String {
    let mut who = missing_witnesses(pengawas, saksi_participants, witnesses, lang);
    who.extend(oath_takers.iter().cloned());
    list(&who, lang)
}

fn missing_witnesses(
    pengawas: bool,
    saksi_participants: u8,
    witnesses: u8,
    lang: Lang,
) -> Vec<String> {
    let id = lang == Lang::Id;
    let mut who = Vec::new();
    if pengawas {
        who.push(if id {
            "Pengawas TPS".to_string()
        } else {
            "the Pengawas TPS".to_string()
        });
    }
    if saksi_participants > 0 {
        who.push(if id {
            format!("saksi dari {saksi_participants} peserta lagi")
        } else {
            format!("saksi of {saksi_participants} more participant(s)")
        });
    }
    if witnesses > 0 {
        who.push(if id {
            format!("{witnesses} saksi/pengawas lagi")
        } else {
            format!("{witnesses} more witness(es)")
        });
    }
    who
}

/// `items` as one phrase: "a, b and c" ("a, b dan c").
pub fn list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let and = if lang == Lang::Id { "dan" } else { "and" };
            format!("{} {and} {last}", init.join(", "))
        }
    }
}
