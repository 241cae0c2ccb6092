//! How soon after the lid opens does the tamper driver report it? Simulated time, not wall time:
//! many lid openings at random instants between polls, each with random contact bounce, polled
//! every `POLL_PERIOD_MS` through the simulator's lid pin. Prints the median and worst latency
//! against the 100 ms requirement, then measures what one poll costs.

use std::hint::black_box;

use criterion::Criterion;
use tps_drivers::tamper::{DEBOUNCE_MS, LidEvent, LidState, POLL_PERIOD_MS, Tamper};
use tps_hal_sim::SimLid;

const OPENINGS: usize = 20_000;
/// The requirement: an open lid is an alarm within this.
const REQUIRED_US: u64 = 100_000;
/// Longest contact bounce simulated after the lid starts to open.
const MAX_BOUNCE_US: u64 = 5_000;

/// xorshift64*: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Microseconds from the lid starting to open to the driver reporting `Opened`.
fn one_opening(rng: &mut Rng) -> u64 {
    let lid = SimLid::new(false);
    let mut tamper = Tamper::new(lid.pin(), LidState::Closed);
    let poll_us = POLL_PERIOD_MS * 1_000;
    // The lid starts to open somewhere in the second second, at any microsecond between polls.
    let opens_at = 1_000_000 + rng.below(poll_us);
    // Until it settles the contact bounces: each poll may find it open or closed.
    let settles_at = opens_at + rng.below(MAX_BOUNCE_US + 1);
    let mut now = 0;
    loop {
        now += poll_us;
        let open = match now {
            t if t < opens_at => false,
            t if t < settles_at => rng.below(2) == 1,
            _ => true,
        };
        if open {
            lid.open()
        } else {
            lid.close()
        }
        if tamper.poll(now / 1_000) == Ok(Some(LidEvent::Opened)) {
            return now - opens_at;
        }
        assert!(
            now < opens_at + 10 * REQUIRED_US,
            "the opening was never reported"
        );
    }
}

fn main() {
    let mut rng = Rng(0x7155_2024_0214);
    let mut latencies: Vec<u64> = (0..OPENINGS).map(|_| one_opening(&mut rng)).collect();
    latencies.sort_unstable();
    let ms = |us: u64| us as f64 / 1_000.0;
    let worst = latencies[OPENINGS - 1];
    println!(
        "tamper latency, {OPENINGS} simulated lid openings (poll every {POLL_PERIOD_MS} ms, \
         debounce {DEBOUNCE_MS} ms, bounce up to {} ms):",
        MAX_BOUNCE_US / 1_000
    );
    println!(
        "  best {:.1} ms, median {:.1} ms, worst {:.1} ms; required within {} ms: {}",
        ms(latencies[0]),
        ms(latencies[OPENINGS / 2]),
        ms(worst),
        REQUIRED_US / 1_000,
        if worst <= REQUIRED_US {
            "met"
        } else {
            "NOT MET"
        }
    );

    let mut criterion = Criterion::default().configure_from_args();
    let lid = SimLid::new(false);
    let mut tamper = Tamper::new(lid.pin(), LidState::Closed);
    let mut now = 0;
    criterion.bench_function("tamper poll", |b| {
        b.iter(|| {
            now += POLL_PERIOD_MS;
            black_box(tamper.poll(black_box(now)))
        })
    });
    criterion.final_summary();
    if worst > REQUIRED_US {
        std::process::exit(1);
    }
}
