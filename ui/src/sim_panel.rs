//! `SimAdapter`: the simulator's controls in their own window: the clock (time passing, faster,
//! an RTC that fails or drifts, a technician setting it), the lid, the USB stick, the power
//! source, the printer's paper and power, a power cut and the restart, and what was printed.

use std::path::PathBuf;
use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, VecModel};
use tps_firmware::event::ReportKind;
use tps_firmware::time::{LocalTime, TimeZone, instant_at};
use tps_hal_sim::{SimHardware, Supply};
use tps_kiosk_screens::{Receipt, SimAdapter, SimWindow};
use tps_station::worker::Job;

use crate::controllers::Ui;

/// The simulator panel and the simulated world it acts on.
pub struct SimPanel {
    /// The simulator's window.
    pub window: SimWindow,
    hw: SimHardware,
    receipts: std::cell::Cell<usize>,
    /// The printer's output length when the receipts were last read.
    printer_bytes: std::cell::Cell<usize>,
}

impl std::fmt::Debug for SimPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimPanel").finish_non_exhaustive()
    }
}

/// The file in the data directory that keeps the simulated RTC's time between runs (the chip
/// has a battery).
pub fn clock_file(dir: &std::path::Path) -> PathBuf {
    dir.join("sim-rtc-time")
}

/// The simulated RTC time saved by the last run, if any.
pub fn saved_clock(dir: &std::path::Path) -> Option<i64> {
    std::fs::read_to_string(clock_file(dir))
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// Keeps the simulated RTC's time in `file` for the next run.
pub fn save_clock(file: &std::path::Path, hw: &SimHardware) {
    if let Err(e) = std::fs::write(file, hw.rtc.time_ms().to_string()) {
        log::warn!("{}: {e}", file.display());
    }
}

fn report(ui: &std::rc::Weak<Ui>, job: Job) {
    crate::controllers::with(ui, |ui| ui.sim(job));
}

impl SimPanel {
    /// Wires the panel's controls to the simulated hardware and to the kiosk's [`Ui`].
    pub fn new(window: SimWindow, hw: SimHardware, ui: &Rc<Ui>) -> Rc<SimPanel> {
        let panel = Rc::new(SimPanel {
            window,
            hw,
            receipts: std::cell::Cell::new(usize::MAX),
            printer_bytes: std::cell::Cell::new(usize::MAX),
        });
        panel.wire(ui);
        panel.render(ui);
        panel
    }

    fn wire(self: &Rc<Self>, ui: &Rc<Ui>) {
        let adapter = self.window.global::<SimAdapter>();
        let hw = self.hw.clone();
        let w = Rc::downgrade(ui);
        let message = {
            let window = self.window.as_weak();
            move |text: String| {
                if let Some(window) = window.upgrade() {
                    window.global::<SimAdapter>().set_message(text.into());
                }
            }
        };
        {
            let hw = hw.clone();
            let w = w.clone();
            let message = message.clone();
            adapter.on_set_time(move |hhmm| {
                let zone_date = w.upgrade().and_then(|ui| {
                    ui.model
                        .borrow()
                        .state()
                        .map(|s| (s.package().date, s.package().zone))
                });
                let target = LocalTime::parse(hhmm.as_str())
                    .zip(zone_date)
                    .and_then(|(t, (date, zone))| instant_at(date, t, zone));
                let Some(target) = target else { return };
                let rtc = hw.rtc.time_ms();
                if target > rtc {
                    hw.clock
                        .advance(u64::try_from(target - rtc).unwrap_or_default());
                    message(String::new());
                } else {
                    message(format!(
                        "It is already past {hhmm}: time only moves forward here (\"-1 h\" sets the RTC back)."
                    ));
                }
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_jump(move |minutes| {
                let ms = i64::from(minutes) * 60_000;
                if ms >= 0 {
                    hw.clock.advance(u64::try_from(ms).unwrap_or_default());
                } else {
                    // The RTC drifts or is set wrong; the world's time goes on.
                    hw.rtc.set_time_ms(hw.rtc.time_ms() + ms);
                }
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            adapter.on_set_speed(move |speed| match u32::try_from(speed) {
                Ok(s) if s > 0 => hw.clock.run(s),
                _ => hw.clock.pause(),
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_stop_oscillator(move || {
                // A flat backup battery: the chip stops, says so (OSF), and runs on when powered.
                hw.rtc.stop_oscillator();
                hw.rtc.start_oscillator();
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_technician_set_clock(move || {
                report(
                    &w,
                    Job::SetClock {
                        wall_ms: hw.clock.now_ms(),
                    },
                )
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_lid(move |open| {
                if open {
                    hw.lid.open();
                } else {
                    hw.lid.close();
                }
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            let message = message.clone();
            adapter.on_usb(move |plug| {
                let done = if plug { hw.usb.plug() } else { hw.usb.unplug() };
                message(done.err().map(|e| e.to_string()).unwrap_or_default());
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_fill_usb(move || {
                hw.usb.fill();
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            let message = message.clone();
            adapter.on_new_usb(move || {
                let done = hw.usb.plug_new();
                message(done.err().map(|e| e.to_string()).unwrap_or_default());
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_set_sd_full(move |full| {
                if full {
                    hw.sd.fill();
                } else {
                    hw.sd.free();
                }
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_power_source(move |source| {
                hw.power.set(match source {
                    0 => Supply::Mains,
                    1 => Supply::Battery,
                    _ => Supply::BatteryLow,
                });
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_set_paper(move |paper| {
                hw.printer.set_paper(paper);
                report(&w, Job::Poll);
            });
        }
        {
            let hw = hw.clone();
            let w = w.clone();
            adapter.on_set_printer_online(move |online| {
                hw.printer.set_online(online);
                report(&w, Job::Poll);
            });
        }
        {
            let w = w.clone();
            adapter.on_cut_power(move || report(&w, Job::CutPower));
        }
        {
            let w = w.clone();
            adapter.on_restart(move || report(&w, Job::Restart));
        }
        adapter.on_print_report(move |closing| {
            report(
                &w,
                Job::PrintReport {
                    id: None,
                    kind: if closing {
                        ReportKind::Closing
                    } else {
                        ReportKind::Opening
                    },
                },
            )
        });
    }

    /// Fills the panel from the simulated hardware and the kiosk's latest snapshot.
    pub fn render(&self, ui: &Ui) {
        let adapter = self.window.global::<SimAdapter>();
        let zone = ui
            .model
            .borrow()
            .state()
            .map_or(TimeZone::Wib, |s| s.package().zone);
        let rtc = self.hw.rtc.time_ms();
        adapter.set_time(
            tps_firmware::time::LocalDateTime::from_unix_ms(rtc, zone)
                .map(|t| t.to_string())
                .unwrap_or_default()
                .into(),
        );
        adapter.set_speed(
            match self.hw.clock.speed() {
                None => "paused".to_string(),
                Some(s) => format!("x{s}"),
            }
            .into(),
        );
        adapter.set_oscillator_stopped(self.hw.rtc.oscillator_stop_flag());
        adapter.set_lid_open(self.hw.lid.is_open());
        adapter.set_usb_plugged(self.hw.usb.is_plugged());
        adapter.set_usb_full(self.hw.usb.is_full());
        adapter.set_sd_full(self.hw.sd.is_full());
        adapter.set_power(match self.hw.power.supply() {
            Supply::Mains => 0,
            Supply::Battery => 1,
            Supply::BatteryLow => 2,
        });
        adapter.set_paper(self.hw.printer.has_paper());
        adapter.set_printer_online(self.hw.printer.is_online());
        adapter.set_power_off(self.hw.power_cut.is_cut());
        if let Some(problem) = ui.model.borrow_mut().sim_message.take() {
            adapter.set_message(problem.into());
        }
        // The printer's output is parsed again only when bytes came since the last look.
        let sent = self.hw.printer.output_len();
        if sent != self.printer_bytes.get() {
            self.printer_bytes.set(sent);
            let receipts = self.hw.printer.receipt_texts();
            if receipts.len() == self.receipts.get() {
                return;
            }
            self.receipts.set(receipts.len());
            let lines: Vec<Receipt> = receipts
                .into_iter()
                .enumerate()
                .rev()
                .map(|(i, text)| Receipt {
                    title: format!("Receipt {}", i + 1).into(),
                    text: text.into(),
                })
                .collect();
            adapter.set_receipts(ModelRc::new(VecModel::from(lines)));
        }
    }
}
