//! The audit trail's chain rule (全程留痕): every entry's hash covers the previous entry's
//! hash and every field of its own, so editing, deleting or reordering entries breaks the
//! chain at the first place touched.

use sha2::{Digest, Sha256};

use crate::labelled_enum;

labelled_enum!(
    /// Hash function of the chain: SHA-256 by default, SM3 for 国密 deployments. Each entry
    /// records its own, so a deployment can switch without rewriting history.
    HashAlgo {
        Sha256 = ("sha256", "SHA-256", "SHA-256"),
        Sm3 = ("sm3", "SM3（国密）", "SM3 (Chinese national standard)"),
    }
);

/// The hash every chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry's content as stored: what was done, by whom, when, to which record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub at_micros: i64,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// The hash of an entry chained to `prev_hash`. Fields are length-prefixed so that no
/// two different entries serialise alike, whatever their text contains.
pub fn chain_hash(algo: HashAlgo, prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut buf = Vec::with_capacity(256);
    let mut put = |label: &str, v: Option<&str>| {
        buf.extend_from_slice(label.as_bytes());
        match v {
            None => buf.extend_from_slice(b"-"),
            Some(s) => {
                buf.extend_from_slice(s.len().to_string().as_bytes());
                buf.push(b':');
                buf.extend_from_slice(s.as_bytes());
            }
        }
        buf.push(b'\n');
    };
    put("prev", Some(prev_hash));
    put("seq", Some(&f.seq.to_string()));
    put("at", Some(&f.at_micros.to_string()));
    put("actor", f.actor_id.map(|a| a.to_string()).as_deref());
    put("actor_name", Some(f.actor_name));
    put("action", Some(f.action));
    put("record_type", Some(f.record_type));
    put("record_id", Some(f.record_id));
    put("before", f.before);
    put("after", f.after);
    put("detail", f.detail);
    match algo {
        HashAlgo::Sha256 => hex::encode(Sha256::digest(&buf)),
        HashAlgo::Sm3 => hex::encode(sm3::Sm3::digest(&buf)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(seq: i64, after: &str) -> AuditFields<'_> {
        AuditFields {
            seq,
            at_micros: 1,
            actor_id: Some(7),
            actor_name: "inspector",
            action: "lead.register",
            record_type: "lead",
            record_id: "42",
            before: None,
            after: Some(after),
            detail: None,
        }
    }

    #[test]
    fn every_field_and_the_link_count() {
        let h = chain_hash(HashAlgo::Sha256, GENESIS, &fields(1, "a"));
        assert_eq!(h.len(), 64);
        assert_ne!(h, chain_hash(HashAlgo::Sha256, GENESIS, &fields(1, "b")));
        assert_ne!(h, chain_hash(HashAlgo::Sha256, GENESIS, &fields(2, "a")));
        assert_ne!(h, chain_hash(HashAlgo::Sha256, &h, &fields(1, "a")));
        let mut none = fields(1, "a");
        none.detail = Some("");
        assert_ne!(h, chain_hash(HashAlgo::Sha256, GENESIS, &none), "absent differs from empty");
    }

    #[test]
    fn sm3_is_selectable_and_differs() {
        let sm3 = chain_hash(HashAlgo::Sm3, GENESIS, &fields(1, "a"));
        assert_eq!(sm3.len(), 64);
        assert_ne!(sm3, chain_hash(HashAlgo::Sha256, GENESIS, &fields(1, "a")));
        // SM3 test vector (GB/T 32905-2016): "abc".
        assert_eq!(
            hex::encode(sm3::Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }
}
