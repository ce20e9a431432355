//! The password policy: at least 12 characters, not the username, not a well-known password.

use crate::FieldError;

pub const MIN_LEN: usize = 12;

/// Passwords that guessing tools try first (with the words they are built from); a password
/// that merely contains one of the short words is fine, one that *is* one is not.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "qwertyuiopas",
    "qwertyuiop123",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "passwordpassword",
    "password1234",
    "password12345",
    "password123456",
    "p@ssw0rd1234",
    "p@ssword1234",
    "iloveyou1234",
    "administrator",
    "administrator1",
    "admin1234567",
    "admin@123456",
    "welcome12345",
    "welcome@1234",
    "changeme1234",
    "letmein12345",
    "abcdefghijkl",
    "abc123456789",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
    "123123123123",
    "qingling1234",
    "qingling12345",
    "qingling123456",
    "woaini1314520",
    "woaini123456",
    "5201314520131",
    "huawei123456",
];

/// A password that meets the policy. Never printed, never logged.
pub struct Password(String);

impl Password {
    pub fn parse(username: &str, input: &str) -> Result<Self, FieldError> {
        let n = input.chars().count();
        if n < MIN_LEN {
            return Err(FieldError::new(
                "password",
                "too_short",
                format!("密码至少 {MIN_LEN} 个字符。"),
                format!("A password needs at least {MIN_LEN} characters."),
            ));
        }
        if n > 256 {
            return Err(FieldError::new("password", "too_long", "密码过长。", "The password is too long."));
        }
        let lower = input.to_lowercase();
        let user = username.trim().to_lowercase();
        if !user.is_empty() && lower.contains(&user) {
            return Err(FieldError::new(
                "password",
                "contains_username",
                "密码不能包含用户名。",
                "The password must not contain the username.",
            ));
        }
        let distinct = {
            let mut c: Vec<char> = input.chars().collect();
            c.sort_unstable();
            c.dedup();
            c.len()
        };
        if COMMON.contains(&lower.as_str()) || distinct < 4 {
            return Err(FieldError::new(
                "password",
                "too_common",
                "该密码过于常见或简单，请换一个。",
                "That password is too common or simple; choose another.",
            ));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(Password::parse("li", "short").err().unwrap().code, "too_short");
        assert_eq!(Password::parse("inspector", "my-inspector-pw").err().unwrap().code, "contains_username");
        assert_eq!(Password::parse("x", "Password1234").err().unwrap().code, "too_common");
        assert_eq!(Password::parse("x", "aaaaaaaaaaaaaaab").err().unwrap().code, "too_common");
        assert!(Password::parse("inspector", "清零台账-2019-排头兵").is_ok());
        assert!(Password::parse("x", "correct horse battery").is_ok());
    }
}
