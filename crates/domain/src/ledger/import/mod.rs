//! Importing a unit's own spreadsheet ledger (issue 13): the rules for reading its cells and
//! finding its header, without any file format or database (those are the store's and the
//! app's).

pub mod cells;
pub mod header;
pub mod matching;
pub mod row;
pub mod vocab;
