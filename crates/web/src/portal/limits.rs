//! The portal's limits against abuse, per client address and overall, in memory only: the
//! addresses are never logged or stored, and each is forgotten once its hour has passed (swept
//! every minute). An IPv6 client is counted by its /64, which one subscriber holds whole.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// What the portal allows (defaults for a city's portal; `serve` takes some from flags).
#[derive(Debug, Clone, Copy)]
pub struct PortalLimits {
    /// Proof-of-work difficulty: leading zero bits of SHA-256.
    pub bits: u8,
    /// Reports one address may file an hour.
    pub reports_per_hour: u32,
    /// Wrong receipt codes or passphrases one address may try an hour.
    pub failures_per_hour: u32,
    /// Form posts one address may make a minute, whatever they are.
    pub posts_per_address_minute: u32,
    /// Form posts the whole portal takes a minute (a flood from many addresses).
    pub posts_per_minute: u32,
}

impl Default for PortalLimits {
    fn default() -> Self {
        Self {
            bits: 18,
            reports_per_hour: 5,
            failures_per_hour: 10,
            posts_per_address_minute: 30,
            posts_per_minute: 600,
        }
    }
}

#[derive(Default)]
struct Counts {
    hour_from: Option<Instant>,
    reports: u32,
    failures: u32,
    minute_from: Option<Instant>,
    posts: u32,
}

/// The counters behind the limits.
pub struct Guard {
    pub limits: PortalLimits,
    by_address: Mutex<(HashMap<IpAddr, Counts>, Option<Instant>)>,
    posts: Mutex<(Option<Instant>, u32)>,
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

/// The key an address is counted under: itself, or its /64 for IPv6.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut s = v6.segments();
            s[4..].fill(0);
            IpAddr::V6(s.into())
        }
    }
}

fn expired(since: Option<Instant>, now: Instant, span: Duration) -> bool {
    since.is_none_or(|s| now.duration_since(s) >= span)
}

impl Guard {
    pub fn new(limits: PortalLimits) -> Self {
        Self { limits, by_address: Mutex::default(), posts: Mutex::default() }
    }

    fn with<T>(&self, ip: IpAddr, f: impl FnOnce(&mut Counts, Instant) -> T) -> T {
        let now = Instant::now();
        let mut guard = self.by_address.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (map, swept) = &mut *guard;
        if expired(*swept, now, MINUTE) {
            map.retain(|_, c| !expired(c.hour_from, now, HOUR) || !expired(c.minute_from, now, MINUTE));
            *swept = Some(now);
        }
        let c = map.entry(key(ip)).or_default();
        if expired(c.hour_from, now, HOUR) {
            (c.hour_from, c.reports, c.failures) = (Some(now), 0, 0);
        }
        if expired(c.minute_from, now, MINUTE) {
            (c.minute_from, c.posts) = (Some(now), 0);
        }
        f(c, now)
    }

    /// Admits a post from `ip`: within its own minute's allowance first, and only then counted
    /// against the portal's, so one address cannot use up everyone's.
    pub fn post(&self, ip: IpAddr) -> bool {
        let max = self.limits.posts_per_address_minute;
        let own = self.with(ip, |c, _| {
            c.posts += 1;
            c.posts <= max
        });
        if !own {
            return false;
        }
        let now = Instant::now();
        let mut p = self.posts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if expired(p.0, now, MINUTE) {
            *p = (Some(now), 0);
        }
        p.1 += 1;
        p.1 <= self.limits.posts_per_minute
    }

    /// Counts a report from `ip`; false past the hour's allowance.
    pub fn report(&self, ip: IpAddr) -> bool {
        let max = self.limits.reports_per_hour;
        self.with(ip, |c, _| {
            c.reports += 1;
            c.reports <= max
        })
    }

    /// Takes one of `ip`'s tries before the code is checked (so guesses sent at once cannot all
    /// pass); false when none is left. A right code gives it back ([`Guard::succeeded`]).
    pub fn try_code(&self, ip: IpAddr) -> bool {
        let max = self.limits.failures_per_hour;
        self.with(ip, |c, _| {
            if c.failures >= max {
                return false;
            }
            c.failures += 1;
            true
        })
    }

    pub fn succeeded(&self, ip: IpAddr) {
        self.with(ip, |c, _| c.failures = c.failures.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> PortalLimits {
        PortalLimits {
            bits: 0,
            reports_per_hour: 2,
            failures_per_hour: 3,
            posts_per_address_minute: 5,
            posts_per_minute: 7,
        }
    }

    #[test]
    fn each_address_has_its_allowance_and_the_portal_its_own() {
        let g = Guard::new(limits());
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(g.report(a) && g.report(a) && !g.report(a), "two reports an hour");
        assert!(g.report(b), "another address is not held back");
        for _ in 0..3 {
            assert!(g.try_code(a));
        }
        assert!(!g.try_code(a) && g.try_code(b));
        g.succeeded(b);
        assert!((0..3).all(|_| g.try_code(b)), "a right code gives its try back");
    }

    #[test]
    fn one_address_cannot_use_up_the_portals_posts() {
        let g = Guard::new(limits());
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert_eq!((0..100).filter(|_| g.post(a)).count(), 5, "its own five a minute");
        assert!(g.post(b) && g.post(b), "the portal's seven: five taken by a, two left");
        assert!(!g.post(b), "then the portal is full for the minute");
    }

    #[test]
    fn an_ipv6_subscriber_is_counted_by_its_64() {
        let g = Guard::new(limits());
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other_in_64: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert!(g.report(one) && g.report(other_in_64) && !g.report(one));
        assert!(g.report("2001:db8:1:3::1".parse().unwrap()), "the next /64 is another subscriber");
    }
}
