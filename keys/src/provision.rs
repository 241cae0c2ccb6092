//! Authority keys, device keys and certificate requests, device certificates.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tps_firmware::identity::cert::{CertificateRequest, DeviceCertificate, parse_device_id};
use tps_firmware::identity::keyfile::KeyKind;
use tps_firmware::journal::describe::format_time;
use tps_firmware::time::{Date, LocalTime, TimeZone, instant_at};

use crate::error::CliError;
use crate::files::{self, DEVELOPMENT_MARK};
use crate::outcome::Outcome;

const DAY_MS: i64 = 86_400_000;

/// `authority init`: a new authority key pair in `dir`.
pub fn authority_init(dir: &Path, development: bool) -> Result<Outcome, CliError> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::input(dir, "is not a directory"));
    }
    let secret = dir.join("authority.key");
    let public = dir.join("authority.pub");
    files::must_not_exist(&secret)?;
    files::must_not_exist(&public)?;
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    let key = files::generate()?;
    let comments = if development {
        vec![DEVELOPMENT_MARK.to_string()]
    } else {
        vec![]
    };
    files::write_key(
        &secret,
        KeyKind::AuthoritySecret,
        key.to_bytes(),
        comments.clone(),
    )?;
    files::write_key(
        &public,
        KeyKind::AuthorityPublic,
        key.verifying_key().to_bytes(),
        comments,
    )?;
    let mut out = String::new();
    if development {
        out.push_str(&format!("!!! {DEVELOPMENT_MARK} !!!\n"));
    }
    out.push_str(&format!(
        "authority secret key: {} (mode 0600; keep it offline)\n\
         authority public key: {}\n\
         public key:           {}\n",
        secret.display(),
        public.display(),
        hex::encode(key.verifying_key().to_bytes())
    ));
    Ok(Outcome::ok(out))
}

/// `device request`: a new device key and the request to certify it.
pub fn device_request(
    device_id: &str,
    key_out: &Path,
    request_out: &Path,
) -> Result<Outcome, CliError> {
    parse_device_id(device_id).map_err(|e| CliError::Usage(format!("--device-id: {e}")))?;
    files::must_not_exist(key_out)?;
    files::must_not_exist(request_out)?;
    let key = files::generate()?;
    let request = CertificateRequest::create(device_id, &key)
        .map_err(|e| CliError::Usage(format!("--device-id: {e}")))?;
    files::write_key(key_out, KeyKind::DeviceSecret, key.to_bytes(), vec![])?;
    files::write_new(request_out, &request)?;
    Ok(Outcome::ok(format!(
        "device id:           {device_id}\n\
         device secret key:   {} (mode 0600; never leaves the device)\n\
         certificate request: {}\n\
         public key:          {}\n",
        key_out.display(),
        request_out.display(),
        hex::encode(key.verifying_key().to_bytes())
    )))
}

/// What `device certify` needs.
#[derive(Debug)]
pub struct Certify {
    pub request: PathBuf,
    pub authority_key: PathBuf,
    pub valid_days: u32,
    pub out: PathBuf,
    pub development: bool,
    pub not_before: Option<Date>,
}

fn now_ms() -> Result<i64, CliError> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| CliError::Usage("the system clock is before 1970".into()))?;
    i64::try_from(since.as_millis())
        .map_err(|_| CliError::Usage("the system clock is out of range".into()))
}

/// The first instant of `date` anywhere in Indonesia: midnight WIT, the easternmost zone.
pub fn start_of_day(date: Date) -> Option<i64> {
    instant_at(date, LocalTime::new(0, 0), TimeZone::Wit)
}

/// `device certify`: the authority's certificate for a request.
pub fn device_certify(c: &Certify) -> Result<Outcome, CliError> {
    files::must_not_exist(&c.out)?;
    let bytes = files::read(&c.request, "a certificate request", files::MAX_SIGNED_FILE)?;
    let request = CertificateRequest::read(&bytes).map_err(|e| CliError::input(&c.request, e))?;
    let (authority, marked) = files::read_secret(&c.authority_key, KeyKind::AuthoritySecret)?;
    let development = c.development || marked;
    let not_before = match c.not_before {
        Some(date) => start_of_day(date)
            .ok_or_else(|| CliError::Usage(format!("--not-before {date}: not a real date")))?,
        None => now_ms()?,
    };
    let not_after = i64::from(c.valid_days)
        .checked_mul(DAY_MS)
        .and_then(|d| not_before.checked_add(d))
        .ok_or_else(|| CliError::Usage("--valid-days: too many days".into()))?;
    let cert = DeviceCertificate::issue(&request, &authority, not_before, not_after, development)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    files::write_new(&c.out, &cert)?;
    let mut out = String::new();
    if development {
        out.push_str(&format!(
            "!!! DEVELOPMENT certificate: {DEVELOPMENT_MARK} !!!\n"
        ));
    }
    out.push_str(&format!(
        "device id:   {}\n\
         public key:  {}\n\
         valid from:  {}\n\
         valid until: {}\n\
         certificate: {}\n",
        request.device_id,
        hex::encode(request.public_key),
        format_time(not_before, None),
        format_time(not_after, None),
        c.out.display()
    ));
    Ok(Outcome::ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_midnight_wit() {
        let date = Date::parse("2024-02-14").unwrap_or(Date {
            year: 0,
            month: 0,
            day: 0,
        });
        // 2024-02-13 15:00 UTC.
        assert_eq!(start_of_day(date), Some(1_707_836_400_000));
    }
}
