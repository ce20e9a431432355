//! Reporting's records (statistics, bulletins, work reports). Empty for now.
