//! Checking the PIN of whoever confirms a command, with the wrong-PIN delay: apart from
//! `decide` so the clock's setting (`clock`), which `decide` calls, checks PINs the same way
//! without importing it back.

use tps_base::time::Stamp;
use tps_domain::people::PersonId;
use tps_domain::pin::Pin;

use super::refusal::Refusal;
use super::state::State;

pub(super) fn verify_chair(state: &State, pin: &Pin, now: &Stamp) -> Result<PersonId, Refusal> {
    let chair = state.chair().ok_or(Refusal::ChairFirst)?;
    verify_pin(state, chair.id, pin, now)?;
    Ok(chair.id)
}

/// Checks a person's PIN, with the wrong-PIN delay. The delay runs on the monotonic clock, from
/// the last wrong PIN or the last restart after it, so neither moving the RTC nor a restart
/// shortens it.
pub(super) fn verify_pin(
    state: &State,
    person: PersonId,
    pin: &Pin,
    now: &Stamp,
) -> Result<(), Refusal> {
    let p = state
        .person(person)
        .ok_or(Refusal::UnknownPerson { person })?;
    let policy = &state.procedure().pin;
    let zone = state.package().zone;
    if let (Some(delay), Some(from)) = (policy.delay_after(p.pin_failures), p.delay_from_mono) {
        let left = from.saturating_add(delay).saturating_sub(now.mono_ms);
        if left > 0 {
            return Err(Refusal::PinLocked {
                name: p.name.to_string(),
                until_ms: now
                    .wall_ms
                    .saturating_add(i64::try_from(left).unwrap_or(i64::MAX)),
                zone,
            });
        }
    }
    if p.pin.matches(pin, state.pin_key()?) {
        return Ok(());
    }
    let failures = p.pin_failures.saturating_add(1);
    Err(Refusal::WrongPin {
        person,
        name: p.name.to_string(),
        failures,
        locked_until: policy.delay_after(failures).map(|d| {
            (
                now.wall_ms
                    .saturating_add(i64::try_from(d).unwrap_or(i64::MAX)),
                zone,
            )
        }),
    })
}
