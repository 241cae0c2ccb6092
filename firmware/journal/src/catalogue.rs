//! One catalogue of record kinds (issue 14): the `RecordBody` enum is the catalogue, and this
//! test fails when what is said of it elsewhere disagrees: its index on the wire and its
//! variant and field names (serde's, which postcard writes) against the table "Bodies" of
//! FORMAT.md, its `kind_name` (the kebab-case of the variant's name), the describer's line in
//! both languages, and the record kinds the scenario files and their README name.
//!
//! Adding a variant without a sample in `describe::tests::one_of_everything` fails here; adding
//! one without an arm in [`index`] does not compile.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use crate::describe::Describer;
use crate::describe::tests::one_of_everything;
use tps_base::text::Lang;
use tps_domain::event::RecordBody;

/// The variant's place in the catalogue, written out once more so that a new variant does not
/// compile until someone looks here (and at FORMAT.md).
fn index(body: &RecordBody) -> u32 {
    match body {
        RecordBody::Genesis(_) => 0,
        RecordBody::Started { .. } => 1,
        RecordBody::PersonRegistered { .. } => 2,
        RecordBody::PresenceChanged { .. } => 3,
        RecordBody::PinFailed { .. } => 4,
        RecordBody::StepProposed { .. } => 5,
        RecordBody::Confirmed { .. } => 6,
        RecordBody::Objected { .. } => 7,
        RecordBody::StepCompleted { .. } => 8,
        RecordBody::Incident(_) => 9,
        RecordBody::DpkAnnounced { .. } => 10,
        RecordBody::VotingEnded { .. } => 11,
        RecordBody::ClockAnomaly { .. } => 12,
        RecordBody::ClockSet { .. } => 13,
        RecordBody::TamperChanged { .. } => 14,
        RecordBody::PowerChanged { .. } => 15,
        RecordBody::MirrorRestored { .. } => 16,
        RecordBody::ReportPrinted { .. } => 17,
        RecordBody::ObjectionResolved { .. } => 18,
        RecordBody::NihilConfirmed { .. } => 19,
        RecordBody::MirrorRemoved => 20,
        RecordBody::TamperWhileOff { .. } => 21,
        RecordBody::ClockMoved { .. } => 22,
        RecordBody::BreakAnnounced { .. } => 23,
    }
}

/// How many variants [`index`] knows.
const KINDS: u32 = 24;

/// A variant as serde sees it: its index, its name and its fields' names in order (those of the
/// struct inside, for a newtype variant such as `Genesis(Box<Genesis>)`).
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    index: u32,
    name: &'static str,
    fields: Vec<&'static str>,
}

#[derive(Debug)]
struct NotAVariant(String);

impl fmt::Display for NotAVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAVariant {}

impl ser::Error for NotAVariant {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NotAVariant(msg.to_string())
    }
}

/// A serde serializer that keeps only the outer shape of an enum variant or struct.
struct ShapeOf;

/// Collects field names; the values are not looked at.
struct Fields(Shape);

impl ser::SerializeStruct for Fields {
    type Ok = Shape;
    type Error = NotAVariant;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        _: &T,
    ) -> Result<(), NotAVariant> {
        self.0.fields.push(key);
        Ok(())
    }
    fn end(self) -> Result<Shape, NotAVariant> {
        Ok(self.0)
    }
}

impl ser::SerializeStructVariant for Fields {
    type Ok = Shape;
    type Error = NotAVariant;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        _: &T,
    ) -> Result<(), NotAVariant> {
        self.0.fields.push(key);
        Ok(())
    }
    fn end(self) -> Result<Shape, NotAVariant> {
        Ok(self.0)
    }
}

macro_rules! not_a_variant {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Shape, NotAVariant> {
            Err(NotAVariant(stringify!($name).into()))
        })*
    };
}

impl ser::Serializer for ShapeOf {
    type Ok = Shape;
    type Error = NotAVariant;
    type SerializeSeq = Impossible<Shape, NotAVariant>;
    type SerializeTuple = Impossible<Shape, NotAVariant>;
    type SerializeTupleStruct = Impossible<Shape, NotAVariant>;
    type SerializeTupleVariant = Impossible<Shape, NotAVariant>;
    type SerializeMap = Impossible<Shape, NotAVariant>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Fields;

    not_a_variant!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Shape, NotAVariant> {
        Err(NotAVariant("some".into()))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        name: &'static str,
    ) -> Result<Shape, NotAVariant> {
        Ok(Shape {
            index,
            name,
            fields: Vec::new(),
        })
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Shape, NotAVariant> {
        value.serialize(ShapeOf)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Shape, NotAVariant> {
        let inner = value.serialize(ShapeOf)?;
        Ok(Shape {
            index,
            name,
            fields: inner.fields,
        })
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAVariant> {
        Err(NotAVariant("seq".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAVariant> {
        Err(NotAVariant("tuple".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAVariant> {
        Err(NotAVariant("tuple struct".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAVariant> {
        Err(NotAVariant("tuple variant".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAVariant> {
        Err(NotAVariant("map".into()))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Fields, NotAVariant> {
        Ok(Fields(Shape {
            index: 0,
            name,
            fields: Vec::new(),
        }))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        name: &'static str,
        _: usize,
    ) -> Result<Fields, NotAVariant> {
        Ok(Fields(Shape {
            index,
            name,
            fields: Vec::new(),
        }))
    }
}

/// `PersonRegistered` → `person-registered`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Splits a table cell at the `;` between fields, not those inside `[u8; 32]` or parentheses.
fn split_fields(cell: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in cell.char_indices() {
        match c {
            '(' | '[' | '<' => depth += 1,
            ')' | ']' | '>' => depth -= 1,
            ';' if depth == 0 => {
                out.push(cell[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(cell[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// The first `code` span of `s`, if `s` starts with one.
fn leading_code(s: &str) -> Option<&str> {
    s.strip_prefix('`')?.split('`').next()
}

/// The rows of FORMAT.md's table of bodies: (index, variant name, field names in order).
fn documented_bodies() -> Vec<(u32, String, Vec<String>)> {
    let format = include_str!("FORMAT.md");
    let table = format
        .split("| index | body | fields, in order |")
        .nth(1)
        .expect("FORMAT.md has the table of bodies");
    table
        .lines()
        .skip(2) // the rest of the header line and the |---| line
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let index = cells[0].parse().expect("an index");
            let name = leading_code(cells[1]).expect("a `Name`").to_string();
            // A row whose fields are not a list of `name` type pairs ("no fields (...)") has none.
            let fields = split_fields(cells[2..].join("|").as_str())
                .into_iter()
                .filter_map(|f| leading_code(f).map(str::to_string))
                .collect();
            (index, name, fields)
        })
        .collect()
}

#[test]
fn every_record_kind_is_sampled_once_or_more() {
    let seen: BTreeSet<u32> = one_of_everything().iter().map(|r| index(&r.body)).collect();
    assert_eq!(seen, (0..KINDS).collect(), "a kind without a sample");
}

#[test]
fn the_enum_its_names_and_format_md_agree() {
    let documented = documented_bodies();
    assert_eq!(
        documented.iter().map(|d| d.0).collect::<Vec<_>>(),
        (0..KINDS).collect::<Vec<_>>(),
        "FORMAT.md's table of bodies lists every index once, in order"
    );
    for record in one_of_everything() {
        let body = &record.body;
        let shape = body.serialize(ShapeOf).expect("a body is an enum variant");
        assert_eq!(shape.index, index(body), "{shape:?}");
        // Postcard writes the index first (one byte: below 128).
        let bytes = postcard::to_stdvec(body).expect("encodes");
        assert_eq!(u32::from(bytes[0]), shape.index, "{shape:?}");
        assert_eq!(
            body.kind_name(),
            kebab(shape.name),
            "kind_name of {shape:?}"
        );
        let (_, name, fields) = &documented[shape.index as usize];
        assert_eq!(name, shape.name, "FORMAT.md row {}", shape.index);
        assert_eq!(
            fields, &shape.fields,
            "FORMAT.md lists the fields of {} in order",
            shape.name
        );
    }
}

#[test]
fn the_describer_says_every_kind_in_both_languages() {
    for lang in [Lang::Id, Lang::En] {
        let mut describer = Describer::new(None, lang, None);
        for record in one_of_everything() {
            let line = describer.describe(&record);
            assert_eq!(line.kind, record.body.kind_name());
            assert!(
                line.text.trim().len() > 3,
                "{} in {lang:?}: {:?}",
                line.kind,
                line.text
            );
        }
    }
}

/// The record kinds the scenario files check (`journal_has`) and their README gives as
/// examples are kinds the kiosk records.
#[test]
fn the_scenarios_name_record_kinds_that_exist() {
    let kinds: BTreeSet<&str> = one_of_everything()
        .iter()
        .map(|r| r.body.kind_name())
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hal-sim/scenarios");
    let mut named = 0;
    for entry in std::fs::read_dir(&dir).expect("the scenarios") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        for line in text.lines() {
            let Some((_, list)) = line.split_once("journal_has") else {
                continue;
            };
            let Some(list) = list.split_once('[').and_then(|(_, l)| l.split_once(']')) else {
                continue;
            };
            for kind in list.0.split(',').map(|k| k.trim().trim_matches(['"', '`'])) {
                if !kind.is_empty() {
                    named += 1;
                    assert!(
                        kinds.contains(kind),
                        "{}: `{kind}` is no record kind",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(named > 0, "the scenarios check some record kinds");
}
