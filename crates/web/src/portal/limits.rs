//! The portal's limits against abuse: per client address and overall, in memory only (the
//! addresses are never logged or stored, and forgotten when their window ends).

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// What the portal allows (defaults for a city's portal; `serve` takes them from flags).
#[derive(Debug, Clone, Copy)]
pub struct PortalLimits {
    /// Proof-of-work difficulty: leading zero bits of SHA-256.
    pub bits: u8,
    /// Reports one address may file an hour.
    pub reports_per_hour: u32,
    /// Wrong receipt codes or passphrases one address may try an hour.
    pub failures_per_hour: u32,
    /// Form posts the whole portal takes a minute (a flood from many addresses).
    pub posts_per_minute: u32,
}

impl Default for PortalLimits {
    fn default() -> Self {
        Self { bits: 18, reports_per_hour: 5, failures_per_hour: 10, posts_per_minute: 600 }
    }
}

#[derive(Default)]
struct Counts {
    since: Option<Instant>,
    reports: u32,
    failures: u32,
}

/// The counters behind the limits.
pub struct Guard {
    pub limits: PortalLimits,
    by_address: Mutex<HashMap<IpAddr, Counts>>,
    posts: Mutex<(Option<Instant>, u32)>,
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

impl Guard {
    pub fn new(limits: PortalLimits) -> Self {
        Self { limits, by_address: Mutex::default(), posts: Mutex::default() }
    }

    fn with<T>(&self, ip: IpAddr, f: impl FnOnce(&mut Counts) -> T) -> T {
        let now = Instant::now();
        let mut map = self.by_address.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget windows that ended, so the map holds only the last hour's addresses.
        if map.len() > 10_000 {
            map.retain(|_, c| c.since.is_some_and(|s| now.duration_since(s) < HOUR));
        }
        let c = map.entry(ip).or_default();
        if c.since.is_none_or(|s| now.duration_since(s) >= HOUR) {
            *c = Counts { since: Some(now), ..Counts::default() };
        }
        f(c)
    }

    /// Counts a post to the portal; false when the portal as a whole has taken its fill.
    pub fn post(&self) -> bool {
        let now = Instant::now();
        let mut p = self.posts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if p.0.is_none_or(|s| now.duration_since(s) >= MINUTE) {
            *p = (Some(now), 0);
        }
        p.1 += 1;
        p.1 <= self.limits.posts_per_minute
    }

    /// Counts a report from `ip`; false past the hour's allowance.
    pub fn report(&self, ip: IpAddr) -> bool {
        let max = self.limits.reports_per_hour;
        self.with(ip, |c| {
            c.reports += 1;
            c.reports <= max
        })
    }

    /// Whether `ip` may try a code again.
    pub fn may_try(&self, ip: IpAddr) -> bool {
        let max = self.limits.failures_per_hour;
        self.with(ip, |c| c.failures < max)
    }

    pub fn failed(&self, ip: IpAddr) {
        self.with(ip, |c| c.failures += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_allowance_and_the_portal_its_own() {
        let g = Guard::new(PortalLimits { bits: 0, reports_per_hour: 2, failures_per_hour: 3, posts_per_minute: 4 });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(g.report(a) && g.report(a) && !g.report(a), "two reports an hour");
        assert!(g.report(b), "another address is not held back");
        for _ in 0..3 {
            assert!(g.may_try(a));
            g.failed(a);
        }
        assert!(!g.may_try(a) && g.may_try(b));
        assert!((0..4).all(|_| g.post()) && !g.post(), "four posts a minute in all");
    }
}
