//! Sign-in throttling. Failures are counted per (claimed username, client address), so that
//! an unknown name behaves exactly like a known one (nothing tells which accounts exist) and
//! nobody can lock another person's account from their own machine. Each lock is longer
//! than the one before; an address that fails too often is blocked for every name.

use time::Duration;

/// Failed sign-ins by one (name, address) pair before it is held back.
pub const LOCK_AFTER: i64 = 5;
/// The longest hold, and how long failures are remembered after the last one.
pub const LONGEST_LOCK: Duration = Duration::minutes(15);
/// Failed sign-ins one address may make within [`LONGEST_LOCK`], over all names.
pub const CLIENT_LIMIT: i64 = 20;

/// How long a pair is held back after its `failures`-th failure in a row: nothing below
/// [`LOCK_AFTER`], then one minute, doubling with each further failure, at most
/// [`LONGEST_LOCK`].
pub fn hold_after(failures: i64) -> Option<Duration> {
    if failures < LOCK_AFTER {
        return None;
    }
    let doublings = (failures - LOCK_AFTER).min(10) as u32;
    Some((Duration::minutes(1) * 2i32.pow(doublings)).min(LONGEST_LOCK))
}

/// The name failures are counted under: as typed, trimmed and case-folded (so `Admin` and
/// `admin ` are one pair), cut to a bounded length.
pub fn counted_name(claimed: &str) -> String {
    claimed.trim().to_lowercase().chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_grow_and_are_capped() {
        assert_eq!(hold_after(4), None);
        assert_eq!(hold_after(5), Some(Duration::minutes(1)));
        assert_eq!(hold_after(6), Some(Duration::minutes(2)));
        assert_eq!(hold_after(8), Some(Duration::minutes(8)));
        assert_eq!(hold_after(9), Some(Duration::minutes(15)));
        assert_eq!(hold_after(1_000_000), Some(Duration::minutes(15)));
    }

    #[test]
    fn names_are_counted_case_folded() {
        assert_eq!(counted_name("  Admin "), "admin");
        assert_eq!(counted_name(&"x".repeat(500)).len(), 100);
    }
}
