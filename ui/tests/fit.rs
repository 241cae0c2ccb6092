//! Nothing overflows and everything reads at arm's length, measured on the elements the
//! testing backend lays out at 800x480: every screen in its worst case (every field empty, all
//! five ballot types, the longest names the records allow, nothing adding up), in Indonesian
//! and English, keeps each text inside the window and its bar, off every other text and off
//! every button it is not part of; a step's empty fields are counted, with a tap to the first;
//! labels, the status bar, the names of who confirmed and warnings are at least 16 px; the
//! close-out's fields are wide enough to tap; the receipt preview keeps each line on one line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery, ElementRoot};
use slint::{ComponentHandle, Model};
use support::{Kiosk, WITNESSES, init_backend, to_voting, worst_cases};
use tps_kiosk_screens::{EditorAdapter, ReportAdapter, Screen};

/// The top bar's and the status bar's heights (Theme.top-bar, Theme.status-bar).
const TOP_BAR: f32 = 56.0;
const STATUS_BAR: f32 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn of(e: &ElementHandle) -> Rect {
        let p = e.absolute_position();
        let s = e.size();
        Rect {
            x: p.x,
            y: p.y,
            w: s.width,
            h: s.height,
        }
    }

    fn right(&self) -> f32 {
        self.x + self.w
    }

    fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Within `o`, half a pixel of rounding allowed.
    fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x - 0.5
            && self.y >= o.y - 0.5
            && self.right() <= o.right() + 0.5
            && self.bottom() <= o.bottom() + 0.5
    }

    /// The part of `self` within `o`, if any.
    fn clip(&self, o: &Rect) -> Option<Rect> {
        let x = self.x.max(o.x);
        let y = self.y.max(o.y);
        let w = self.right().min(o.right()) - x;
        let h = self.bottom().min(o.bottom()) - y;
        (w > 0.5 && h > 0.5).then_some(Rect { x, y, w, h })
    }

    /// Whether the two share more than a pixel each way.
    fn overlaps(&self, o: &Rect) -> bool {
        let w = self.right().min(o.right()) - self.x.max(o.x);
        let h = self.bottom().min(o.bottom()) - self.y.max(o.y);
        w > 1.0 && h > 1.0
    }
}

/// What a text element says, for the failure message.
fn said(e: &ElementHandle) -> String {
    e.accessible_value()
        .filter(|v| !v.is_empty())
        .or_else(|| e.accessible_label())
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("{:?}", e.id()))
}

fn all(root: &ElementHandle, type_name: &str) -> Vec<ElementHandle> {
    root.query_descendants()
        .match_inherits(type_name)
        .find_all()
}

/// The visible part of each element of `list` (what scrolling lists hide is cut off), with
/// those wholly hidden left out.
fn visible(k: &Kiosk, list: Vec<ElementHandle>) -> Vec<(ElementHandle, Rect)> {
    let root = k.ui.app.root_element();
    let scrollers: Vec<(Rect, Vec<Rect>)> = all(&root, "Flickable")
        .iter()
        .map(|f| {
            let inner = f.query_descendants().find_all();
            (Rect::of(f), inner.iter().map(Rect::of).collect())
        })
        .collect();
    list.into_iter()
        .filter_map(|e| {
            let mut r = Rect::of(&e);
            for (area, inner) in &scrollers {
                if inner.contains(&r) {
                    r = r.clip(area)?;
                }
            }
            Some((e, r))
        })
        .collect()
}

/// Fails when a text on the screen leaves the window or its bar, overlaps another text, or
/// overlaps a button it is not part of.
fn check_layout(k: &Kiosk, name: &str) {
    let root = k.ui.app.root_element();
    let window = Rect {
        x: 0.0,
        y: 0.0,
        w: 800.0,
        h: 480.0,
    };
    let top = Rect {
        h: TOP_BAR,
        ..window
    };
    let status = Rect {
        y: 480.0 - STATUS_BAR,
        h: STATUS_BAR,
        ..window
    };
    let texts: Vec<(ElementHandle, Rect)> = visible(k, all(&root, "Text"))
        .into_iter()
        .filter(|(_, r)| r.w > 0.5 && r.h > 0.5)
        .collect();
    let buttons = visible(
        k,
        ElementQuery::from_root(&k.ui.app)
            .match_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .find_all(),
    );
    let mut problems = Vec::new();
    for (i, (e, r)) in texts.iter().enumerate() {
        let text = said(e);
        if !r.inside(&window) {
            problems.push(format!("{text:?} leaves the window: {r:?}"));
        }
        // A text is in a bar wholly or not at all.
        if (r.overlaps(&top) && !r.inside(&top)) || (r.overlaps(&status) && !r.inside(&status)) {
            problems.push(format!("{text:?} runs into a bar: {r:?}"));
        }
        for (other, o) in texts.iter().skip(i + 1) {
            if r.overlaps(o) {
                problems.push(format!("{text:?} {r:?} overlaps {:?} {o:?}", said(other)));
            }
        }
        for (b, o) in &buttons {
            if r.overlaps(o) && !r.inside(o) && !o.inside(r) {
                problems.push(format!(
                    "{text:?} {r:?} runs into the button {:?} {o:?}",
                    b.accessible_label().unwrap_or_default()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
}

#[test]
fn every_screen_in_its_worst_case_keeps_its_texts_in_place_in_both_languages() {
    init_backend();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    let mut seen = 0;
    worst_cases(&mut k, |k, name| {
        check_layout(k, name);
        k.tap("Bahasa / Language");
        check_layout(k, &format!("{name} (English)"));
        k.tap("Bahasa / Language");
        seen += 1;
    });
    assert_eq!(seen, 17);
}

/// From a fresh kiosk to the close-out at 13:30, every field of it empty.
fn to_close_out(k: &mut Kiosk) {
    to_voting(k);
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    k.pin(&k.chair_pin());
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES);
    k.complete();
    k.at("13:30");
    assert_eq!(k.screen(), Screen::Step);
}

/// What the editor shows open: its title (the field it types into).
fn editing(k: &Kiosk) -> Option<String> {
    let editor = k.ui.app.global::<EditorAdapter>();
    (editor.get_mode() != 0).then(|| editor.get_title().to_string())
}

#[test]
fn empty_fields_are_counted_and_a_tap_opens_the_first_in_both_languages() {
    init_backend();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    to_close_out(&mut k);
    let ballots = k.ballots();
    let fields = ballots.len() * 4 + 4 * 2;
    let why = k.value("Alasan Ajukan belum bisa");
    assert!(
        why.starts_with(&format!("{fields} isian belum diisi, yang pertama: ")),
        "{why}"
    );
    assert!(
        why.ends_with(" digunakan. Ketuk di sini untuk mengisinya."),
        "{why}"
    );
    // The reason stays in its place above "Ajukan".
    let reason = Rect::of(&k.control("Ke isian kosong pertama"));
    let propose = Rect::of(&k.control("Ajukan untuk konfirmasi"));
    assert!(reason.bottom() <= propose.y, "{reason:?} {propose:?}");
    k.tap("Bahasa / Language");
    let why = k.value("Why it cannot be submitted yet");
    assert!(
        why.starts_with(&format!("{fields} fields not filled in, the first: ")),
        "{why}"
    );
    assert!(why.ends_with(" used. Tap here to fill it in."), "{why}");
    k.tap("To the first empty field");
    assert_eq!(editing(&k).as_deref(), Some(ballots[0].0.as_str()));
    k.tap("Cancel");
    k.tap("Bahasa / Language");

    // The chair fills the form by the count alone: each tap opens the next empty field, and
    // the form scrolls to it.
    let form_area = Rect {
        x: 0.0,
        y: TOP_BAR,
        w: 800.0,
        h: 480.0 - TOP_BAR - STATUS_BAR,
    };
    for left in (1..=fields).rev() {
        let why = k.value("Alasan Ajukan belum bisa");
        assert!(why.starts_with(&format!("{left} isian")), "{why}");
        k.tap("Ke isian kosong pertama");
        // What the window's event loop does before it draws: the form's scroll follows.
        slint::platform::update_timers_and_animations();
        assert!(editing(&k).is_some(), "{left} left: no editor");
        k.type_number("1");
        if left == 8 {
            // The turnout rows, at the bottom of the form, are brought into view.
            let cell = ElementHandle::find_by_accessible_label(
                &k.ui.app,
                "DPT (daftar pemilih tetap) · Laki-laki",
            )
            .next()
            .unwrap();
            assert!(Rect::of(&cell).inside(&form_area), "{:?}", Rect::of(&cell));
        }
    }
    assert!(!k.has("Ke isian kosong pertama"));
}

/// One line of DejaVu Sans at 16 px: its ascent and descent (1901 + 483 of 2048 units per em).
/// A text's height is its lines' rounded up: 19, 38, 56, 75... px at 16 px, never one of
/// 18, 35, 53, 70... px at 15 px.
const LINE_16: f32 = 16.0 * (1901.0 + 483.0) / 2048.0;

/// Whether a text of height `h` is a whole number of lines at 16 px.
fn lines_at_16px(h: f32) -> bool {
    (1..=12).any(|n| ((n as f32 * LINE_16).ceil() - h).abs() < 0.01)
}

#[test]
fn labels_status_names_and_warnings_read_at_arms_length_and_the_close_out_has_room() {
    init_backend();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    to_close_out(&mut k);
    let root = k.ui.app.root_element();
    let heights = |label: &str| -> Vec<f32> {
        ElementHandle::find_by_accessible_label(&k.ui.app, label)
            .map(|e| e.size().height)
            .collect()
    };
    // The status bar, and the warning beside the form.
    for label in [
        "Printer siap",
        "Listrik PLN",
        "Penutup terkunci",
        "Alasan Ajukan belum bisa",
    ] {
        let h = heights(label);
        assert!(
            !h.is_empty() && h.iter().all(|h| lines_at_16px(*h)),
            "{label}: {h:?}"
        );
    }
    // Each close-out field at least 48 px wide and tall, with its label above it; a ballot
    // type's four fields in two lines of two, so each label has room.
    for (code, _) in k.ballots() {
        let mut lines = Vec::new();
        for cell in [
            "Digunakan",
            "Tidak digunakan",
            "Rusak atau keliru coblos",
            "Diterima pemilih DPTb",
        ] {
            let field = k.control(&format!("{code} · {cell}"));
            let f = Rect::of(&field);
            assert!(f.w >= 48.0 && f.h >= 48.0, "{code} · {cell}: {f:?}");
            let texts: Vec<Rect> = all(&root, "Text").iter().map(Rect::of).collect();
            let label = texts
                .iter()
                .filter(|t| t.bottom() <= f.y && t.bottom() >= f.y - 4.0)
                .find(|t| t.x >= f.x - 0.5 && t.right() <= f.right() + 0.5)
                .unwrap_or_else(|| panic!("no label above {code} · {cell}"));
            assert!(lines_at_16px(label.h), "{code} · {cell}: {label:?}");
            lines.push(f.x);
        }
        // Where each starts across the form (scrolling moves none of them sideways): the third
        // starts a line as the first does, the fourth follows it.
        assert!(lines[1] > lines[0], "{code}: {lines:?}");
        assert_eq!(lines[2], lines[0], "{code}: {lines:?}");
        assert!(lines[3] > lines[2], "{code}: {lines:?}");
    }

    // Who confirmed: the names under each requirement met.
    k.fill_close_out(|_, delivered| delivered - 214 - 2);
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&WITNESSES[..1]);
    assert!(k.shows(WITNESSES[0]));
    let h = heights(WITNESSES[0]);
    assert!(
        !h.is_empty() && h.iter().all(|h| lines_at_16px(*h)),
        "{h:?}"
    );
}

#[test]
fn the_receipt_preview_keeps_every_line_of_the_paper_on_one_line() {
    init_backend();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    to_voting(&mut k);
    k.tap("Cetak laporan pembukaan");
    let lines = k.ui.app.global::<ReportAdapter>().get_lines();
    // What the paper shows of each line, read while scrolling it through as the chair does.
    let mut shown = std::collections::HashMap::new();
    k.scroll_to_top();
    for _ in 0..60 {
        for t in all(&k.ui.app.root_element(), "Text") {
            if let Some(label) = t.accessible_label() {
                shown.entry(label.to_string()).or_insert(t.size().height);
            }
        }
        for s in ElementQuery::from_root(&k.ui.app)
            .match_descendants()
            .match_inherits("Flickable")
            .find_all()
        {
            s.scroll(0.0, -60.0);
        }
    }
    let mut measured = 0;
    for line in lines.iter().filter(|l| l.kind == 0 && !l.text.is_empty()) {
        // DejaVu Sans Mono: one line is 1.164 em; the paper's lines are 15 px, double 30 px.
        let one = if line.double { 30.0 } else { 15.0 } * 1.164;
        let height = shown
            .get(line.text.as_str())
            .unwrap_or_else(|| panic!("{:?} is not shown", line.text));
        assert!(
            *height < one * 1.5,
            "{:?} wraps: {height} px for lines of {one} px",
            line.text
        );
        measured += 1;
    }
    assert!(measured > 20, "{measured}");
}
