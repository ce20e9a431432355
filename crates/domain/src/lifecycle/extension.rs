//! Extensions (延期, seed 二(一)): requested with a reason, signed by the unit head, filed
//! with the supervising committee; at most one month each by default, longer or repeated
//! ones need the committee head's approval and are flagged.

use sha2::{Digest, Sha256};

use crate::{FieldError, Invalid, labelled_enum};

/// Days an extension may add without the committee head (*default*: one month).
pub const DEFAULT_MAX_DAYS: u32 = 31;

labelled_enum!(
    ExtensionState {
        Requested = ("requested", "已申请，待单位主要负责人签字", "Requested, awaiting the unit head's signature"),
        Signed = ("signed", "已签字，待报委直属机关纪委", "Signed, awaiting filing with the committee"),
        Filed = ("filed", "已报备，待纪委书记审批", "Filed, awaiting the committee head's approval"),
        Approved = ("approved", "已生效", "In effect"),
        Rejected = ("rejected", "未同意", "Refused"),
        Returned = ("returned", "已退回申请人", "Returned to the requester"),
    }
);

impl ExtensionState {
    pub const fn is_open(self) -> bool {
        matches!(self, ExtensionState::Requested | ExtensionState::Signed | ExtensionState::Filed)
    }
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRequest {
    pub reason: String,
    pub days: u32,
}

pub fn parse_request(reason: &str, days: &str) -> Result<ExtensionRequest, Invalid> {
    let mut e = Invalid::default();
    let reason = e.take(crate::text::Prose::<1000>::parse("reason", reason));
    let days = e.take(match days.trim().parse::<u32>() {
        Ok(n @ 1..=365) => Ok(n),
        _ => {
            Err(FieldError::new("days", "out_of_range", "延期天数须为 1 到 365。", "Extension days must be 1 to 365."))
        }
    });
    let (Some(reason), Some(days)) = (reason, days) else { return Err(e) };
    Ok(ExtensionRequest { reason: reason.into_string(), days })
}

/// Days one extension of a deadline may add without the committee head: the campaign's cap in
/// calendar months from that deadline (one month from 01-31 is 28 days in February).
pub fn cap_days(deadline: time::Date, months: u32) -> u32 {
    u32::try_from((crate::dates::add_months(deadline, months) - deadline).whole_days()).unwrap_or(DEFAULT_MAX_DAYS)
}

/// Whether the committee head must approve: longer than the cap, or not the first.
pub fn needs_committee_head(days: u32, earlier_in_effect: usize, max_days: u32) -> bool {
    days > max_days || earlier_in_effect > 0
}

/// The unit head's signature: a hash of exactly what was signed.
pub fn signature(
    lead_number: &str,
    reason: &str,
    days: u32,
    requested_by: i64,
    requested_at: i64,
    signer: i64,
) -> String {
    let text = format!(
        "extension\nlead={lead_number}\ndays={days}\nrequested_by={requested_by}\nrequested_at={requested_at}\nsigner={signer}\nreason={reason}"
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cap_is_calendar_months_from_the_deadline() {
        use time::macros::date;
        assert_eq!(super::cap_days(date!(2026 - 12 - 15), 1), 31);
        assert_eq!(super::cap_days(date!(2027 - 02 - 10), 1), 28);
        assert_eq!(super::cap_days(date!(2027 - 01 - 31), 1), 28, "to the end of February");
        assert_eq!(super::cap_days(date!(2027 - 01 - 10), 2), 59);
    }
    use super::*;

    #[test]
    fn cap_and_repeats_need_the_committee_head() {
        assert!(!needs_committee_head(31, 0, DEFAULT_MAX_DAYS));
        assert!(needs_committee_head(32, 0, DEFAULT_MAX_DAYS), "longer than a month");
        assert!(needs_committee_head(10, 1, DEFAULT_MAX_DAYS), "a second extension");
    }

    #[test]
    fn requests_are_checked() {
        assert!(parse_request("案情复杂，需调取银行流水", "20").is_ok());
        let e = parse_request("", "0").unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert!(parse_request("理由", "366").is_err());
    }

    #[test]
    fn the_signature_covers_every_term() {
        let s = signature("A-2019-0001", "理由", 20, 1, 2, 3);
        assert_ne!(s, signature("A-2019-0001", "理由", 21, 1, 2, 3));
        assert_ne!(s, signature("A-2019-0001", "理由。", 20, 1, 2, 3));
        assert_eq!(s.len(), 64);
    }
}
