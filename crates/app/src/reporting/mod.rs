//! Reporting (statistics, bulletins, work reports). Empty for now.
