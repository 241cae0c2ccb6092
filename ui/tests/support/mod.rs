//! Driving the kiosk screen the way a chair does: by touch, finding every control by its
//! accessible label, on simulated hardware with a clock the test moves.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::rc::Rc;
use std::sync::mpsc::{Receiver, channel};

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use slint::ComponentHandle;
use tps_firmware::identity::package::ElectionPackage;
use tps_firmware::procedure::spec::{Stage, builtin};
use tps_firmware::procedure::{Phase, State};
use tps_firmware::time::{LocalTime, instant_at};
use tps_hal_sim::SimHardware;
use tps_kiosk::cli::DEFAULT_PACKAGE;
use tps_kiosk::controllers::Ui;
use tps_kiosk::station::SimStation;
use tps_kiosk::worker::Worker;
use tps_kiosk_screens::{AppWindow, Screen, Shell};

/// PINs that pass the strength rules, one per person in registration order.
pub const PINS: [&str; 16] = [
    "271828", "314159", "141421", "173205", "223606", "161803", "577215", "693147", "302585",
    "259265", "466920", "120205", "915965", "833462", "101325", "662607",
];

/// The kiosk screen on a simulated station in a temporary directory.
pub struct Kiosk {
    pub ui: Rc<Ui>,
    pub hw: SimHardware,
    news: Receiver<()>,
    pub dir: tempfile::TempDir,
    package: ElectionPackage,
    /// Registered people: (name, PIN).
    pub people: Vec<(String, String)>,
}

impl Kiosk {
    /// A freshly provisioned kiosk at 05:40 on election day. The platform (testing backend) must
    /// be set first.
    pub fn new() -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        Self::open(dir)
    }

    /// The kiosk on `dir` (provisioned if new), at 05:40 or where the clock file says.
    pub fn open(dir: tempfile::TempDir) -> Kiosk {
        let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
        let start = tps_kiosk::sim_panel::saved_clock(dir.path()).unwrap_or_else(|| {
            instant_at(package.date, LocalTime::new(5, 40), package.zone).unwrap()
        });
        let station = SimStation::open(dir.path(), DEFAULT_PACKAGE, start).unwrap();
        let hw = station.hw.clone();
        let app = AppWindow::new().unwrap();
        let (tx, news) = channel();
        let worker = Worker::start(
            station,
            Box::new(move || {
                let _ = tx.send(());
            }),
        )
        .unwrap();
        let ui = Ui::new(app, worker, tps_firmware::procedure::Lang::Id);
        let kiosk = Kiosk {
            ui,
            hw,
            news,
            dir,
            package,
            people: Vec::new(),
        };
        kiosk.settle();
        kiosk
    }

    /// Waits until every job sent to the station has been answered and shown.
    pub fn settle(&self) {
        loop {
            self.ui.drain();
            if self.ui.idle() {
                return;
            }
            self.news.recv().expect("the station thread stopped");
        }
    }

    /// Lets time pass until `hhmm` local time on election day, then reads the hardware.
    pub fn at(&self, hhmm: &str) {
        let target = instant_at(
            self.package.date,
            LocalTime::parse(hhmm).unwrap(),
            self.package.zone,
        )
        .unwrap();
        let now = self.hw.rtc.time_ms();
        assert!(target >= now, "the clock only moves forward ({hhmm})");
        self.hw.clock.advance((target - now) as u64);
        self.poll();
    }

    pub fn poll(&self) {
        self.ui.poll();
        self.settle();
    }

    pub fn state(&self) -> State {
        self.ui.model.borrow().state().unwrap().clone()
    }

    pub fn screen(&self) -> Screen {
        self.ui.app.global::<Shell>().get_screen()
    }

    fn all(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(&self.ui.app, label).collect()
    }

    fn controls(&self, label: &str) -> Vec<ElementHandle> {
        self.all(label)
            .into_iter()
            .filter(|e| {
                matches!(
                    e.accessible_role(),
                    Some(AccessibleRole::Button | AccessibleRole::Checkbox)
                )
            })
            .collect()
    }

    /// The control (button, checkbox) with this label, scrolling the lists on the screen as a
    /// chair would until it shows.
    pub fn control(&self, label: &str) -> ElementHandle {
        if let Some(c) = self.controls(label).into_iter().next() {
            return c;
        }
        for direction in [-1.0, 1.0] {
            for _ in 0..30 {
                let scrollers = i_slint_backend_testing::ElementQuery::from_root(&self.ui.app)
                    .match_descendants()
                    .match_inherits("Flickable")
                    .find_all();
                for s in &scrollers {
                    s.scroll(0.0, direction * 60.0);
                }
                if let Some(c) = self.controls(label).into_iter().next() {
                    return c;
                }
            }
        }
        let buttons: Vec<String> = i_slint_backend_testing::ElementQuery::from_root(&self.ui.app)
            .match_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label().map(|l| l.to_string()))
            .collect();
        panic!(
            "no control labelled {label:?} on {:?}; notice: {:?}; buttons: {buttons:?}",
            self.screen(),
            self.notice()
        );
    }

    pub fn has(&self, label: &str) -> bool {
        !self.all(label).is_empty()
    }

    pub fn enabled(&self, label: &str) -> bool {
        self.control(label).accessible_enabled() == Some(true)
    }

    /// The value of the element with this label (a text's shown value).
    pub fn value(&self, label: &str) -> String {
        self.all(label)
            .into_iter()
            .find_map(|e| e.accessible_value())
            .map(|v| v.to_string())
            .unwrap_or_default()
    }

    pub fn notice(&self) -> String {
        self.ui.app.global::<Shell>().get_notice().to_string()
    }

    /// Taps a control, which must be enabled, and waits for what it started.
    pub fn tap(&self, label: &str) {
        let c = self.control(label);
        assert_eq!(
            c.accessible_enabled(),
            Some(true),
            "{label:?} is disabled on {:?}: {:?} / {:?}",
            self.screen(),
            c.accessible_description(),
            self.notice()
        );
        c.invoke_accessible_default_action();
        self.settle();
    }

    /// Types on the on-screen keyboard, then "Selesai".
    pub fn type_text(&self, text: &str) {
        for ch in text.chars() {
            let key = match ch {
                ' ' => "spasi".to_string(),
                c => c.to_string(),
            };
            if !self.has(&key) {
                // The other case: shift.
                self.tap("Huruf besar");
            }
            self.tap(&key);
        }
        self.tap("Selesai");
    }

    /// Types digits on the keypad, then "Selesai".
    pub fn type_number(&self, digits: &str) {
        for d in digits.chars() {
            self.tap(&d.to_string());
        }
        self.tap("Selesai");
    }

    /// Takes the screen (if it is being handed over) and types a PIN.
    pub fn pin(&self, pin: &str) {
        if self.has("Saya sudah memegang layar") {
            self.tap("Saya sudah memegang layar");
        }
        for d in pin.chars() {
            self.tap(&d.to_string());
        }
        self.tap("OK");
    }

    pub fn chair_pin(&self) -> String {
        self.people[0].1.clone()
    }

    fn pin_of(&self, name: &str) -> String {
        self.people
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap()
    }

    /// Registers a person from the attendance screen: role (and participant), name, letter,
    /// their PIN twice, and the chair's PIN after the first.
    pub fn register(&mut self, role: &str, participant: Option<&str>, name: &str, letter: &str) {
        assert_eq!(self.screen(), Screen::Attendance);
        self.tap("Daftarkan orang");
        self.tap("Peran");
        self.tap(role);
        if let Some(p) = participant {
            self.tap(p);
        }
        self.tap("Nama");
        self.type_text(name);
        if !letter.is_empty() {
            self.tap("Nomor surat mandat/tugas");
            self.type_text(letter);
        }
        self.tap("Buat PIN");
        let pin = PINS[self.people.len()].to_string();
        self.pin(&pin);
        self.pin(&pin);
        if !self.people.is_empty() {
            let chair = self.chair_pin();
            self.pin(&chair);
        }
        assert_eq!(
            self.notice(),
            format!("Tersimpan: {name} terdaftar."),
            "registering {name}"
        );
        self.people.push((name.to_string(), pin));
    }

    /// "Lanjut" with the chair's PIN.
    pub fn complete(&self) {
        self.tap("Lanjut");
        let chair = self.chair_pin();
        self.pin(&chair);
    }

    /// Each of `names` confirms the open proposal with their PIN.
    pub fn confirm(&self, names: &[&str]) {
        for name in names {
            self.tap("Konfirmasi");
            self.tap(name);
            let pin = self.pin_of(name);
            self.pin(&pin);
            assert_eq!(self.notice(), "Tersimpan: konfirmasi.", "{name} confirming");
        }
    }

    /// Opens the current step from the home screen.
    pub fn open_current_step(&self) {
        self.tap("Beranda");
        self.tap("Buka langkah sekarang");
    }

    pub fn phase(&self) -> Phase {
        self.state().phase()
    }

    /// Equipment names of a stage for this TPS, in Indonesian, with the count expected in the box.
    pub fn equipment(&self, stage: Stage) -> Vec<(String, u16)> {
        let procedure = builtin(&self.package.procedure).unwrap();
        let ballots = self.package.ballot_types();
        procedure
            .equipment_for(stage, &ballots)
            .map(|e| {
                let n = if e.per_ballot {
                    e.quantity * ballots.len() as u16
                } else {
                    e.quantity
                };
                (e.name.id.clone(), n)
            })
            .collect()
    }

    pub fn topics(&self) -> Vec<String> {
        builtin(&self.package.procedure)
            .unwrap()
            .explanations
            .iter()
            .map(|t| t.text.id.clone())
            .collect()
    }

    /// (code, delivered) of each ballot type.
    pub fn ballots(&self) -> Vec<(String, u32)> {
        self.package
            .ballots
            .iter()
            .map(|b| (b.ballot.code().to_string(), b.delivered))
            .collect()
    }
}

/// The testing backend for this test thread, with the software renderer for snapshots.
pub fn init_backend() {
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )))
    .unwrap();
}
