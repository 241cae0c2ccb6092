//! Every screen drawn by the software renderer at 800x480, as PNG files under
//! `target/screenshots/`: each must show something and no two may be the same. The worst cases
//! for room on the screen (`worst-*.png`, and `worst-*-en.png` in English) are among them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::path::PathBuf;

use slint::ComponentHandle;
use support::{Kiosk, authority_answers, init_backend, tour, worst_cases};

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("screenshots")
}

fn write_png(path: &std::path::Path, width: u32, height: u32, rgba: &[u8]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
}

#[test]
fn every_screen_renders_at_800x480_and_each_is_different() {
    init_backend();
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut k = Kiosk::new();
    k.ui.app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    let mut seen: HashMap<Vec<u8>, String> = HashMap::new();
    let mut names = Vec::new();
    tour(&mut k, |k, name| {
        let shot = k.ui.app.window().take_snapshot().unwrap();
        assert_eq!((shot.width(), shot.height()), (800, 480), "{name}");
        let bytes: Vec<u8> = shot.as_bytes().to_vec();
        // Something is drawn: many colours, and the page is not one flat fill.
        let mut colours = std::collections::HashSet::new();
        for px in bytes.chunks_exact(4) {
            colours.insert([px[0], px[1], px[2]]);
        }
        assert!(
            colours.len() > 16,
            "{name} looks blank ({} colours)",
            colours.len()
        );
        if let Some(other) = seen.insert(bytes.clone(), name.to_string()) {
            panic!("{name} is drawn exactly like {other}");
        }
        write_png(&dir.join(format!("{name}.png")), 800, 480, &bytes);
        names.push(name.to_string());
    });
    // A blank device's provisioning screens.
    let blank = Kiosk::blank();
    blank
        .ui
        .app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    let mut shoot = |k: &Kiosk, name: &str| {
        let shot = k.ui.app.window().take_snapshot().unwrap();
        let bytes: Vec<u8> = shot.as_bytes().to_vec();
        if let Some(other) = seen.insert(bytes.clone(), name.to_string()) {
            panic!("{name} is drawn exactly like {other}");
        }
        write_png(&dir.join(format!("{name}.png")), 800, 480, &bytes);
        names.push(name.to_string());
    };
    shoot(&blank, "provision-blank");
    blank.tap("Buat permintaan sertifikat");
    shoot(&blank, "provision-requested");
    authority_answers(&blank, tps_station::station::SIM_DEVICE_ID);
    blank.tap("Periksa jawaban di USB");
    shoot(&blank, "provision-checked");
    blank.tap("Benar, pasang");
    shoot(&blank, "provision-pin");
    // "Siapkan untuk pemilu berikutnya": the confirmation before the technician PIN.
    let fresh = Kiosk::new();
    fresh
        .ui
        .app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    fresh.tap("Siapkan untuk pemilu berikutnya");
    shoot(&fresh, "reprovision-confirm");
    // The worst cases for room on the screen, in both languages.
    let mut worst = Kiosk::new();
    worst
        .ui
        .app
        .window()
        .set_size(slint::PhysicalSize::new(800, 480));
    worst_cases(&mut worst, |k, name| {
        shoot(k, name);
        k.tap("Bahasa / Language");
        shoot(k, &format!("{name}-en"));
        k.tap("Bahasa / Language");
    });
    assert!(names.len() >= 30, "{names:?}");
}
