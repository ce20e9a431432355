//! Reporting (design brief §9): statistics, bulletins that rank units, signed work reports.
//! Empty for now.
