//! The `qingling` binary, black-box: several serving instances on one database, and the
//! command-line tools that must leave a database as they found it.

// Tests: a value that is not there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod import;
mod instances;
mod tools;
