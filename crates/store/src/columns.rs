//! Reading a row's columns by name. A row of the `Any` driver finds a name in a SipHash map
//! on every read: a statement that streams a million rows (the ledger's export, ~53 names a
//! lead) spent 7% of its time hashing them. [`Located`] finds each name once per statement
//! and reads by position after that; the readers of a row type (`lead_from_row`, …) take
//! either through [`Cols`].

use std::{collections::HashMap, hash::BuildHasherDefault, hash::Hasher};

use sqlx::{Any, Column, Decode, Row, Type, any::AnyRow};

/// Something a row reader can take a named column from.
pub(crate) trait Cols {
    fn col<'r, T>(&'r self, name: &str) -> Result<T, sqlx::Error>
    where
        T: Decode<'r, Any> + Type<Any>;
}

impl Cols for AnyRow {
    fn col<'r, T>(&'r self, name: &str) -> Result<T, sqlx::Error>
    where
        T: Decode<'r, Any> + Type<Any>,
    {
        self.try_get(name)
    }
}

/// Where each column of a statement's rows is, found from its first row.
pub(crate) struct Columns(HashMap<String, usize, BuildHasherDefault<Fnv>>);

impl Columns {
    pub fn of(row: &AnyRow) -> Self {
        Self(row.columns().iter().map(|c| (c.name().to_owned(), c.ordinal())).collect())
    }

    /// `row` (of the same statement) read through these positions.
    pub fn at<'a>(&'a self, row: &'a AnyRow) -> Located<'a> {
        Located { row, columns: self }
    }
}

/// A row read by the positions its statement's first row gave.
pub(crate) struct Located<'a> {
    row: &'a AnyRow,
    columns: &'a Columns,
}

impl Cols for Located<'_> {
    fn col<'r, T>(&'r self, name: &str) -> Result<T, sqlx::Error>
    where
        T: Decode<'r, Any> + Type<Any>,
    {
        let at = *self.columns.0.get(name).ok_or_else(|| sqlx::Error::ColumnNotFound(name.to_owned()))?;
        self.row.try_get(at)
    }
}

/// FNV-1a: column names are short and ours, so a keyed hash buys nothing here.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
