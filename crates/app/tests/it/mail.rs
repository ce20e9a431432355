//! Warning mail through lettre, against a small SMTP relay on loopback that records what it
//! was told: a plain relay with authentication, STARTTLS with a certificate the server was
//! told to trust, and a relay that cannot upgrade when STARTTLS is required (nothing is sent,
//! not even the password).

use std::sync::Arc;

use app::{
    AppError,
    mail::{MailConfig, Mailer, Security},
};
use base64::Engine;
use store::Backend;
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader},
    net::TcpListener,
};

use crate::support::{actor, input, world};

testkit::both!(
    warnings_are_mailed_through_a_relay_that_asks_for_a_password,
    mail_goes_over_starttls_to_a_relay_with_a_trusted_certificate,
    starttls_required_sends_nothing_to_a_relay_that_cannot_upgrade,
);

/// What the relay offers after EHLO.
#[derive(Clone, Copy)]
struct Offers {
    auth: bool,
    starttls: bool,
}

/// A self-signed certificate for 127.0.0.1: (PEM of the certificate, TLS acceptor).
fn certificate() -> (String, tokio_rustls::TlsAcceptor) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let der = tokio_rustls::rustls::pki_types::CertificateDer::from(cert.der().to_vec());
    let private = tokio_rustls::rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![der], private)
    .unwrap();
    (cert.pem(), tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Speaks SMTP on `stream` until QUIT, recording every line; returns the stream when the
/// client asked for STARTTLS (the caller upgrades it and goes on).
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    offers: Offers,
    lines: &mut Vec<String>,
    greet: bool,
) -> Option<S> {
    let mut s = BufReader::new(stream);
    if greet {
        s.write_all(b"220 relay.test ESMTP\r\n").await.unwrap();
    }
    let mut in_data = false;
    loop {
        let mut line = String::new();
        if s.read_line(&mut line).await.unwrap_or(0) == 0 {
            return None;
        }
        let l = line.trim_end_matches(['\r', '\n']).to_owned();
        lines.push(l.clone());
        if in_data {
            if l == "." {
                in_data = false;
                s.write_all(b"250 queued\r\n").await.unwrap();
            }
            continue;
        }
        let upper = l.to_ascii_uppercase();
        let reply: Vec<u8> = if upper.starts_with("EHLO") {
            let mut r = String::from("250-relay.test\r\n");
            if offers.starttls {
                r.push_str("250-STARTTLS\r\n");
            }
            if offers.auth {
                r.push_str("250-AUTH PLAIN LOGIN\r\n");
            }
            r.push_str("250 8BITMIME\r\n");
            r.into_bytes()
        } else if upper.starts_with("STARTTLS") {
            s.write_all(b"220 go ahead\r\n").await.unwrap();
            return Some(s.into_inner());
        } else if upper.starts_with("AUTH") {
            b"235 accepted\r\n".to_vec()
        } else if upper.starts_with("DATA") {
            in_data = true;
            b"354 go on\r\n".to_vec()
        } else if upper.starts_with("QUIT") {
            s.write_all(b"221 bye\r\n").await.unwrap();
            return None;
        } else {
            b"250 OK\r\n".to_vec()
        };
        s.write_all(&reply).await.unwrap();
    }
}

/// A relay on loopback for one connection; with `tls`, it upgrades on STARTTLS.
async fn relay(
    offers: Offers,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut lines = Vec::new();
        if let Some(plain) = converse(stream, offers, &mut lines, true).await {
            let acceptor = tls.expect("STARTTLS offered only with a certificate");
            let secured = acceptor.accept(plain).await.unwrap();
            lines.push("-- TLS --".into());
            converse(secured, Offers { starttls: false, ..offers }, &mut lines, false).await;
        }
        lines
    });
    (addr, task)
}

/// The message's body, decoded as its Content-Transfer-Encoding says.
fn body_text(lines: &[String]) -> String {
    let data = lines.iter().position(|l| l.eq_ignore_ascii_case("DATA")).unwrap() + 1;
    let message: Vec<&String> = lines[data..].iter().take_while(|l| *l != ".").collect();
    let blank = message.iter().position(|l| l.is_empty()).unwrap();
    let headers: Vec<String> = message[..blank].iter().map(|l| l.to_ascii_lowercase()).collect();
    let body: String = message[blank + 1..].iter().map(|l| l.as_str()).collect();
    assert!(headers.iter().any(|h| h == "content-transfer-encoding: base64"), "{headers:?}");
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body).unwrap()).unwrap()
}

fn config(relay: String, security: Security) -> MailConfig {
    MailConfig { relay, from: "qingling@example.org".into(), security, credentials: None, ca_file: None }
}

async fn late_lead(w: &crate::support::World, app: &app::App) -> String {
    let keeper = actor(w, "insp_a").await.ledger_keeper().unwrap();
    let mut late = input(w.hospital_a, "逾期线索", "蒋某");
    late.received_on = "2019-09-01".into();
    // Anonymous: no acceptance-notice clock beside the stage clock (clocks.rs times that).
    late.reporter = domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    app.ledger().register(&keeper, &late).await.unwrap().into_visible().unwrap().number.to_string()
}

async fn warnings_are_mailed_through_a_relay_that_asks_for_a_password(b: Backend) {
    let w = world(b).await;
    let (addr, server) = relay(Offers { auth: true, starttls: false }, None).await;
    let mut cfg = config(addr, Security::None);
    cfg.credentials = Some(("qingling".into(), "relay-secret".into()));
    let app = w.app.clone().with_mailer(Mailer::new(&cfg).unwrap());
    let head = actor(&w, "head_a").await;
    assert!(matches!(app.protection().set_email(&head, "not an address").await, Err(AppError::Invalid(_))));
    app.protection().set_email(&head, "head@example.org").await.unwrap();
    let number = late_lead(&w, &app).await;
    assert_eq!(app.lifecycle().scan_warnings("mailer").await.unwrap(), Some(3));
    let lines = tokio::time::timeout(std::time::Duration::from_secs(10), server).await.unwrap().unwrap();
    let auth = lines.iter().find(|l| l.starts_with("AUTH PLAIN ")).expect("authenticated");
    let plain = base64::engine::general_purpose::STANDARD.decode(&auth["AUTH PLAIN ".len()..]).unwrap();
    assert_eq!(plain, b"\0qingling\0relay-secret");
    assert!(lines.iter().any(|l| l == "RCPT TO:<head@example.org>"), "{lines:?}");
    let text = body_text(&lines);
    assert!(text.contains(&number) && text.contains("红色预警"), "{text}");
}

async fn mail_goes_over_starttls_to_a_relay_with_a_trusted_certificate(b: Backend) {
    let w = world(b).await;
    let (pem, acceptor) = certificate();
    let dir = tempfile_dir();
    let ca = dir.join("relay-ca.pem");
    std::fs::write(&ca, pem).unwrap();
    let (addr, server) = relay(Offers { auth: true, starttls: true }, Some(acceptor)).await;
    let mut cfg = config(addr, Security::StartTls);
    cfg.credentials = Some(("qingling".into(), "relay-secret".into()));
    cfg.ca_file = Some(ca);
    let app = w.app.clone().with_mailer(Mailer::new(&cfg).unwrap());
    app.protection().set_email(&actor(&w, "head_a").await, "head@example.org").await.unwrap();
    let number = late_lead(&w, &app).await;
    app.lifecycle().scan_warnings("mailer").await.unwrap();
    let lines = tokio::time::timeout(std::time::Duration::from_secs(10), server).await.unwrap().unwrap();
    let upgraded = lines.iter().position(|l| l == "-- TLS --").expect("upgraded to TLS");
    let auth = lines.iter().position(|l| l.starts_with("AUTH")).expect("authenticated");
    assert!(auth > upgraded, "the password only inside TLS: {lines:?}");
    assert!(body_text(&lines).contains(&number));
    std::fs::remove_dir_all(dir).unwrap();
}

async fn starttls_required_sends_nothing_to_a_relay_that_cannot_upgrade(b: Backend) {
    let w = world(b).await;
    let (addr, server) = relay(Offers { auth: true, starttls: false }, None).await;
    let mut cfg = config(addr, Security::StartTls);
    cfg.credentials = Some(("qingling".into(), "relay-secret".into()));
    let app = w.app.clone().with_mailer(Mailer::new(&cfg).unwrap());
    app.protection().set_email(&actor(&w, "head_a").await, "head@example.org").await.unwrap();
    late_lead(&w, &app).await;
    // The scan itself succeeds: the in-app notices are written; the mail is not sent.
    assert_eq!(app.lifecycle().scan_warnings("mailer").await.unwrap(), Some(3));
    let lines = tokio::time::timeout(std::time::Duration::from_secs(10), server).await.unwrap().unwrap();
    assert!(!lines.iter().any(|l| l.starts_with("AUTH")), "no credentials in clear: {lines:?}");
    assert!(!lines.iter().any(|l| l.starts_with("MAIL FROM")), "no mail in clear: {lines:?}");
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("qingling-mail-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
