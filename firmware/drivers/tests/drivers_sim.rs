//! The real drivers against the simulated hardware of `tps-hal-sim`.
#![allow(clippy::unwrap_used)] // a test crate: a failure is a failing test

use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
use tps_base::power::PowerState;
use tps_drivers::indicator::{Indicator, Pattern};
use tps_drivers::latch::{LatchError, Latched, TamperLatch};
use tps_drivers::power::{Power, PowerWiring};
use tps_drivers::printer::{Align, COLUMNS, Line, Printer, PrinterError, Receipt};
use tps_drivers::rtc::{Rtc, RtcError, RtcReading};
use tps_drivers::storage::Storage;
use tps_drivers::tamper::{LidEvent, LidState, POLL_PERIOD_MS, Tamper};
use tps_hal_sim::{DS3231_ADDRESS, LevelChange, SimHardware, Supply};

/// 2024-02-14 06:00:00 WIB.
const MORNING: i64 = 1_707_865_200_000;

fn hardware() -> (tempfile::TempDir, SimHardware) {
    let dir = tempfile::tempdir().unwrap();
    let hw = SimHardware::new(MORNING, dir.path()).unwrap();
    (dir, hw)
}

#[test]
fn the_rtc_reads_the_simulated_time_and_a_technician_can_set_it() {
    let (_dir, hw) = hardware();
    let mut rtc = Rtc::new(hw.i2c.clone());
    let trusted = |unix_ms| RtcReading {
        unix_ms,
        oscillator_stopped: false,
    };
    assert_eq!(rtc.read().unwrap(), trusted(MORNING));
    hw.clock.advance(90_500);
    assert_eq!(rtc.read().unwrap(), trusted(MORNING + 90_000));

    // A flat backup battery: the time is kept but flagged until a technician sets the clock.
    hw.rtc.stop_oscillator();
    hw.rtc.start_oscillator();
    assert!(rtc.read().unwrap().oscillator_stopped);
    let corrected = MORNING + 3_600_000;
    rtc.set(corrected).unwrap();
    assert!(!hw.rtc.oscillator_stop_flag());
    assert_eq!(rtc.read().unwrap(), trusted(corrected));
    hw.clock.advance(1_000);
    assert_eq!(rtc.read().unwrap(), trusted(corrected + 1_000));
}

#[test]
fn a_clock_set_back_reads_earlier_and_a_missing_rtc_is_a_bus_error() {
    let (_dir, hw) = hardware();
    let mut rtc = Rtc::new(hw.i2c.clone());
    hw.clock.set(MORNING - 86_400_000);
    assert_eq!(rtc.read().unwrap().unix_ms, MORNING - 86_400_000);
    hw.i2c.detach(DS3231_ADDRESS);
    assert_eq!(
        rtc.read(),
        Err(RtcError::Bus(ErrorKind::NoAcknowledge(
            NoAcknowledgeSource::Address
        )))
    );
}

#[test]
fn an_opened_lid_is_reported_within_30_ms_wherever_it_falls_between_polls() {
    for offset in 0..POLL_PERIOD_MS {
        let (_dir, hw) = hardware();
        let mut tamper = Tamper::new(hw.lid.pin(), LidState::Closed);
        let opens_at = 1_000 + offset;
        let reported_at = loop {
            hw.clock.advance(1);
            let now = hw.clock.mono_ms();
            if now == opens_at {
                hw.lid.open();
            }
            if now % POLL_PERIOD_MS == 0 && tamper.poll(now).unwrap() == Some(LidEvent::Opened) {
                break now;
            }
            assert!(now < 2_000, "never reported");
        };
        let latency = reported_at - opens_at;
        assert!(
            latency <= 30,
            "opened at {opens_at} ms, reported {latency} ms later"
        );
    }
}

#[test]
fn the_led_blinks_the_pattern_and_the_alarm_sounds_the_buzzer() {
    let (_dir, hw) = hardware();
    let mut indicator = Indicator::new(hw.led.clone(), hw.buzzer.clone(), Pattern::Working);
    let run_for = |indicator: &mut Indicator<_, _>, ms: u64| {
        for _ in 0..ms / 10 {
            indicator.tick(hw.clock.mono_ms()).unwrap();
            hw.clock.advance(10);
        }
    };
    run_for(&mut indicator, 2_000);
    let change = |at_ms, high| LevelChange { at_ms, high };
    assert_eq!(
        hw.led.history(),
        [
            change(0, true),
            change(500, false),
            change(1_000, true),
            change(1_500, false)
        ]
    );
    assert!(hw.buzzer.history().is_empty());

    hw.led.clear_history();
    indicator.set_pattern(Pattern::Alarm);
    run_for(&mut indicator, 500);
    let beeps: Vec<u64> = hw.buzzer.history().iter().map(|c| c.at_ms).collect();
    assert_eq!(beeps, [2_000, 2_130, 2_250, 2_380]);
    assert_eq!(hw.led.history()[0], change(2_000, true));
}

fn report() -> Receipt {
    Receipt {
        lines: vec![
            Line::heading("BERITA ACARA"),
            Line::Text {
                text: "TPS 001 Kelurahan Menteng".into(),
                bold: false,
                double: false,
                align: Align::Center,
            },
            Line::Rule,
            Line::text("Ketua KPPS: André Siregar"),
            Line::text(
                "Pemungutan suara dibuka pukul 07:00 WIB setelah semua saksi hadir dan \
                 kotak suara diperiksa kosong",
            ),
            Line::Feed(1),
            Line::Qr {
                payload: "TPSK1:opening:3171:001:ab12cd34".into(),
            },
        ],
    }
}

#[test]
fn a_report_prints_as_the_chair_would_read_it() {
    let (dir, hw) = hardware();
    let mut printer = Printer::new(hw.printer.clone());
    printer.print(&report(), &mut hw.clock.delay()).unwrap();

    let texts = hw.printer.receipt_texts();
    assert_eq!(texts.len(), 1);
    let expected = [
        "    BERITA ACARA",
        "   TPS 001 Kelurahan Menteng",
        "--------------------------------",
        "Ketua KPPS: Andre Siregar",
        "Pemungutan suara dibuka pukul",
        "07:00 WIB setelah semua saksi",
        "hadir dan kotak suara diperiksa",
        "kosong",
        "",
        "[QR] TPSK1:opening:3171:001:ab12cd34",
        "",
        "",
        "",
        "",
    ];
    assert_eq!(texts[0].lines().collect::<Vec<_>>(), expected);
    assert!(
        texts[0]
            .lines()
            .all(|l| l.len() <= COLUMNS || l.starts_with("[QR]"))
    );

    let files = hw.printer.save_receipts(dir.path()).unwrap();
    assert_eq!(
        files,
        [
            dir.path().join("receipt-1.txt"),
            dir.path().join("receipt-1.png")
        ]
    );
}

#[test]
fn out_of_paper_and_offline_are_reported_before_anything_is_printed() {
    let (_dir, hw) = hardware();
    let mut printer = Printer::new(hw.printer.clone());
    let mut delay = hw.clock.delay();

    hw.printer.set_paper(false);
    assert_eq!(
        printer.print(&report(), &mut delay),
        Err(PrinterError::OutOfPaper)
    );
    hw.printer.set_paper(true);
    hw.printer.set_online(false);
    let before = hw.clock.mono_ms();
    assert_eq!(
        printer.print(&report(), &mut delay),
        Err(PrinterError::Offline)
    );
    let waited = hw.clock.mono_ms() - before;
    assert!(
        (500..=510).contains(&waited),
        "waited {waited} ms for an answer"
    );
    assert!(hw.printer.receipts().is_empty());

    hw.printer.set_online(true);
    printer.print(&report(), &mut delay).unwrap();
    assert_eq!(hw.printer.receipts().len(), 1);
}

#[test]
fn power_changes_on_the_ups_lines_are_reported_once() {
    let (_dir, hw) = hardware();
    let mut power = Power::new(
        hw.power.mains_pin(),
        hw.power.battery_low_pin(),
        PowerWiring::default(),
        PowerState::Mains,
    );
    let poll_twice = |power: &mut Power<_, _>| {
        let first = power.poll().unwrap();
        assert_eq!(first, None, "a single read is not yet a change");
        power.poll().unwrap()
    };
    assert_eq!(poll_twice(&mut power), None);
    hw.power.set(Supply::Battery);
    assert_eq!(poll_twice(&mut power), Some(PowerState::Battery));
    hw.power.set(Supply::BatteryLow);
    assert_eq!(poll_twice(&mut power), Some(PowerState::BatteryLow));
    hw.power.set(Supply::Mains);
    assert_eq!(poll_twice(&mut power), Some(PowerState::Mains));
}

#[test]
fn pulling_the_usb_stick_shows_in_the_storage_status() {
    let (_dir, hw) = hardware();
    let storage = Storage::new(&hw.data_dir, hw.usb.mirror_dir());
    assert!(storage.status().unwrap().usb_present());
    hw.usb.unplug().unwrap();
    let status = storage.status().unwrap();
    assert!(!status.usb_present());
    assert!(status.primary_free_bytes > 0);
    hw.usb.plug().unwrap();
    assert!(storage.status().unwrap().usb_present());
}

#[test]
fn the_tamper_latch_keeps_the_first_opening_while_the_kiosk_is_off() {
    let (_dir, hw) = hardware();
    let mut latch = TamperLatch::new(hw.i2c.clone());
    // A chip powered for the first time: its clock is not kept until armed.
    latch.arm().unwrap();
    assert_eq!(latch.latched().unwrap(), None);
    hw.clock.advance(60_000);
    // Opened, closed, opened again while nobody reads the bus: the first opening is kept.
    hw.lid.open();
    hw.lid.close();
    hw.clock.advance(5_000);
    hw.lid.open();
    hw.lid.close();
    hw.clock.advance(595_000);
    assert_eq!(
        latch.latched().unwrap(),
        Some(Latched {
            ago_ms: Some(600_000)
        })
    );
    assert!(hw.latch.is_latched());
    latch.clear().unwrap();
    assert_eq!(latch.latched().unwrap(), None);
    // A flat latch battery: the opening is still latched, its time not kept.
    hw.lid.open();
    hw.latch.lose_time();
    assert_eq!(latch.latched().unwrap(), Some(Latched { ago_ms: None }));
    // Armed again, its clock runs again and the next opening has a time.
    latch.clear().unwrap();
    latch.arm().unwrap();
    hw.lid.close();
    hw.lid.open();
    hw.clock.advance(2_000);
    assert_eq!(
        latch.latched().unwrap(),
        Some(Latched {
            ago_ms: Some(2_000)
        })
    );
    // Without the chip on the bus the driver says so.
    hw.i2c.detach(tps_hal_sim::PCF2129_ADDRESS);
    assert!(matches!(latch.latched(), Err(LatchError::Bus(_))));
}
