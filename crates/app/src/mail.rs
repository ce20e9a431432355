//! Warning notices by e-mail through a configured SMTP relay (off by default), sent with
//! lettre: a plain relay on the intranet, or STARTTLS / implicit TLS (certificates checked,
//! optionally against the body's own CA), with or without authentication.

use std::{path::PathBuf, str::FromStr};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::{
        authentication::Credentials,
        client::{Certificate, Tls, TlsParameters},
    },
};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS: a relay on the same trusted network.
    None,
    /// Plain, then upgraded with STARTTLS; refused (before anything is sent, credentials
    /// included) if the relay cannot upgrade.
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl FromStr for Security {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Security::None),
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            other => Err(format!("unknown SMTP security {other:?} (none, starttls or tls)")),
        }
    }
}

/// Where mail goes and how; absent unless configured (`--smtp`).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `host:port` of the relay.
    pub relay: String,
    pub from: String,
    pub security: Security,
    /// User name and password, when the relay asks for them.
    pub credentials: Option<(String, String)>,
    /// A PEM file of certificate authorities to trust besides the usual ones (an internal CA).
    pub ca_file: Option<PathBuf>,
}

/// A relay, ready to send.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Whether `a` is an address mail can go to.
pub fn valid_address(a: &str) -> bool {
    lettre::Address::from_str(a.trim()).is_ok()
}

impl Mailer {
    pub fn new(cfg: &MailConfig) -> Result<Self, String> {
        let (host, port) = cfg
            .relay
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
            .ok_or_else(|| format!("the SMTP relay must be host:port, not {:?}", cfg.relay))?;
        let from: Mailbox =
            cfg.from.parse().map_err(|e| format!("the sender {:?} is not an address: {e}", cfg.from))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone()).port(port);
        if cfg.security != Security::None {
            let mut tls = TlsParameters::builder(host);
            if let Some(file) = &cfg.ca_file {
                let pem = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| format!("{}: {e}", file.display()))?;
                tls = tls.add_root_certificate(cert);
            }
            let tls = tls.build().map_err(|e| format!("TLS for the SMTP relay: {e}"))?;
            builder = builder.tls(match cfg.security {
                Security::StartTls => Tls::Required(tls),
                _ => Tls::Wrapper(tls),
            });
        }
        if let Some((user, password)) = &cfg.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self { transport: builder.build(), from })
    }

    /// Sends one message; the error says what went wrong (the relay's answer, or the TLS
    /// failure).
    pub async fn send(&self, m: &Mail) -> Result<(), String> {
        let to: Mailbox = m.to.trim().parse().map_err(|e| format!("invalid address {:?}: {e}", m.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(valid_address("li@example.org"));
        for bad in ["", "li", "@x", "a@b@c", "a b@c", "a@b>\r\nRCPT TO:<x@y"] {
            assert!(!valid_address(bad), "{bad}");
        }
    }

    #[test]
    fn configuration_is_checked() {
        let cfg = |relay: &str, from: &str| MailConfig {
            relay: relay.into(),
            from: from.into(),
            security: Security::None,
            credentials: None,
            ca_file: None,
        };
        assert!(Mailer::new(&cfg("relay.example.org:25", "qingling@example.org")).is_ok());
        assert!(Mailer::new(&cfg("relay.example.org", "qingling@example.org")).is_err(), "no port");
        assert!(Mailer::new(&cfg("relay.example.org:25", "not an address")).is_err());
        assert_eq!("starttls".parse::<Security>(), Ok(Security::StartTls));
        assert!("ssl".parse::<Security>().is_err());
    }
}
