//! Warning notices by e-mail through a configured SMTP relay (off by default): a small
//! plain SMTP client, enough for an intranet relay (no TLS, no authentication).

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

/// Where mail goes; absent unless configured (`--smtp`).
#[derive(Debug, Clone)]
pub struct Mailer {
    pub relay: String,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An address fit for the SMTP envelope: one `@`, no spaces, brackets or line breaks.
pub fn valid_address(a: &str) -> bool {
    let a = a.trim();
    a.len() <= 254
        && a.split('@').count() == 2
        && !a.starts_with('@')
        && !a.ends_with('@')
        && a.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | ',' | ';' | '"' | '\\'))
}

async fn expect(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, ok: &[u8]) -> Result<(), String> {
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
            return Err("connection closed".into());
        }
        // Multi-line replies continue with "250-"; the last line has a space.
        if line.len() >= 4 && &line.as_bytes()[3..4] == b"-" {
            continue;
        }
        return if ok.contains(&line.as_bytes()[0]) { Ok(()) } else { Err(format!("server said: {}", line.trim())) };
    }
}

impl Mailer {
    /// Sends one message; the error says what the server answered.
    pub async fn send(&self, m: &Mail) -> Result<(), String> {
        if !valid_address(&m.to) || !valid_address(&self.from) {
            return Err("invalid address".into());
        }
        let stream = TcpStream::connect(&self.relay).await.map_err(|e| format!("cannot reach {}: {e}", self.relay))?;
        let (rd, mut wr) = stream.into_split();
        let mut rd = BufReader::new(rd);
        expect(&mut rd, b"2").await?;
        let body = base64(m.body.as_bytes());
        let wrapped: Vec<&str> = body.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
        let message = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{subject}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n.\r\n",
            from = self.from,
            to = m.to.trim(),
            subject = base64(m.subject.as_bytes()),
            body = wrapped.join("\r\n"),
        );
        for (cmd, ok) in [
            ("EHLO qingling\r\n".to_string(), &b"2"[..]),
            (format!("MAIL FROM:<{}>\r\n", self.from), b"2"),
            (format!("RCPT TO:<{}>\r\n", m.to.trim()), b"2"),
            ("DATA\r\n".to_string(), b"3"),
            (message, b"2"),
        ] {
            wr.write_all(cmd.as_bytes()).await.map_err(|e| e.to_string())?;
            expect(&mut rd, ok).await?;
        }
        let _ = wr.write_all(b"QUIT\r\n").await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn addresses() {
        assert!(valid_address("li@example.org"));
        for bad in ["", "li", "@x", "a@b@c", "a b@c", "a@b>\r\nRCPT TO:<x@y"] {
            assert!(!valid_address(bad), "{bad}");
        }
    }
}
