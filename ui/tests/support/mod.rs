//! Driving the kiosk screen the way a chair does: by touch, finding every control by its
//! accessible label, on simulated hardware with a clock the test moves.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::rc::Rc;
use std::sync::mpsc::{Receiver, channel};

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use slint::ComponentHandle;
use tps_firmware::identity::package::{ElectionPackage, SignedPackage};
use tps_firmware::procedure::spec::{Stage, builtin};
use tps_firmware::procedure::{Phase, State};
use tps_firmware::time::{LocalTime, instant_at};
use tps_hal_sim::SimHardware;
use tps_kiosk::controllers::Ui;
use tps_kiosk_screens::{AppWindow, AskAdapter, Screen, Shell};
use tps_station::scenario::DEFAULT_PACKAGE;
use tps_station::station::SimStation;
use tps_station::worker::Worker;

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
    /// The taps made on the screen so far (every key of a keyboard or PIN pad is one).
    pub taps: std::cell::Cell<usize>,
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
        Self::open_at(dir, start)
    }

    /// The kiosk on `dir` (provisioned if new) with its clock at `start` (unix ms).
    pub fn open_at(dir: tempfile::TempDir, start: i64) -> Kiosk {
        let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
        let station = SimStation::open(dir.path(), DEFAULT_PACKAGE, start).unwrap();
        Self::on(dir, station, package)
    }

    /// The kiosk on `dir` (provisioned already) taken as a device outside the simulator takes
    /// it (without `--sim`), at 05:40 on election day.
    pub fn as_election_device(dir: tempfile::TempDir) -> Kiosk {
        let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
        let start = instant_at(package.date, LocalTime::new(5, 40), package.zone).unwrap();
        Self::as_election_device_at(dir, start)
    }

    /// As [`Kiosk::as_election_device`], with the clock at `start` (unix ms).
    pub fn as_election_device_at(dir: tempfile::TempDir, start: i64) -> Kiosk {
        let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
        let station = SimStation::open_as_election_device(dir.path(), start).unwrap();
        Self::on(dir, station, package)
    }

    /// A blank device (no identity: it starts in provisioning) at 05:40 on election day.
    pub fn blank() -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let package = ElectionPackage::from_toml(DEFAULT_PACKAGE).unwrap();
        let start = instant_at(package.date, LocalTime::new(5, 40), package.zone).unwrap();
        let station = SimStation::open_as_is(dir.path(), start).unwrap();
        Self::on(dir, station, package)
    }

    fn on(dir: tempfile::TempDir, station: SimStation, package: ElectionPackage) -> Kiosk {
        let hw = station.hw().clone();
        let app = AppWindow::new().unwrap();
        let (tx, news) = channel();
        let worker = Worker::start(
            station,
            Box::new(move || {
                let _ = tx.send(());
            }),
        )
        .unwrap();
        let ui = Ui::new(app, worker, tps_firmware::text::Lang::Id);
        let kiosk = Kiosk {
            ui,
            hw,
            news,
            dir,
            package,
            people: Vec::new(),
            taps: std::cell::Cell::new(0),
        };
        kiosk.settle();
        kiosk
    }

    /// A hard power cut and the power back: the program stops where it is, with no shutdown
    /// (the window, the controllers and the station thread are dropped), and starts again on
    /// what is on disk, with the clock where it was.
    pub fn hard_restart(self) -> Kiosk {
        let now = self.hw.rtc.time_ms();
        let Kiosk {
            ui, dir, people, ..
        } = self;
        drop(ui);
        let mut k = Kiosk::open_at(dir, now);
        k.people = people;
        k
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

    /// Opens or closes the lid and lets the switch settle (it is debounced).
    pub fn lid(&self, open: bool) {
        if open {
            self.hw.lid.open();
        } else {
            self.hw.lid.close();
        }
        for _ in 0..3 {
            self.poll();
            self.hw.clock.advance(40);
        }
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
        if let Some(c) = self.scrolling_to(|| self.controls(label).into_iter().next()) {
            return c;
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

    /// What `find` finds, scrolling the lists on the screen up, then down, until it does.
    fn scrolling_to<T>(&self, find: impl Fn() -> Option<T>) -> Option<T> {
        if let Some(found) = find() {
            return Some(found);
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
                if let Some(found) = find() {
                    return Some(found);
                }
            }
        }
        None
    }

    /// Scrolls every list on the screen back to its top.
    pub fn scroll_to_top(&self) {
        for s in i_slint_backend_testing::ElementQuery::from_root(&self.ui.app)
            .match_descendants()
            .match_inherits("Flickable")
            .find_all()
        {
            s.scroll(0.0, 10_000.0);
        }
    }

    /// Scrolls every list on the screen to its end.
    pub fn scroll_to_bottom(&self) {
        for s in i_slint_backend_testing::ElementQuery::from_root(&self.ui.app)
            .match_descendants()
            .match_inherits("Flickable")
            .find_all()
        {
            s.scroll(0.0, -100_000.0);
        }
    }

    /// How many elements with this label the screen holds (an overlay's and the screen's
    /// beneath it both count), the most seen while scrolling the lists through, as a reader
    /// would; the lists are left at their top.
    pub fn count(&self, label: &str) -> usize {
        self.scroll_to_top();
        let most = std::cell::Cell::new(0);
        self.scrolling_to(|| {
            most.set(most.get().max(self.all(label).len()));
            None::<()>
        });
        self.scroll_to_top();
        most.get()
    }

    pub fn has(&self, label: &str) -> bool {
        !self.all(label).is_empty()
    }

    /// Whether an element with this label is on the screen, scrolling the lists as a reader
    /// would (what a list holds below its fold is not there to find until scrolled to).
    pub fn shows(&self, label: &str) -> bool {
        self.scrolling_to(|| self.all(label).into_iter().next())
            .is_some()
    }

    pub fn enabled(&self, label: &str) -> bool {
        self.control(label).accessible_enabled() == Some(true)
    }

    /// The value of the element with this label (a text's shown value), scrolling the lists
    /// until it shows.
    pub fn value(&self, label: &str) -> String {
        self.scrolling_to(|| {
            self.all(label)
                .into_iter()
                .find_map(|e| e.accessible_value())
        })
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
        self.taps.set(self.taps.get() + 1);
        self.settle();
    }

    /// Taps a control whose action is asked once more ("Yakin?"), then the dialog's yes.
    pub fn tap_sure(&self, label: &str) {
        self.tap(label);
        let yes = self.ui.app.global::<AskAdapter>().get_yes().to_string();
        assert!(
            self.ui.app.global::<AskAdapter>().get_shown(),
            "{label:?} asks once more"
        );
        self.tap(&yes);
    }

    /// Taps a control and returns at once: what it started is still on its way.
    pub fn tap_no_wait(&self, label: &str) {
        self.control(label).invoke_accessible_default_action();
        self.taps.set(self.taps.get() + 1);
    }

    /// Types on the on-screen keyboard, then "Selesai".
    pub fn type_text(&self, text: &str) {
        self.type_keys(text);
        self.tap("Selesai");
    }

    /// Types on the on-screen keyboard.
    pub fn type_keys(&self, text: &str) {
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
    }

    /// Types digits on the keypad, then "Selesai".
    pub fn type_number(&self, digits: &str) {
        for d in digits.chars() {
            self.tap(&d.to_string());
        }
        self.tap("Selesai");
    }

    /// Opens the number field `label`, erases what it holds, types `digits`, "Selesai".
    pub fn retype_number(&self, label: &str, digits: &str) {
        let old = self.value(label);
        self.tap(label);
        for _ in old.chars() {
            self.tap("Hapus");
        }
        self.type_number(digits);
    }

    /// The records of the journal on disk, as an auditor would read them.
    pub fn journal(&self) -> Vec<tps_firmware::journal::Record> {
        let paths = tps_firmware::kiosk::DataDir::new(self.dir.path()).journal();
        let bytes = std::fs::read(paths.primary).unwrap();
        tps_firmware::journal::verify::parse_strict(&bytes)
            .unwrap()
            .into_iter()
            .map(|r| r.record)
            .collect()
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

    pub fn pin_of(&self, name: &str) -> String {
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
            .map(|e| (e.name.id.clone(), e.expected(ballots.len())))
            .collect()
    }

    /// The topics the current step explains.
    pub fn topics(&self) -> Vec<String> {
        let state = self.state();
        let procedure = state.procedure();
        let spec = state.current_spec().unwrap();
        procedure
            .topics_of(spec)
            .map(|t| t.text.id.clone())
            .collect()
    }

    /// (short name, delivered) of each ballot type.
    pub fn ballots(&self) -> Vec<(String, u32)> {
        self.package
            .ballots
            .iter()
            .map(|b| (b.ballot.short_name().to_string(), b.delivered))
            .collect()
    }

    /// The preparation's checklist: every item there.
    pub fn all_items_present(&self) {
        for (item, _) in self.equipment(Stage::Preparation) {
            self.tap(&format!("{item}: Ada"));
        }
    }

    /// The box's contents: every item counted as expected.
    pub fn fill_box(&self) {
        for (item, count) in self.equipment(Stage::Box) {
            self.tap(&format!("{item} · Jumlah"));
            self.type_number(&count.to_string());
        }
    }

    /// A lock number (GBK-100, GBK-101, ...) for each ballot type's box.
    pub fn fill_locks(&self) {
        for (i, (code, _)) in self.ballots().iter().enumerate() {
            self.tap(&format!("{code} · Nomor segel"));
            self.type_text(&format!("GBK-{}", 100 + i));
        }
    }

    /// An intact envelope seal (SGL-7700, SGL-7701, ...) for each ballot type.
    pub fn fill_seals(&self) {
        for (i, (code, _)) in self.ballots().iter().enumerate() {
            self.tap(&format!("{code} · Nomor segel"));
            self.type_text(&format!("SGL-{}", 7700 + i));
            self.tap(&format!("{code} · Keadaan segel: Utuh"));
        }
    }

    /// Each ballot type counted as delivered, of the right dapil.
    pub fn fill_counts(&self) {
        for (code, delivered) in self.ballots() {
            self.tap(&format!("{code} · Dihitung"));
            self.type_number(&delivered.to_string());
            self.tap(&format!("{code} · Dapil: Sesuai"));
        }
    }

    /// Ballot type `i`'s box opened for the count: the padlock put on it at the empty box
    /// (GBK-100, GBK-101, ...), unbroken, holding the ballots the close-out says were used.
    pub fn fill_box_open(&self, i: usize) {
        let code = self.ballots()[i].0.clone();
        let used = self.used(i);
        self.tap(&format!("{code} · Nomor segel"));
        self.type_text(&format!("GBK-{}", 100 + i));
        self.tap(&format!("{code} · Keadaan segel: Utuh"));
        self.tap(&format!("{code} · Surat suara di dalam kotak"));
        self.type_number(&used.to_string());
    }

    /// Ballots of type `i` used, as the close-out recorded them.
    pub fn used(&self, i: usize) -> u32 {
        let ballot = self.package.ballots.as_slice()[i].ballot;
        tps_firmware::procedure::validate::close_out_of(&self.state(), ballot)
            .map(|c| c.used)
            .unwrap()
    }

    /// Ballot type `i` counted as the scenarios count it (`tps_station::scenario::entries`): a
    /// fortieth invalid, the rest shared among the participants, on a party ballot a quarter of
    /// a party's votes for the party alone and the rest shared among its candidates. Every
    /// figure typed on the keypad, as a chair would.
    pub fn fill_count(&self, i: usize) {
        let spec = &self.package.ballots.as_slice()[i];
        let code = spec.ballot.short_name();
        let used = self.used(i);
        let invalid = used / 40;
        let share = |total: u32, n: usize| -> Vec<u32> {
            let n32 = n.max(1) as u32;
            (0..n as u32)
                .map(|k| total / n32 + u32::from(k < total % n32))
                .collect()
        };
        let votes = share(used - invalid, spec.participants.len());
        for (p, v) in spec.participants.iter().zip(votes) {
            if spec.ballot.lists_candidates() {
                let party_only = if p.candidates.is_empty() { v } else { v / 4 };
                self.tap(&format!("{} · Suara partai saja", p.title()));
                self.type_number(&party_only.to_string());
                for (c, n) in p
                    .candidates
                    .iter()
                    .zip(share(v - party_only, p.candidates.len()))
                {
                    self.tap(&format!("{}.{} {} · Suara", p.number, c.number, c.name));
                    self.type_number(&n.to_string());
                }
            } else {
                self.tap(&format!("{} · Suara", p.title()));
                self.type_number(&v.to_string());
            }
        }
        self.tap(&format!("{code} · Suara sah"));
        self.type_number(&(used - invalid).to_string());
        self.tap(&format!("{code} · Suara tidak sah"));
        self.type_number(&invalid.to_string());
    }

    /// Every envelope and box sealed after the count, each with its own number.
    pub fn fill_sealing(&self) {
        for (i, (code, _)) in self.ballots().iter().enumerate() {
            for (j, place) in [
                "Sampul surat suara sah",
                "Sampul surat suara tidak sah",
                "Sampul surat suara tidak digunakan",
                "Sampul surat suara rusak",
                "Segel kotak suara",
            ]
            .iter()
            .enumerate()
            {
                self.tap(&format!("{code} · {place}"));
                self.type_text(&format!("SGH-{}", 8800 + i * 5 + j));
            }
        }
    }

    /// Every topic ticked as explained.
    pub fn tick_topics(&self) {
        for topic in self.topics() {
            self.tap(&topic);
        }
    }

    /// The close-out: 214 ballots of each type used (210 DPT voters, 3 DPTb, 1 DPK), 2 damaged,
    /// 3 to DPTb voters, `unused(code, delivered)` unused; then the turnout lists.
    pub fn fill_close_out(&self, unused: impl Fn(&str, u32) -> u32) {
        for (code, delivered) in self.ballots() {
            for (cell, n) in [
                ("Digunakan", 214),
                ("Tidak digunakan", unused(&code, delivered)),
                ("Rusak atau keliru coblos", 2),
                ("Diterima pemilih DPTb", 3),
            ] {
                self.tap(&format!("{code} · {cell}"));
                self.type_number(&n.to_string());
            }
        }
        for (list, male, female) in [
            ("DPT (daftar pemilih tetap)", 100, 110),
            ("DPTb (pemilih pindahan)", 2, 1),
            ("DPK (daftar pemilih khusus)", 1, 0),
            ("Pemilih penyandang disabilitas", 1, 2),
        ] {
            self.tap(&format!("{list} · Laki-laki"));
            self.type_number(&male.to_string());
            self.tap(&format!("{list} · Perempuan"));
            self.type_number(&female.to_string());
        }
    }
}

/// The saksi's role in the role picker.
pub const SAKSI: &str = "Saksi peserta pemilu (dengan surat mandat)";

/// The witnesses of [`to_voting`]'s team.
pub const WITNESSES: [&str; 3] = ["Bu Pengawas", "Saksi Satu", "Saksi Dua"];

/// The opening steps from the ballot box to the open polls (07:05 to 07:25) by touch, with the
/// right entries; every one of `witnesses` (all inside) confirms each step.
pub fn from_box_to_open_polls(k: &mut Kiosk, witnesses: &[&str]) {
    explain_after_oath(k);
    k.at("07:05");
    k.fill_box();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(witnesses);
    k.complete();
    k.at("07:08");
    k.fill_locks();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(witnesses);
    k.complete();
    k.at("07:11");
    k.fill_seals();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(witnesses);
    k.complete();
    k.at("07:14");
    k.fill_counts();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(witnesses);
    k.complete();
    k.at("07:20");
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:25");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(witnesses);
    k.complete();
}

/// From the self-check through the oath (07:00) by touch, with a small team: the chair, the
/// Pengawas TPS and two saksi registered; the steps before the box with their entries.
pub fn through_the_oath(k: &mut Kiosk) {
    k.tap("Mulai");
    k.tap("Daftar hadir");
    k.register("Ketua KPPS", None, "Ibu Ketua", "");
    k.register("Pengawas TPS", None, "Bu Pengawas", "");
    k.register(
        SAKSI,
        Some("2. H. Prabowo Subianto - Gibran Rakabuming Raka"),
        "Saksi Satu",
        "SM/01/2024",
    );
    k.register(
        SAKSI,
        Some("3. Partai Demokrasi Indonesia Perjuangan"),
        "Saksi Dua",
        "SM/02/2024",
    );
    k.open_current_step();
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
}

/// From the self-check to the open polls at 07:25 by touch, with a small team: the chair, the
/// Pengawas TPS and two saksi; every opening step with its entries and confirmations.
pub fn to_voting(k: &mut Kiosk) {
    through_the_oath(k);
    from_box_to_open_polls(k, &WITNESSES);
    assert_eq!(k.phase(), Phase::Voting);
    assert_eq!(k.screen(), Screen::Voting);
}

/// Right after the oath, the chair explains how to vote and the KPPS members' duties (seed 004
/// line 46), before the box is opened.
pub fn explain_after_oath(k: &Kiosk) {
    k.at("07:02");
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
}

/// 2024-02-14 14:00 WIB, after the full-day scenario's last record.
pub const AFTER_THE_DAY_MS: i64 = 1_707_894_000_000;

/// The kiosk screen on a device that has run the full-day scenario (both reports printed).
pub fn after_full_day() -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let scenario = tps_station::scenario::Scenario::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../hal-sim/scenarios/full-day.toml"),
    )
    .unwrap();
    tps_station::scenario::run(&scenario, dir.path(), &mut Vec::new()).unwrap();
    Kiosk::open_at(dir, AFTER_THE_DAY_MS)
}

/// The authority's part of provisioning (`tps-keys device certify`, `package build --device`):
/// the answer to the request the blank kiosk `k` left on its stick, the package naming `device`.
pub fn authority_answers(k: &Kiosk, device: &str) {
    use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate};
    use tps_firmware::identity::keyfile::{KeyKind, KeyText};
    use tps_firmware::kiosk::enrol::{
        STICK_AUTHORITY, STICK_PACKAGE, certificate_name, request_name,
    };
    use tps_station::station::SIM_DEVICE_ID;
    let stick = k.hw.usb.mirror_dir();
    let authority = ed25519_dalek::SigningKey::from_bytes(&[21; 32]);
    let request = std::fs::read(stick.join(request_name(SIM_DEVICE_ID))).unwrap();
    let request = CertificateRequest::read(&request).unwrap();
    let cert = DeviceCertificate::issue(&request, &authority, 0, i64::MAX / 2, false).unwrap();
    std::fs::write(stick.join(certificate_name(SIM_DEVICE_ID)), cert).unwrap();
    let package = ElectionPackage::from_toml(DEFAULT_PACKAGE)
        .unwrap()
        .for_devices(&[device])
        .unwrap();
    std::fs::write(stick.join(STICK_PACKAGE), package.seal(&authority)).unwrap();
    let key = KeyText {
        kind: KeyKind::AuthorityPublic,
        bytes: authority.verifying_key().to_bytes(),
        comments: Vec::new(),
    };
    std::fs::write(stick.join(STICK_AUTHORITY), key.render()).unwrap();
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

/// A tour of every screen of the day with a small team, calling `shot` with a name at each
/// screen worth looking at (the screenshot test draws them, the benchmark times them).
pub fn tour(k: &mut Kiosk, mut shot: impl FnMut(&Kiosk, &str)) {
    shot(k, "01-self-check");
    // The clock form before the day: the technician signs.
    k.tap("Setel jam");
    for d in "1402202406".chars() {
        k.tap(&d.to_string());
    }
    shot(k, "01-clock-typing");
    k.tap("Kembali");
    k.tap("Mulai");
    shot(k, "02-progress-start");
    k.tap("Daftar hadir");
    shot(k, "03-attendance-empty");

    // The chair registers, screen by screen.
    k.tap("Daftarkan orang");
    k.tap("Peran");
    shot(k, "04-picker-role");
    k.tap("Ketua KPPS");
    k.tap("Nama");
    k.type_keys("Ibu Ketua Sari");
    shot(k, "05-keyboard");
    k.tap("Selesai");
    shot(k, "06-register-form");
    k.tap("Buat PIN");
    shot(k, "07-pin-handover");
    k.tap("Saya sudah memegang layar");
    for d in "271".chars() {
        k.tap(&d.to_string());
    }
    shot(k, "08-pin-keypad");
    for d in "828".chars() {
        k.tap(&d.to_string());
    }
    k.tap("OK");
    k.pin(PINS[0]);
    k.people.push(("Ibu Ketua Sari".into(), PINS[0].into()));
    k.register("Anggota KPPS 2", None, "Anggota Dua", "");
    k.register("Pengawas TPS", None, "Bu Pengawas", "");
    k.tap("Daftarkan orang");
    k.tap("Peran");
    k.tap(SAKSI);
    shot(k, "09-picker-participant");
    // "Batal" of the register screen (found first) closes the picker too.
    k.tap("Batal");
    assert_eq!(k.screen(), Screen::Attendance);
    k.register(
        SAKSI,
        Some("2. H. Prabowo Subianto - Gibran Rakabuming Raka"),
        "Saksi Satu",
        "SM/01/2024",
    );
    k.register(
        SAKSI,
        Some("3. Partai Demokrasi Indonesia Perjuangan"),
        "Saksi Dua",
        "SM/02/2024",
    );
    shot(k, "10-attendance");

    // The day's list of kejadian khusus and keberatan: nothing yet.
    k.tap("Kejadian khusus");
    k.tap("Daftar kejadian khusus dan keberatan");
    shot(k, "11-incident-list-nihil");
    k.tap("Kembali");
    k.tap("Kembali");

    // 1. Preparation with an item missing: the engine says what to do, "Ajukan" waits.
    k.open_current_step();
    let items = k.equipment(Stage::Preparation);
    for (i, (item, _)) in items.iter().enumerate() {
        let answer = if i == 2 { "Tidak ada" } else { "Ada" };
        k.tap(&format!("{item}: {answer}"));
    }
    shot(k, "12-step-checklist-refusal");
    k.tap(&format!("{}: Ada", items[2].0));
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    // 3. The oath: one KPPS member still to confirm.
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    shot(k, "13-step-oath-waiting");
    k.tap("Konfirmasi");
    shot(k, "14-picker-confirm");
    k.tap("Anggota Dua");
    k.pin(PINS[1]);
    k.complete();
    k.at("07:02");
    k.tick_topics();
    shot(k, "14-step-explanations-after-oath");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    // 4. The box: counts on the keypad; then the witnesses.
    k.at("07:05");
    let box_items = k.equipment(Stage::Box);
    for (n, (item, count)) in box_items.iter().enumerate() {
        k.tap(&format!("{item} · Jumlah"));
        if n == 0 {
            for d in count.to_string().chars() {
                k.tap(&d.to_string());
            }
            shot(k, "15-keypad-number");
            k.tap("Selesai");
        } else {
            k.type_number(&count.to_string());
        }
    }
    k.tap("Ajukan untuk konfirmasi");
    shot(k, "16-step-box-witnesses");
    k.confirm(&["Bu Pengawas", "Saksi Satu", "Saksi Dua"]);
    k.complete();

    // 5-7. Locks, seals and counts per ballot type, in the ballots' colours. Saksi Dua steps
    // out: the empty-box step waits for them (the 30-minute rule) while the others confirm.
    k.tap("Beranda");
    k.tap("Daftar hadir");
    k.tap_sure("Keluar: Saksi Dua");
    k.pin(PINS[0]);
    k.tap("Kembali ke langkah");
    k.at("07:08");
    k.fill_locks();
    shot(k, "18-step-locks");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu"]);
    k.tap("Menunggu saksi (aturan 30 menit)");
    shot(k, "17-waiting");
    k.tap("Kembali ke langkah");
    k.tap("Beranda");
    k.tap("Daftar hadir");
    k.tap("Masuk: Saksi Dua");
    k.pin(PINS[0]);
    k.tap("Kembali ke langkah");
    k.confirm(&["Saksi Dua"]);
    k.complete();
    k.at("07:11");
    k.fill_seals();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu"]);
    shot(k, "19-step-seals-confirming");
    k.confirm(&["Saksi Dua"]);
    k.complete();
    k.at("07:14");
    k.fill_counts();
    shot(k, "20-step-ballot-count");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu", "Saksi Dua"]);
    // "Menyimpan…" while the record goes to both media.
    k.tap("Lanjut");
    for d in PINS[0].chars() {
        k.tap(&d.to_string());
    }
    k.tap_no_wait("OK");
    shot(k, "21-saving");
    k.settle();

    // 8-9. Explanations; the polls open.
    k.at("07:20");
    k.tick_topics();
    shot(k, "22-step-explanations");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:25");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu", "Saksi Dua"]);
    k.complete();
    k.at("09:41");
    shot(k, "23-voting");

    // The opening report, read out from the screen; the printer out of paper, then printed.
    k.tap("Cetak laporan pembukaan");
    shot(k, "24-report-opening");
    k.hw.printer.set_paper(false);
    k.poll();
    k.tap_sure("Cetak sekarang");
    shot(k, "25-report-no-paper");
    k.hw.printer.set_paper(true);
    k.poll();
    k.tap_sure("Cetak sekarang");
    shot(k, "26-report-printed");
    k.tap("Kembali");

    // A kejadian khusus, witnessed; a keberatan; the day's list.
    k.tap("Catat kejadian khusus");
    k.tap("Uraian kejadian");
    k.type_text("Pemilih lansia dibantu keluarga ke bilik");
    k.tap("Saksi kejadian (dengan PIN)");
    k.tap("Bu Pengawas");
    k.pin(PINS[2]);
    shot(k, "27-incident");
    k.tap("Simpan kejadian khusus");
    k.pin(PINS[0]);
    k.tap("Catat kejadian khusus");
    k.tap("Ajukan keberatan");
    k.tap("Saksi Dua");
    k.type_text("Antrean tidak diatur sesuai urutan kedatangan");
    k.pin(PINS[4]);
    k.tap("Daftar kejadian khusus dan keberatan");
    shot(k, "28-incident-list");
    k.tap("Kembali");
    k.tap("Kembali");

    // A correction of the ballot count: one DPR ballot less, with the reason, confirmed again.
    k.at("10:05");
    k.tap("Beranda");
    k.tap("8. Hitung surat suara, termasuk cadangan 2%");
    shot(k, "29-progress-step-selected");
    k.tap("Koreksi");
    let (_, dpr) = k.ballots()[1].clone();
    k.retype_number("DPR · Dihitung", &(dpr - 1).to_string());
    k.tap("Tindakan yang dilakukan");
    k.type_text("Satu lembar terhitung dua kali");
    k.tap("PPS sudah dihubungi");
    k.tap("Alasan koreksi");
    k.type_text("Salah hitung DPR");
    k.scroll_to_top();
    shot(k, "30-step-correction");
    k.tap_sure("Ajukan koreksi");
    k.confirm(&["Bu Pengawas", "Saksi Satu"]);
    shot(k, "31-step-correction-confirming");
    k.confirm(&["Saksi Dua"]);
    k.complete();
    shot(k, "32-progress-corrected");
    k.tap("Kembali");
    k.tap("Buka langkah sekarang");

    // The DPK announcement; the closing with nobody queuing.
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    k.pin(PINS[0]);
    // The clock form once the day has begun: across 13:00, both times in words.
    k.at("12:50");
    k.tap("Setel jam");
    for d in "140220241305".chars() {
        k.tap(&d.to_string());
    }
    shot(k, "32-clock-crossing");
    k.tap("Kembali");
    k.at("13:00");
    shot(k, "33-voting-closing");
    k.tap("Tutup pemungutan suara");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&["Bu Pengawas", "Saksi Satu", "Saksi Dua"]);
    k.complete();

    // 11. Close-out, one figure wrong: the arithmetic and the engine's reason show at once.
    k.at("13:30");
    k.fill_close_out(|code, delivered| {
        if code == "DPD" {
            delivered - 214 - 1
        } else {
            delivered - 214 - 2
        }
    });
    shot(k, "34-step-reconciliation");
    k.tap("Bahasa / Language");
    shot(k, "35-step-reconciliation-en");
    k.tap("Bahasa / Language");

    // An alarm: the lid opened.
    k.lid(true);
    shot(k, "36-alarm-lid");
    k.lid(false);

    // The figure put right, but the USB stick is full when it is submitted: an alarm, and the
    // chair swaps in an empty stick, which gets every record.
    let dpd = k.ballots()[2].1;
    k.retype_number("DPD · Tidak digunakan", &(dpd - 214 - 2).to_string());
    k.hw.usb.fill();
    k.tap("Ajukan untuk konfirmasi");
    assert_eq!(
        k.notice(),
        "Tersimpan di kartu SD saja: disalin ke flashdisk cadangan begitu terpasang. Ikuti petunjuk di layar; jangan ulangi."
    );
    shot(k, "36-alarm-usb-full");
    k.hw.usb.unplug().unwrap();
    k.poll();
    k.hw.usb.plug_new().unwrap();
    k.poll();

    // The close-out confirmed once Saksi Dua's keberatan has its outcome: not accepted, with
    // the Pengawas TPS's advice, confirmed by the Pengawas and Saksi Dua; the closing report.
    k.confirm(&["Bu Pengawas", "Saksi Satu", "Saksi Dua"]);
    assert!(!k.enabled("Lanjut"));
    k.tap("Hasil keberatan");
    k.tap("Saksi Dua");
    shot(k, "37-picker-outcome");
    k.tap("Tidak diterima, dengan saran perbaikan Pengawas TPS: saran diikuti KPPS");
    k.type_text("Atur antrean sesuai nomor urut kedatangan");
    k.pin(PINS[2]);
    k.pin(PINS[4]);
    k.pin(PINS[0]);
    assert_eq!(k.notice(), "Tersimpan: hasil keberatan.");
    k.complete();
    assert_eq!(k.phase(), Phase::Counting);
    k.tap("Beranda");
    shot(k, "37-progress-counting");
    k.tap("Cetak laporan penutupan");
    shot(k, "38-report-closing");
    k.tap_sure("Cetak sekarang");
    k.tap("Kembali");

    // The count: the PPWP box opened and counted, its C.Hasil printed for the witnesses; the
    // other types likewise; the seals; the hand-over.
    k.tap("Buka langkah sekarang");
    k.at("13:50");
    shot(k, "38-count-box-open");
    let witnesses = ["Bu Pengawas", "Saksi Satu", "Saksi Dua"];
    for i in 0..k.ballots().len() {
        k.fill_box_open(i);
        k.tap("Ajukan untuk konfirmasi");
        k.confirm(&witnesses);
        k.complete();
        if i < 2 {
            k.scroll_to_top();
            shot(k, &format!("38-count-{}-empty", k.ballots()[i].0));
        }
        k.fill_count(i);
        if i < 2 {
            shot(k, &format!("38-count-{}-filled", k.ballots()[i].0));
        }
        k.tap("Ajukan untuk konfirmasi");
        k.confirm(&witnesses);
        k.complete();
        if i == 0 {
            k.tap("Beranda");
            k.tap("Cetak C.Hasil");
            shot(k, "38-report-c-hasil-ppwp");
            k.tap_sure("Cetak sekarang");
            k.tap("Kembali");
            // A break, announced from the kejadian khusus screen and recorded.
            k.tap("Kejadian khusus");
            shot(k, "38-break");
            k.tap("Umumkan istirahat");
            let chair = k.chair_pin();
            k.pin(&chair);
            assert_eq!(k.state().breaks.len(), 1);
            assert_eq!(k.notice(), "Tersimpan: istirahat 30 menit diumumkan.");
            k.tap("Kembali");
            k.tap("Buka langkah sekarang");
        }
    }
    shot(k, "38-sealing-empty");
    k.fill_sealing();
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    shot(k, "38-handover");
    k.tap("Nama petugas PPS penerima");
    k.type_text("Asep Hidayat");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    assert_eq!(k.phase(), Phase::Finished);
    shot(k, "38-progress-finished");
    // The export goes with the boxes, from the closing report's screen.
    k.tap("Cetak laporan penutupan");
    k.tap("Ekspor untuk PPS");
    shot(k, "38-export");
    k.tap("Ekspor sekarang");
    k.pin(tps_firmware::kiosk::provision::DEVELOPMENT_TECHNICIAN_PIN);
    shot(k, "38-export-done");

    // The power goes.
    k.ui.sim(tps_station::worker::Job::CutPower);
    k.settle();
    shot(k, "39-power-off");
}

/// A name as long as the records allow (64 characters), starting with `start`.
pub fn longest_name(start: &str) -> String {
    let mut name = start.to_string();
    while name.chars().count() < 64 {
        name.push_str(" Wijayakusuma");
    }
    name.chars()
        .take(64)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// A mandate letter number as long as the records allow (40 characters).
pub const LONGEST_LETTER: &str = "SM/0001/TPS-007/KEL-SUKAMAJU/2024/PPWP02";

/// The day with its worst cases for room on the screen, calling `shot` at each: every form
/// empty before it is filled, all five ballot types, the longest names and letters the records
/// allow for the chair, the Pengawas TPS and two saksi (who confirm every step, so their names
/// fill the witness panel), and a close-out where no row adds up. The screenshot test draws
/// them; the layout test measures them.
pub fn worst_cases(k: &mut Kiosk, mut shot: impl FnMut(&Kiosk, &str)) {
    // The "saved" notice is laid over the screen for a few seconds, on purpose: each worst
    // case is the screen once it has gone.
    let mut shot = |k: &Kiosk, name: &str| {
        if k.has("Tutup pesan") {
            k.tap("Tutup pesan");
        }
        shot(k, name);
    };
    let chair = longest_name("Raden Ajeng Siti Nurhaliza");
    let pengawas = longest_name("Bu Pengawas Kartika");
    let saksi = [longest_name("Saksi Satu"), longest_name("Saksi Dua")];
    k.tap("Mulai");
    k.tap("Daftarkan Ketua KPPS");
    k.tap("Nama");
    k.type_text(&chair);
    k.tap("Buat PIN");
    k.pin(PINS[0]);
    k.pin(PINS[0]);
    k.people.push((chair.clone(), PINS[0].into()));
    k.register("Pengawas TPS", None, &pengawas, "");
    k.register(
        SAKSI,
        Some("1. H. Anies Rasyid Baswedan - Dr. (H.C.) H. A. Muhaimin Iskandar"),
        &saksi[0],
        LONGEST_LETTER,
    );
    k.register(
        SAKSI,
        Some("3. Partai Demokrasi Indonesia Perjuangan"),
        &saksi[1],
        LONGEST_LETTER,
    );
    shot(k, "worst-02-attendance");
    let witnesses = [pengawas.as_str(), saksi[0].as_str(), saksi[1].as_str()];

    k.open_current_step();
    shot(k, "worst-03-checklist-empty");
    k.all_items_present();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("06:20");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:00");
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:02");
    shot(k, "worst-04-explanations-empty");
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();

    type Fill = fn(&Kiosk);
    let steps: [(&str, &str, Fill); 4] = [
        ("07:05", "worst-05-box-empty", Kiosk::fill_box),
        ("07:08", "worst-06-locks-empty", Kiosk::fill_locks),
        ("07:11", "worst-07-seals-empty", Kiosk::fill_seals),
        ("07:14", "worst-08-counts-empty", Kiosk::fill_counts),
    ];
    for (i, (at, name, fill)) in steps.into_iter().enumerate() {
        k.at(at);
        shot(k, name);
        fill(k);
        k.tap("Ajukan untuk konfirmasi");
        k.confirm(&witnesses);
        if i == 0 {
            shot(k, "worst-05-box-confirmed-by-long-names");
        }
        k.complete();
    }
    k.at("07:20");
    k.tick_topics();
    k.tap("Ajukan untuk konfirmasi");
    k.complete();
    k.at("07:25");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    shot(k, "worst-09-voting");
    k.tap("Cetak laporan pembukaan");
    shot(k, "worst-10-report-opening");
    k.tap("Kembali");
    k.at("12:00");
    k.tap("Umumkan pemilih DPK");
    k.pin(PINS[0]);
    k.at("13:00");
    k.tap("Tutup pemungutan suara");
    shot(k, "worst-11-closing-empty");
    k.tap("Pemilih yang masih antre");
    k.type_number("0");
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    k.at("13:30");
    shot(k, "worst-12-close-out-empty");
    // Nothing adds up: every ballot row and the turnout rows carry the engine's notes.
    k.fill_close_out(|_, delivered| delivered);
    k.scroll_to_top();
    shot(k, "worst-13-close-out-nothing-adds-up");

    // The count: every form empty, then the largest ballot (DPR, 18 parties with their
    // candidates) with nothing adding up.
    for (code, delivered) in k.ballots() {
        k.retype_number(
            &format!("{code} · Tidak digunakan"),
            &(delivered - 214 - 2).to_string(),
        );
    }
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.tap("Konfirmasi NIHIL");
    k.pin(PINS[0]);
    k.complete();
    assert_eq!(k.phase(), Phase::Counting);
    k.scroll_to_top();
    shot(k, "worst-14-box-open-empty");
    k.fill_box_open(0);
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    shot(k, "worst-15-count-ppwp-empty");
    k.fill_count(0);
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    k.fill_box_open(1);
    k.tap("Ajukan untuk konfirmasi");
    k.confirm(&witnesses);
    k.complete();
    k.scroll_to_top();
    shot(k, "worst-16-count-dpr-empty");
    k.fill_count(1);
    k.retype_number("DPR · Suara sah", "999");
    k.scroll_to_bottom();
    shot(k, "worst-17-count-dpr-does-not-add-up");
}
