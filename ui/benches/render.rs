//! Software-render time of every screen at 800x480: each screen of the day (the same tour as the
//! screenshot test) is redrawn in full, again and again, into an RGBA buffer, and the median
//! time per full redraw is printed. Target: 8 ms per screen.
//!
//! `cargo bench -p tps-kiosk --bench render`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;
use slint::platform::software_renderer::{
    MinimalSoftwareWindow, PremultipliedRgbaColor, RepaintBufferType,
};
use slint::platform::{Platform, WindowAdapter};

const WIDTH: u32 = 800;
const HEIGHT: u32 = 480;
const REDRAWS: usize = 41;
const TARGET: Duration = Duration::from_millis(8);

struct Offscreen {
    window: Rc<MinimalSoftwareWindow>,
    start: Instant,
}

impl Platform for Offscreen {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.start.elapsed()
    }
}

fn main() {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    window.set_size(slint::PhysicalSize::new(WIDTH, HEIGHT));
    slint::platform::set_platform(Box::new(Offscreen {
        window: window.clone(),
        start: Instant::now(),
    }))
    .unwrap();

    let mut k = support::Kiosk::new();
    k.ui.app.show().unwrap();
    let mut buffer = vec![PremultipliedRgbaColor::default(); (WIDTH * HEIGHT) as usize];
    let mut rows: Vec<(String, Duration, Duration)> = Vec::new();
    support::tour(&mut k, |_, name| {
        let mut times = Vec::with_capacity(REDRAWS);
        for _ in 0..REDRAWS {
            window.request_redraw();
            let started = Instant::now();
            let drawn = window.draw_if_needed(|renderer| {
                renderer.render(&mut buffer, WIDTH as usize);
            });
            times.push(started.elapsed());
            assert!(drawn, "{name} was not redrawn");
        }
        times.sort();
        rows.push((name.to_string(), times[REDRAWS / 2], times[REDRAWS - 1]));
    });

    println!("software renderer, {WIDTH}x{HEIGHT}, full redraw, {REDRAWS} redraws per screen");
    println!("{:<30} {:>10} {:>10}", "screen", "median ms", "max ms");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (name, median, max) in &rows {
        let flag = if *median <= TARGET { "" } else { "  over 8 ms" };
        println!("{name:<30} {:>10.2} {:>10.2}{flag}", ms(*median), ms(*max));
    }
    let worst = rows.iter().map(|r| r.1).max().unwrap_or_default();
    println!(
        "worst median: {:.2} ms (target {} ms)",
        ms(worst),
        TARGET.as_millis()
    );
}
