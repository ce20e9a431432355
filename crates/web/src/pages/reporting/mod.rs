//! Reporting pages (statistics, bulletins, work reports). Empty for now.
