//! The public intake portal's rules (网上举报, design brief §10): the receipt code a reporter
//! follows a report with, and the proof of work that makes filing in bulk costly. Only hashes
//! of the code and the reporter's passphrase are ever stored.

use sha2::{Digest, Sha256};

use crate::FieldError;

/// A receipt code: 16 decimal digits, shown once, grouped in fours.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    // Never printed whole, not even in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceiptCode(****{})", &self.0[12..])
    }
}

impl ReceiptCode {
    /// The code from 16 random bytes (the caller's CSPRNG): each byte's value modulo 10 would
    /// favour the low digits, so bytes of 250 and above are folded with the next byte instead.
    pub fn from_random(bytes: &[u8; 32]) -> Self {
        let mut digits = String::with_capacity(16);
        for b in bytes.iter().copied().filter(|b| *b < 250) {
            if digits.len() == 16 {
                break;
            }
            digits.push(char::from(b'0' + b % 10));
        }
        // 32 bytes hold 16 below 250 but for a chance under 1e-30; pad deterministically if not.
        while digits.len() < 16 {
            digits.push('0');
        }
        Self(digits)
    }

    /// A code as typed back: spaces and dashes are ignored; anything but 16 digits is refused.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
        if digits.len() == 16 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(FieldError::new("receipt_code", "invalid", "查询码为16位数字。", "A receipt code is 16 digits."))
        }
    }

    /// The digits, for the keyed hash the store looks the report up by (keyed by the instance's
    /// secret, so a stolen table cannot be searched by trying the 10^16 codes offline).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// As shown once to the reporter: `1234 5678 9012 3456`.
    pub fn display(&self) -> String {
        self.0.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

/// The proof of work asked of a browser before a report is accepted: a nonce such that
/// SHA-256(challenge ‖ nonce) starts with `bits` zero bits.
pub fn proof_holds(challenge: &str, nonce: u64, bits: u8) -> bool {
    let digest = Sha256::new().chain_update(challenge.as_bytes()).chain_update(nonce.to_be_bytes()).finalize();
    leading_zero_bits(&digest) >= u32::from(bits)
}

fn leading_zero_bits(bytes: &[u8]) -> u32 {
    let mut n = 0;
    for b in bytes {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_code_is_sixteen_digits_shown_in_fours_and_read_back_loosely() {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(251);
        }
        let code = ReceiptCode::from_random(&bytes);
        let shown = code.display();
        assert_eq!(shown.len(), 19);
        assert_eq!(ReceiptCode::parse(&shown).unwrap(), code);
        assert_eq!(ReceiptCode::parse(&shown.replace(' ', "-")).unwrap(), code);
        assert_eq!(ReceiptCode::parse("1234").unwrap_err().code, "invalid");
        assert_eq!(
            ReceiptCode::parse("１２３４５６７８９０１２３４５６").unwrap_err().code,
            "invalid",
            "full-width digits are no code"
        );
        assert!(!format!("{code:?}").contains(&shown.replace(' ', "")[..12]), "never logged whole");
    }

    #[test]
    fn bytes_of_250_and_above_are_skipped_so_no_digit_is_favoured() {
        let mut bytes = [255u8; 32];
        bytes[31] = 7;
        let code = ReceiptCode::from_random(&bytes);
        assert!(code.display().starts_with('7'), "{}", code.display());
    }

    #[test]
    fn a_proof_of_work_is_found_by_search_and_checked_in_one_hash() {
        let bits = 12;
        let nonce = (0u64..).find(|n| proof_holds("challenge-1", *n, bits)).unwrap();
        assert!(proof_holds("challenge-1", nonce, bits));
        assert!(!proof_holds("challenge-1", nonce, 40), "a harder proof is not met by chance");
        assert!(proof_holds("anything", 0, 0), "no work asked, none needed");
        assert_eq!(leading_zero_bits(&[0, 0b0001_0000]), 11);
    }
}
