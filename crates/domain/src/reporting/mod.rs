//! Reporting (design brief §9): statistics over a period (`period`, `figures`); bulletins that
//! rank units and signed work reports follow.

pub mod figures;
pub mod period;
