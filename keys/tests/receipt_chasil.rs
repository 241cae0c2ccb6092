//! `receipt verify` of a C.Hasil's QR sequence reads its `CH1` content: the figures, readably,
//! and whether they add up (a difference is reported, not a failure); content that is no
//! C.Hasil of the codes' ballot fails in one line, even under a good signature.
#![allow(clippy::unwrap_used, clippy::panic)] // a test crate: a failure is a failing test

mod support;

use std::path::Path;

use support::{provision, tps_keys};
use tps_firmware::chasil;
use tps_firmware::election::{BallotType, TpsCode};
use tps_firmware::identity::keyfile::{KeyKind, read_signing_key, read_verifying_key};
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::report::sequence;
use tps_firmware::tally::Tally;

const TPS: &str = "31.71.01.1001.012";

fn package(dir: &Path) -> ElectionPackage {
    let (authority, _) =
        read_verifying_key(&dir.join("auth/authority.pub"), KeyKind::AuthorityPublic).unwrap();
    ElectionPackage::read(
        &std::fs::read(dir.join("package.tpsp")).unwrap(),
        &authority,
    )
    .unwrap()
}

/// The example package's DPR count (18 parties, their lists of up to 7), adding up.
fn dpr(dir: &Path) -> Tally {
    let p = package(dir);
    let mut t = Tally::blank(p.ballot(BallotType::Dpr).unwrap());
    let mut valid = 0;
    for x in t.participants.as_mut_slice() {
        let n = u32::from(x.number);
        x.party_only = n % 4;
        for c in x.candidates.as_mut_slice() {
            c.votes = (n + u32::from(c.number)) % 3;
        }
        x.votes = x.party_only + x.candidates.iter().map(|c| c.votes).sum::<u32>();
        valid += x.votes;
    }
    t.valid = valid;
    t.invalid = 9;
    t
}

/// The codes the provisioned device prints for `payload` as a `ballot` result.
fn codes(dir: &Path, ballot: BallotType, payload: &str) -> Vec<String> {
    let device = read_signing_key(&dir.join("device.key"), KeyKind::DeviceSecret).unwrap();
    let certificate = std::fs::read(dir.join("device.crt")).unwrap();
    sequence::encode(
        TpsCode::parse(TPS).unwrap(),
        ballot,
        ("pi-0001", &certificate),
        (40, [7; 32]),
        payload,
        &device,
    )
    .unwrap()
}

fn verify(dir: &Path, codes: &[String], extra: &[&str]) -> support::Run {
    let mut args = vec!["receipt", "verify", "--authority", "auth/authority.pub"];
    for c in codes {
        args.extend(["--code", c.as_str()]);
    }
    args.extend(extra);
    tps_keys(dir, &args)
}

#[test]
fn the_figures_are_printed_and_the_sums_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    provision(dir, "election-pemilu-2024.toml", false);
    let t = dpr(dir);
    let parts = codes(dir, BallotType::Dpr, &chasil::encode(&t).unwrap());
    let p1 = &t.participants[0];
    let candidates: Vec<String> = p1
        .candidates
        .iter()
        .map(|c| format!("{}:{}", c.number, c.votes))
        .collect();

    let run = verify(dir, &parts, &[]).expect(0);
    let total = t.valid + t.invalid;
    for line in [
        format!("C.Hasil DPR: valid {}, invalid 9, total {total}\n", t.valid),
        format!(
            "  1: {} (party only {}; candidates {})\n",
            p1.votes,
            p1.party_only,
            candidates.join(" ")
        ),
        "the sums hold: the participants' votes = the valid votes; each party's = its \
         party-only votes + its candidates'\n"
            .to_string(),
    ] {
        assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
    }
    assert!(
        run.stdout.contains("OK without the journal"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("DIFFERENCE"), "{}", run.stdout);

    // With the package: each party named; in Indonesian.
    let run = verify(dir, &parts, &["--package", "package.tpsp", "--lang", "id"]).expect(0);
    assert!(
        run.stdout.contains(&format!(
            "C.Hasil DPR: suara sah {}, suara tidak sah 9, jumlah {total}\n  1. Partai \
             Kebangkitan Bangsa: {} (partai saja",
            t.valid, p1.votes
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("jumlah cocok"), "{}", run.stdout);

    // As JSON: every figure, and the sums.
    let run = verify(dir, &parts, &["--package", "package.tpsp", "--json"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let r = &v["result"];
    assert_eq!(r["ballot"], "DPR");
    assert_eq!(r["valid"], t.valid);
    assert_eq!(r["invalid"], 9);
    assert_eq!(r["sums_hold"], true);
    assert_eq!(r["participants"].as_array().unwrap().len(), 18);
    assert_eq!(r["participants"][0]["name"], "Partai Kebangkitan Bangsa");
    assert_eq!(r["participants"][0]["party_only"], p1.party_only);
    assert_eq!(
        r["participants"][0]["candidates"][1]["votes"],
        p1.candidates[1].votes
    );

    // A ballot without lists: votes only.
    let ppwp = codes(dir, BallotType::Ppwp, "CH1/PPWP/V300/I4/P120/P98/P82");
    let run = verify(dir, &ppwp, &[]).expect(0);
    assert!(
        run.stdout.contains(
            "C.Hasil PPWP: valid 300, invalid 4, total 304\n  1: 120\n  2: 98\n  3: 82\n\
             the sums hold: the participants' votes = the valid votes\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_difference_is_reported_with_its_numbers_not_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    provision(dir, "election-pemilu-2024.toml", false);
    let mut t = dpr(dir);
    // Party 1 written one vote more than its party-only and candidates' votes make.
    t.participants.as_mut_slice()[0].votes += 1;
    let (votes, party_only) = (t.participants[0].votes, t.participants[0].party_only);
    let candidates = votes - 1 - party_only;
    let parts = codes(dir, BallotType::Dpr, &chasil::encode(&t).unwrap());
    let run = verify(dir, &parts, &[]).expect(0);
    assert!(
        run.stdout.contains("OK without the journal"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "DIFFERENCE: Party 1 has {votes} votes, but its party-only votes {party_only} plus \
             its candidates' {candidates} make {}\n",
            votes - 1
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "DIFFERENCE: The participants' votes add up to {}, but the valid votes are {}\n",
            t.valid + 1,
            t.valid
        )),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("the sums hold"), "{}", run.stdout);
    let run = verify(dir, &parts, &["--json", "--lang", "id"]).expect(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["result"]["sums_hold"], false);
    assert_eq!(v["result"]["differences"].as_array().unwrap().len(), 2);

    // With the package: a candidate its list does not have, and a party missing.
    let mut t = dpr(dir);
    let mut extra = t.participants[0].clone();
    extra.candidates.as_mut_slice()[0].number = 9;
    t.participants.as_mut_slice()[0] = extra;
    let last = t.participants.len() - 1;
    let gone = t.participants[last].clone();
    let kept: Vec<_> = t.participants[..last].to_vec();
    *t.participants = kept.try_into().unwrap();
    t.valid -= gone.votes;
    let parts = codes(dir, BallotType::Dpr, &chasil::encode(&t).unwrap());
    let run = verify(dir, &parts, &["--package", "package.tpsp"]).expect(0);
    for line in [
        "DIFFERENCE: Candidate 9 is not on participant 1's list\n".to_string(),
        "DIFFERENCE: The votes of candidate 1 of party 1 are not entered\n".to_string(),
        format!(
            "DIFFERENCE: Participant {}'s votes are not entered\n",
            gone.number
        ),
    ] {
        assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
    }
    // Without the package only the sums are checked: these hold.
    let run = verify(dir, &parts, &[]).expect(0);
    assert!(run.stdout.contains("the sums hold"), "{}", run.stdout);
}

#[test]
fn content_that_is_no_c_hasil_of_the_codes_ballot_fails_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    provision(dir, "election-pemilu-2024.toml", false);
    for (payload, words) in [
        ("1:120/2:98", "not a C.Hasil of version CH1"),
        ("CH2/DPR/V1/I0", "not a C.Hasil of version CH1"),
        (
            "CH1/DPR/V1/I0/P1:1+1",
            "character 16: a form the device never writes",
        ),
        (
            "CH1/DPR/V4294967296/I0",
            "character 10: the number is too large",
        ),
        ("CH1/DPR/V1/I0/P3:1+1/P3:1+1", "participant 3 appears twice"),
        (
            "CH1/DPR/V1/I0/P1+0.1.3:1.3:2",
            "candidate 3 of participant 1 appears twice",
        ),
        (
            "CH1/DPR/V1/I01",
            "character 13: a number with a leading zero",
        ),
        (
            "CH1/DPR/V1/I0/P1+1X",
            "unexpected characters from character 19",
        ),
        ("CH1/DPRX/V1/I0", "unknown ballot type"),
        (
            "CH1/PPWP/V1/I0/P1",
            "the codes name the DPR ballot, but the content is a C.Hasil of PPWP",
        ),
    ] {
        let parts = codes(dir, BallotType::Dpr, payload);
        let run = verify(dir, &parts, &[]).one_line_error(1, &[words]);
        assert!(
            run.stdout.contains("FAILED: ") && run.stdout.contains(words),
            "{payload}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains("OK without"), "{}", run.stdout);
        let run = verify(dir, &parts, &["--json", "--lang", "id"]).expect(1);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(v["ok"], false, "{payload}");
        assert!(v["result"].is_null(), "{payload}");
        assert!(
            ["isi kode", "kode menyebut"]
                .iter()
                .any(|w| v["problems"][0].as_str().unwrap().starts_with(w)),
            "{}",
            run.stdout
        );
    }
    // Too many participants, a number past u16: named too.
    let many = format!("CH1/PPWP/V0/I0{}", "/P0".repeat(65));
    let parts = codes(dir, BallotType::Ppwp, &many);
    verify(dir, &parts, &[]).one_line_error(1, &["more than 64 participants"]);
    let parts = codes(dir, BallotType::Dpr, "CH1/DPR/V0/I0/P70000:0");
    verify(dir, &parts, &[]).one_line_error(1, &["character 16: the number is too large"]);
}
