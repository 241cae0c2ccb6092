//! Reading a scenario file: a timeline of actions, hardware events and expectations (the format
//! is documented in hal-sim/scenarios/README.md). Every problem names the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::{Spanned, Table, Value};
use tps_firmware::time::LocalTime;

/// Why a scenario file cannot be run.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct ScenarioError {
    /// The scenario file.
    pub file: PathBuf,
    /// The line of the event at fault (0: the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

/// One event of the timeline, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its line in the file.
    pub line: usize,
    /// When it happens (local time on election day); `None`: `after` seconds after the last.
    pub at: Option<LocalTime>,
    /// Seconds after the previous event (when `at` is `None`).
    pub after_seconds: u32,
    /// What happens: the event's `action`.
    pub action: String,
    /// The event's other fields, read by the action.
    pub fields: Table,
}

/// A parsed scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The file it was read from.
    pub file: PathBuf,
    /// What the scenario plays, in a line.
    pub title: String,
    /// A built-in package name or a path relative to the scenario file.
    pub package: String,
    /// When the day starts (local time on election day).
    pub start: LocalTime,
    /// The device starts blank (no identity) and is provisioned by the scenario's events.
    pub blank: bool,
    /// The timeline, in order.
    pub events: Vec<Event>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: String,
    package: Spanned<String>,
    start: Spanned<String>,
    #[serde(default)]
    blank: bool,
    event: Vec<Spanned<Table>>,
}

/// The fields a `correct` takes: a step's entries (see entries.rs), `expect`, and `reason`
/// last; a `propose` takes the same but the reason.
const CORRECTION_FIELDS: &[&str] = &[
    "step",
    "missing",
    "exception",
    "pps_contacted",
    "counted",
    "broken",
    "wrong_dapil",
    "skipped",
    "queued",
    "dpt",
    "dptb",
    "dpk",
    "disabled",
    "damaged",
    "used",
    "unused",
    "dptb_voters",
    "lock",
    "lock_broken",
    "in_box",
    "votes",
    "valid",
    "invalid",
    "receiver",
    "expect",
    "reason",
];

/// The fields each action takes, so a typo is refused before the day begins.
fn fields_of(action: &str) -> Option<&'static [&'static str]> {
    Some(match action {
        "register" => &[
            "role",
            "participant",
            "name",
            "letter",
            "id_number",
            "pin",
            "chair_pin",
            "expect",
        ],
        "presence" => &["who", "present", "chair_pin", "expect"],
        "propose" => &CORRECTION_FIELDS[..CORRECTION_FIELDS.len() - 1],
        // A correction also takes its `reason`.
        "correct" => CORRECTION_FIELDS,
        "confirm" => &["who", "pin", "expect"],
        "object" => &["who", "reason", "expect"],
        "complete" => &["proceed_without_quorum", "chair_pin", "expect"],
        "announce-dpk" | "end-voting" | "confirm-nihil" => &["chair_pin", "expect"],
        "announce-break" => &["minutes", "chair_pin", "expect"],
        "decline" => &["who", "reason", "confirmers", "chair_pin", "expect"],
        "resolve" => &[
            "of",
            "outcome",
            "note",
            "advice",
            "followed",
            "why_not",
            "confirmers",
            "chair_pin",
            "expect",
        ],
        "incident" => &["text", "raised_by", "witnesses", "chair_pin", "expect"],
        "print" => &["report", "expect"],
        "export" => &["expect"],
        "usb-pull-after" => &["bytes"],
        "lid-open" | "lid-close" | "usb-unplug" | "usb-plug" | "usb-plug-new" | "usb-full"
        | "sd-full" | "sd-freed" | "paper-out" | "paper-in" | "printer-offline"
        | "printer-online" | "oscillator-stop" | "restart" => &[],
        "power" => &["supply"],
        "usb-plug-hostile" => &["file"],
        "cut-power" => &["after_bytes"],
        "set-clock" => &[
            "to",
            "by",
            "witnesses",
            "chair_pin",
            "confirm_crossing",
            "expect",
        ],
        "rtc-moved" => &["to"],
        "provision-request" | "provision-check" => &["expect"],
        "authority-answers" => &[
            "certificate",
            "package_for",
            "certificate_signed_by",
            "package_signed_by",
            "damage",
        ],
        "provision-install" => &["pin", "pin_again", "expect"],
        "reprovision" => &["pin", "expect"],
        "check" => &[
            "current_step",
            "phase",
            "alarm",
            "no_alarm",
            "incidents",
            "people",
            "printed_contains",
            "records_at_least",
            "journal_has",
            "outside_untouched",
        ],
        _ => return None,
    })
}

/// Line (1-based) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

impl Scenario {
    /// Reads and parses a scenario file.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            file: path.to_path_buf(),
            line: 0,
            problem: e.to_string(),
        })?;
        Self::parse(&text, path)
    }

    /// Parses a scenario's text; `path` is the file it came from (for errors, and the package's
    /// relative path).
    pub fn parse(text: &str, path: &Path) -> Result<Self, ScenarioError> {
        let err = |line: usize, problem: String| ScenarioError {
            file: path.to_path_buf(),
            line,
            problem,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            err(line, e.message().to_string())
        })?;
        let start = LocalTime::parse(file.start.get_ref()).ok_or_else(|| {
            err(
                line_of(text, file.start.span().start),
                "start must be HH:MM".into(),
            )
        })?;
        let mut events = Vec::new();
        let mut last_at = start;
        for spanned in file.event {
            let line = line_of(text, spanned.span().start);
            let mut fields = spanned.into_inner();
            let action = match fields.remove("do") {
                Some(Value::String(s)) => s,
                Some(_) => return Err(err(line, "`do` must be a string".into())),
                None => return Err(err(line, "every [[event]] needs `do = \"...\"`".into())),
            };
            let at = match fields.remove("at") {
                Some(Value::String(s)) => {
                    let t = LocalTime::parse(&s)
                        .ok_or_else(|| err(line, format!("at = \"{s}\" is not HH:MM")))?;
                    if t < last_at {
                        return Err(err(
                            line,
                            format!("at = \"{s}\" is before the previous event ({last_at})"),
                        ));
                    }
                    last_at = t;
                    Some(t)
                }
                Some(_) => return Err(err(line, "`at` must be a string \"HH:MM\"".into())),
                None => None,
            };
            let after_seconds = match fields.remove("after") {
                Some(Value::Integer(n)) if (0..=86_400).contains(&n) => n as u32,
                Some(_) => return Err(err(line, "`after` must be seconds, 0 to 86400".into())),
                None => 30,
            };
            let Some(known) = fields_of(&action) else {
                return Err(err(line, format!("unknown action `{action}`")));
            };
            if let Some(k) = fields.keys().find(|k| !known.contains(&k.as_str())) {
                return Err(err(line, format!("{action}: unknown field `{k}`")));
            }
            events.push(Event {
                line,
                at,
                after_seconds,
                action,
                fields,
            });
        }
        Ok(Scenario {
            file: path.to_path_buf(),
            title: file.title,
            package: file.package.into_inner(),
            start,
            blank: file.blank,
            events,
        })
    }
}

/// Typed access to an event's fields, with errors that name the line.
#[derive(Debug)]
pub struct Fields<'a> {
    /// The event read.
    pub event: &'a Event,
    /// The scenario file, for errors.
    pub file: &'a Path,
    used: std::cell::RefCell<Vec<String>>,
}

impl<'a> Fields<'a> {
    /// The fields of `event`, from `file`.
    pub fn new(event: &'a Event, file: &'a Path) -> Self {
        Self {
            event,
            file,
            used: Default::default(),
        }
    }

    /// An error at this event's line, naming its action.
    pub fn error(&self, problem: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: self.file.to_path_buf(),
            line: self.event.line,
            problem: format!("{}: {}", self.event.action, problem.into()),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.used.borrow_mut().push(key.to_string());
        self.event.fields.get(key)
    }

    /// A string field, if present.
    pub fn string(&self, key: &str) -> Result<Option<String>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(format!("`{key}` must be a string"))),
        }
    }

    /// A string field that must be present.
    pub fn required(&self, key: &str) -> Result<String, ScenarioError> {
        self.string(key)?
            .ok_or_else(|| self.error(format!("`{key}` is required")))
    }

    /// A whole-number field, if present.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Integer(n)) => Ok(Some(*n)),
            Some(_) => Err(self.error(format!("`{key}` must be a whole number"))),
        }
    }

    /// A field of 0 or more that fits a `u32`, if present.
    pub fn uint(&self, key: &str) -> Result<Option<u32>, ScenarioError> {
        match self.int(key)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| self.error(format!("`{key}` must be 0 or more"))),
        }
    }

    /// A true/false field, if present.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(*b)),
            Some(_) => Err(self.error(format!("`{key}` must be true or false"))),
        }
    }

    /// A list of strings (empty if absent).
    pub fn strings(&self, key: &str) -> Result<Vec<String>, ScenarioError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(self.error(format!("`{key}` must be a list of strings"))),
                })
                .collect(),
            Some(_) => Err(self.error(format!("`{key}` must be a list of strings"))),
        }
    }

    /// A table of NAME = whole number.
    pub fn numbers(&self, key: &str) -> Result<BTreeMap<String, i64>, ScenarioError> {
        match self.get(key) {
            None => Ok(BTreeMap::new()),
            Some(Value::Table(t)) => t
                .iter()
                .map(|(k, v)| match v {
                    Value::Integer(n) => Ok((k.clone(), *n)),
                    _ => Err(self.error(format!("`{key}.{k}` must be a whole number"))),
                })
                .collect(),
            Some(_) => Err(self.error(format!("`{key}` must be a table of numbers"))),
        }
    }

    /// A pair `[male, female]`.
    pub fn male_female(&self, key: &str) -> Result<Option<(u32, u32)>, ScenarioError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => match a.as_slice() {
                [Value::Integer(m), Value::Integer(f)] if *m >= 0 && *f >= 0 => {
                    Ok(Some((*m as u32, *f as u32)))
                }
                _ => Err(self.error(format!("`{key}` must be [male, female]"))),
            },
            Some(_) => Err(self.error(format!("`{key}` must be [male, female]"))),
        }
    }

    /// Refuses fields the action does not know (a typo must not pass silently).
    pub fn finish(&self) -> Result<(), ScenarioError> {
        let used = self.used.borrow();
        match self
            .event
            .fields
            .keys()
            .find(|k| !used.iter().any(|u| u == *k) && k.as_str() != "expect")
        {
            Some(k) => Err(self.error(format!("unknown field `{k}`"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_scenario_names_the_file_line_and_problem() {
        let text = "title = \"t\"\npackage = \"pemilu-2024-jabar\"\nstart = \"05:45\"\n\n[[event]]\nat = \"06:00\"\ndo = \"register\"\n\n[[event]]\nat = \"05:59\"\ndo = \"register\"\n";
        let e = Scenario::parse(text, Path::new("x.toml")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml:9: at = \"05:59\" is before the previous event (06:00)"
        );
        let e = Scenario::parse("title = 3", Path::new("y.toml")).unwrap_err();
        assert!(e.to_string().starts_with("y.toml:1: "), "{e}");
        let text = "title = \"t\"\npackage = \"p\"\nstart = \"05:45\"\n[[event]]\nat = \"06:00\"\n";
        let e = Scenario::parse(text, Path::new("z.toml")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "z.toml:4: every [[event]] needs `do = \"...\"`"
        );
    }
}
