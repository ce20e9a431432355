//! Protection (issue 3): the audit chain, sealed reporter identity, throttling, password
//! policy, separation of the three administrators, personal tokens, the second factor.

use app::{AppError, CipherKind, Credentials, LoginKind};
use domain::{ledger::lead::LeadInput, protection::role::Role};
use store::Backend;
use time::Duration;

use crate::support::*;

testkit::both!(
    every_change_and_view_is_chained_and_tampering_is_found,
    reporter_identity_is_sealed_and_revealed_only_with_a_reason,
    key_rotation_keeps_identities_readable,
    failed_sign_ins_lock_the_account_and_the_address,
    passwords_follow_the_policy_and_resets_force_a_change,
    the_three_administrators_keep_to_their_own_work,
    personal_tokens_expire_and_revoke,
    the_second_factor_is_required_once_enabled,
    sm3_chains_and_legacy_identities_get_sealed,
);

const SECRET_NAME: &str = "保密举报人欧阳某某";
const SECRET_CONTACT: &str = "13912345678";

fn signed_input(w: &World) -> LeadInput {
    let mut i = input(w.hospital_a, "反映某某违规收受回扣", "钱某");
    i.reporter.kind = "signed".into();
    i.reporter.name = SECRET_NAME.into();
    i.reporter.contact = SECRET_CONTACT.into();
    i
}

async fn exec(w: &World, sql: &str) {
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn broken_at(w: &World) -> Option<i64> {
    w.app.protection().verify_audit().await.unwrap().first_broken.map(|(seq, _)| seq)
}

async fn every_change_and_view_is_chained_and_tampering_is_found(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let lead = w
        .app
        .ledger()
        .register(&insp.ledger_keeper().unwrap(), &signed_input(&w))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    w.app.ledger().detail(&insp, lead.id).await.unwrap();
    let v = w.app.protection().verify_audit().await.unwrap();
    assert_eq!(v.first_broken, None);
    assert!(v.entries >= 12, "units, accounts, logins, registration and the view: {}", v.entries);

    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = |action: &str| app::AuditQuery { action: action.into(), ..Default::default() };
    let reg = w.app.protection().audit_entries(&auditor, &q("lead.register")).await.unwrap();
    assert_eq!(reg.total, 1);
    let e = &reg.entries[0];
    assert_eq!((e.actor_name.as_str(), e.record_id.clone()), ("insp_a", lead.id.to_string()));
    assert!(e.after.as_deref().unwrap().contains(lead.number.as_str()));
    assert!(!e.after.as_deref().unwrap().contains(SECRET_NAME), "the trail holds no reporter identity");
    assert_eq!(w.app.protection().audit_entries(&auditor, &q("lead.view")).await.unwrap().total, 1);
    // A refused change writes nothing, not even an audit entry.
    let before = w.app.protection().verify_audit().await.unwrap().entries;
    let bad = LeadInput { summary: String::new(), ..signed_input(&w) };
    assert!(w.app.ledger().register(&insp.ledger_keeper().unwrap(), &bad).await.is_err());
    assert_eq!(w.app.protection().verify_audit().await.unwrap().entries, before);

    // Edit a row: caught at that row.
    exec(&w, "UPDATE audit_log SET detail = 'tampered' WHERE seq = 3").await;
    assert_eq!(broken_at(&w).await, Some(3));
    exec(&w, "UPDATE audit_log SET detail = NULL WHERE seq = 3").await;
    assert_eq!(broken_at(&w).await, None, "restored exactly, the chain holds again");
    // Reorder two rows: caught at the first of them.
    exec(&w, "UPDATE audit_log SET seq = -5 WHERE seq = 5").await;
    exec(&w, "UPDATE audit_log SET seq = 5 WHERE seq = 6").await;
    exec(&w, "UPDATE audit_log SET seq = 6 WHERE seq = -5").await;
    assert_eq!(broken_at(&w).await, Some(5));
    exec(&w, "UPDATE audit_log SET seq = -5 WHERE seq = 5").await;
    exec(&w, "UPDATE audit_log SET seq = 5 WHERE seq = 6").await;
    exec(&w, "UPDATE audit_log SET seq = 6 WHERE seq = -5").await;
    assert_eq!(broken_at(&w).await, None);
    // Delete the last row: the head remembers more than the chain holds.
    let last = w.app.protection().verify_audit().await.unwrap().entries;
    exec(&w, &format!("DELETE FROM audit_log WHERE seq = {last}")).await;
    assert_eq!(broken_at(&w).await, Some(last));
    // Delete a middle row: caught where the gap is.
    exec(&w, "DELETE FROM audit_log WHERE seq = 4").await;
    assert_eq!(broken_at(&w).await, Some(4));
}

async fn reporter_identity_is_sealed_and_revealed_only_with_a_reason(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let lead = w
        .app
        .ledger()
        .register(&insp.ledger_keeper().unwrap(), &signed_input(&w))
        .await
        .unwrap()
        .into_visible()
        .unwrap();

    // At rest: neither the SQLite file (with its WAL) nor a dump of the PostgreSQL table
    // holds the name or the number.
    let raw = match b {
        Backend::Sqlite => {
            let path = w._db.url.trim_start_matches("sqlite://").to_owned();
            w.app.db().close().await;
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes
        }
        Backend::Postgres => {
            let mut c = w.app.db().read().await.unwrap();
            let rows: Vec<String> =
                sqlx::query_scalar("SELECT CAST(r.* AS TEXT) FROM reporters r").fetch_all(&mut *c).await.unwrap();
            assert_eq!(rows.len(), 1);
            let audit: Vec<String> =
                sqlx::query_scalar("SELECT CAST(a.* AS TEXT) FROM audit_log a").fetch_all(&mut *c).await.unwrap();
            (rows.join("\n") + &audit.join("\n")).into_bytes()
        }
    };
    let contains = |needle: &str| raw.windows(needle.len()).any(|win| win == needle.as_bytes());
    assert!(!contains(SECRET_NAME) && !contains(SECRET_CONTACT), "identity found in clear at rest");
    assert!(contains("signed"), "the check can see clear text (the reporter's kind is not secret)");
    if b == Backend::Sqlite {
        return; // the database was closed to read its file
    }

    // Only a custodian, only with a reason, and the reveal is audited.
    assert!(matches!(insp.identity_custodian(), Err(AppError::Forbidden)));
    let cust = actor(&w, "cust").await.identity_custodian().unwrap();
    assert!(matches!(w.app.reporters().reveal(&cust, lead.id, "").await, Err(AppError::Invalid(_))));
    assert!(matches!(w.app.reporters().reveal(&cust, lead.id, "看看").await, Err(AppError::Invalid(_))));
    let r = w.app.reporters().reveal(&cust, lead.id, "核实举报人身份以便反馈办理结果").await.unwrap();
    assert_eq!((r.name.as_deref(), r.contact.as_deref()), (Some(SECRET_NAME), Some(SECRET_CONTACT)));
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let reveals = w
        .app
        .protection()
        .audit_entries(&auditor, &app::AuditQuery { action: "reporter.reveal".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(reveals.total, 1);
    assert_eq!(reveals.entries[0].detail.as_deref(), Some("核实举报人身份以便反馈办理结果"));
    assert_eq!(reveals.entries[0].actor_name, "cust");

    // An edit that leaves the identity fields empty keeps the identity on file.
    let keeper = insp.ledger_keeper().unwrap();
    let mut edit = signed_input(&w);
    edit.reporter.name.clear();
    edit.reporter.contact.clear();
    edit.summary = "修改摘要".into();
    w.app
        .ledger()
        .update(&keeper, lead.id, &app::SaveLead { input: edit, expected_version: 1 })
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let r = w.app.reporters().reveal(&cust, lead.id, "核实举报人身份以便反馈").await.unwrap();
    assert_eq!(r.name.as_deref(), Some(SECRET_NAME));
}

async fn key_rotation_keeps_identities_readable(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let lead = w
        .app
        .ledger()
        .register(&insp.ledger_keeper().unwrap(), &signed_input(&w))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let cust = actor(&w, "cust").await.identity_custodian().unwrap();
    let old_key = w.app.keyring().current_id();
    // A file kept under the first key (AES-256-GCM), to be read after the old key is gone.
    let attach = async |name: &str, bytes: &[u8]| {
        let r = w.app.reporters();
        let mut up = r.attach_begin(&insp, app::AttachPlace::Lead(lead.id), name, bytes).await.unwrap();
        r.attach_more(&mut up, bytes).await.unwrap();
        r.attach_finish(&insp, up).await.unwrap().id
    };
    let read_back = async |id: i64| {
        let mut d = w.app.reporters().attachment_open(&insp, lead.id, id, false).await.unwrap();
        let mut back = Vec::new();
        while let Some(piece) = d.next_chunk().await.unwrap() {
            back.extend(piece);
        }
        (d.view.name, back)
    };
    let before = attach("旧密钥下的函询回复.txt", "函询回复原文".as_bytes()).await;
    w.app.keyring().add_new_key(CipherKind::Sm4Gcm).unwrap();
    // Mid-rotation reads work (old key still known) ...
    assert!(w.app.reporters().reveal(&cust, lead.id, "轮换期间核实身份").await.is_ok());
    assert_eq!(w.app.reporters().reseal().await.unwrap(), 1);
    assert_eq!(w.app.reporters().reseal().await.unwrap(), 0, "nothing left under the old key");
    let resealed = w.app.protection().reseal_stored().await.unwrap();
    assert!(resealed.iter().any(|(t, n)| t.name() == "attachments" && *n == 1), "{resealed:?}");
    assert!(w.app.protection().reseal_stored().await.unwrap().iter().all(|(_, n)| *n == 0));
    assert_eq!(w.app.keyring().retire_old_keys().unwrap(), 1);
    assert_eq!(read_back(before).await, ("旧密钥下的函询回复.txt".to_owned(), "函询回复原文".as_bytes().to_vec()));
    // A file kept now is under the key file's cipher, SM4-GCM.
    let after = attach("国密下的核查报告.txt", "核查报告原文".as_bytes()).await;
    assert_eq!(read_back(after).await.1, "核查报告原文".as_bytes());
    let ciphers: Vec<String> =
        sqlx::query_scalar("SELECT cipher FROM attachments ORDER BY id").fetch_all(w.app.db().reader()).await.unwrap();
    assert_eq!(ciphers, ["aes256gcm", "sm4gcm"]);
    let r = w.app.reporters().reveal(&cust, lead.id, "轮换之后核实身份").await.unwrap();
    assert_eq!(r.name.as_deref(), Some(SECRET_NAME));
    assert_ne!(w.app.keyring().current_id(), old_key);
    // A different key cannot open them at all.
    let stranger = new_app(w.app.db().clone(), w.clock.clone());
    assert!(stranger.reporters().reveal(&cust, lead.id, "用错误的密钥").await.is_err());
}

async fn failed_sign_ins_lock_the_account_and_the_address(b: Backend) {
    let w = world(b).await;
    for _ in 0..4 {
        assert!(matches!(login(&w.app, "insp_a", "wrong-password").await, Err(AppError::Unauthenticated)));
    }
    assert!(matches!(login(&w.app, "insp_a", "wrong-password").await, Err(AppError::Throttled)), "fifth holds back");
    assert!(matches!(login(&w.app, "insp_a", PW).await, Err(AppError::Throttled)), "even the right password");
    // Each hold is longer than the one before: one minute, then two.
    w.clock.set(NOW + Duration::seconds(61));
    assert!(matches!(login(&w.app, "insp_a", "wrong-password").await, Err(AppError::Throttled)), "sixth");
    w.clock.set(NOW + Duration::seconds(61 + 90));
    assert!(matches!(login(&w.app, "insp_a", PW).await, Err(AppError::Throttled)), "the second hold is longer");
    w.clock.set(NOW + Duration::seconds(61 + 121));
    assert!(login(&w.app, "insp_a", PW).await.is_ok(), "the hold expires");
    // One address trying many accounts is stopped, whatever the accounts ...
    let from = |user: &'static str, pw: &'static str| Credentials {
        username: user,
        password: pw,
        otp: None,
        client: "10.9.9.9",
    };
    for i in 0..20 {
        let user = ["nobody", "insp_b", "sup", "head_a"][i % 4];
        let _ = w.app.protection().login(&from(user, "guess-guess-guess"), LoginKind::Browser).await;
    }
    assert!(matches!(
        w.app.protection().login(&from("insp_b", PW), LoginKind::Browser).await,
        Err(AppError::Throttled)
    ));
    // ... but the accounts it tried are not locked for their owners elsewhere.
    assert!(w.app.protection().login(&creds("insp_b", PW), LoginKind::Browser).await.is_ok(), "no account lock-out");
    // The security administrator sees the attempts and unlocks.
    let sec = actor(&w, "secadmin").await.grant_admin().unwrap();
    let accounts = w.app.protection().admin_accounts(&actor(&w, "secadmin").await).await.unwrap();
    let target = accounts.iter().find(|a| a.username == "sup").unwrap();
    assert!(target.locked && target.failed_sign_ins == 5, "{target:?}");
    w.app.protection().admin_unlock(&sec, target.id).await.unwrap();
    let accounts = w.app.protection().admin_accounts(&actor(&w, "secadmin").await).await.unwrap();
    let target = accounts.iter().find(|a| a.username == "sup").unwrap();
    assert!(!target.locked && target.failed_sign_ins == 0);
}

async fn passwords_follow_the_policy_and_resets_force_a_change(b: Backend) {
    let w = world(b).await;
    let sec = actor(&w, "secadmin").await;
    let accounts = w.app.protection().admin_accounts(&sec).await.unwrap();
    let target = accounts.iter().find(|a| a.username == "insp_a").unwrap().id;
    let old = login(&w.app, "insp_a", PW).await.unwrap();
    let temp = w.app.protection().admin_reset_password(&sec.grant_admin().unwrap(), target).await.unwrap();
    assert!(
        w.app.protection().authenticate(&old.token, LoginKind::Browser).await.unwrap().is_none(),
        "sessions end on reset"
    );
    assert!(login(&w.app, "insp_a", PW).await.is_err());
    let s = login(&w.app, "insp_a", &temp).await.unwrap();
    assert!(s.actor.must_change_password);
    for (bad, code) in
        [("short", "too_short"), ("my-insp_a-password", "contains_username"), ("password1234", "too_common")]
    {
        match w.app.protection().change_password(&s, &temp, bad).await {
            Err(AppError::Invalid(i)) => assert_eq!(i.0[0].code, code, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(matches!(
        w.app.protection().change_password(&s, "not-the-current", "清零台账-甲医院-2019").await,
        Err(AppError::Invalid(_))
    ));
    w.app.protection().change_password(&s, &temp, "清零台账-甲医院-2019").await.unwrap();
    let again = login(&w.app, "insp_a", "清零台账-甲医院-2019").await.unwrap();
    assert!(!again.actor.must_change_password);
}

async fn the_three_administrators_keep_to_their_own_work(b: Backend) {
    let w = world(b).await;
    let sys = actor(&w, "sysadmin").await;
    let sec = actor(&w, "secadmin").await;
    let aud = actor(&w, "auditor").await;
    for a in [&sys, &sec, &aud] {
        assert!(matches!(a.ledger(), Err(AppError::Forbidden)), "{} reads no leads", a.username);
        assert!(matches!(a.identity_custodian(), Err(AppError::Forbidden)));
    }
    assert!(sys.grant_admin().is_err() && sys.audit_reader().is_err());
    assert!(sec.unit_admin().is_err() && sec.audit_reader().is_err());
    assert!(aud.unit_admin().is_err() && aud.grant_admin().is_err());

    let unit_admin = sys.unit_admin().unwrap();
    let unit = w
        .app
        .protection()
        .admin_create_unit(&unit_admin, "YYC", "丙医院", "hospital", &w.hospital_a.to_string())
        .await
        .unwrap();
    let unit = unit.to_string();
    let request = |initial_password| app::AccountRequest {
        username: "newbie",
        display_name: "新人",
        real_name: "",
        id_number: "",
        unit: &unit,
        initial_password,
    };
    match w.app.protection().admin_create_account(&unit_admin, &request("short")).await {
        Err(AppError::Invalid(i)) => assert_eq!(i.0[0].field, "password"),
        other => panic!("{other:?}"),
    }
    let newbie =
        w.app.protection().admin_create_account(&unit_admin, &request("丙医院-新人-初始口令-2019")).await.unwrap();
    let s = login(&w.app, "newbie", "丙医院-新人-初始口令-2019").await.unwrap();
    assert!(
        s.actor.must_change_password && s.actor.grants.is_empty(),
        "no roles until the security administrator grants"
    );

    let grants = sec.grant_admin().unwrap();
    w.app.protection().admin_grant(&grants, newbie, "inspector", &unit.to_string()).await.unwrap();
    let me = sec.id;
    assert!(
        matches!(
            w.app.protection().admin_grant(&grants, me, "supervisor", &unit.to_string()).await,
            Err(AppError::Invalid(_))
        ),
        "not to oneself"
    );
    let s = login(&w.app, "newbie", "丙医院-新人-初始口令-2019").await.unwrap();
    assert_eq!(s.actor.roles(), vec![Role::Inspector]);
    w.app.protection().admin_revoke(&grants, newbie, "inspector", &unit.to_string()).await.unwrap();
    // 三员分立 holds for grants too: no administrator role beside any other role.
    let auditor_id = w
        .app
        .protection()
        .admin_accounts(&sec)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == "auditor")
        .unwrap()
        .id;
    match w.app.protection().admin_grant(&grants, auditor_id, "supervisor", &unit.to_string()).await {
        Err(AppError::Invalid(i)) => assert_eq!(i.0[0].code, "separation_of_duties"),
        other => panic!("{other:?}"),
    }

    assert!(matches!(
        w.app.protection().admin_revoke(&grants, newbie, "inspector", &unit.to_string()).await,
        Err(AppError::NotFound)
    ));

    w.app.protection().admin_grant(&grants, newbie, "inspector", &unit.to_string()).await.unwrap();
    assert!(matches!(
        w.app.protection().admin_grant(&grants, newbie, "sysadmin", &unit.to_string()).await,
        Err(AppError::Invalid(_))
    ));
    // The auditor sees both administrators' actions.
    let trail = aud.audit_reader().unwrap();
    for (who, action, n) in [
        ("sysadmin", "unit.create", 1),
        ("sysadmin", "account.create", 1),
        ("secadmin", "grant.add", 2),
        ("secadmin", "grant.remove", 1),
    ] {
        let q = app::AuditQuery { user: who.into(), action: action.into(), ..Default::default() };
        assert_eq!(w.app.protection().audit_entries(&trail, &q).await.unwrap().total, n, "{who} {action}");
    }
}

async fn personal_tokens_expire_and_revoke(b: Backend) {
    let w = world(b).await;
    let s = login(&w.app, "insp_a", PW).await.unwrap();
    let (id, secret) = w.app.protection().create_api_token(&s, "报表脚本", 30).await.unwrap();
    assert!(secret.starts_with("qlt_"));
    let who = w.app.protection().authenticate(&secret, LoginKind::Api).await.unwrap().unwrap();
    assert_eq!(who.actor.username, "insp_a");
    assert!(who.actor.ledger().is_ok(), "acts with the owner's grants");
    assert!(
        w.app.protection().authenticate(&secret, LoginKind::Browser).await.unwrap().is_none(),
        "not a browser session"
    );
    let listed = w.app.protection().api_tokens(&s).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].revoked);
    // Stored hashed: the secret is nowhere in the table.
    let mut c = w.app.db().read().await.unwrap();
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_all(&mut *c).await.unwrap();
    drop(c);
    assert!(hashes.iter().all(|h| !secret.contains(h.as_str()) && !h.contains(&secret[4..])));
    let other = login(&w.app, "insp_b", PW).await.unwrap();
    assert!(
        matches!(w.app.protection().revoke_api_token(&other, id).await, Err(AppError::NotFound)),
        "not someone else's"
    );
    let (_, second) = w.app.protection().create_api_token(&s, "另一个脚本", 30).await.unwrap();
    let sec = actor(&w, "secadmin").await;
    let me =
        w.app.protection().admin_accounts(&sec).await.unwrap().into_iter().find(|a| a.username == "insp_a").unwrap().id;
    w.app.protection().admin_reset_password(&sec.grant_admin().unwrap(), me).await.unwrap();
    assert!(
        w.app.protection().authenticate(&second, LoginKind::Api).await.unwrap().is_none(),
        "a password reset ends the tokens"
    );
    w.clock.set(NOW + Duration::days(31));
    assert!(w.app.protection().authenticate(&secret, LoginKind::Api).await.unwrap().is_none(), "expired");
    w.clock.set(NOW);
    assert!(w.app.protection().authenticate(&secret, LoginKind::Api).await.unwrap().is_none(), "revoked by the reset");
    assert!(matches!(w.app.protection().revoke_api_token(&s, id).await, Err(AppError::NotFound)), "already revoked");
    assert!(matches!(w.app.protection().create_api_token(&s, "x", 400).await, Err(AppError::Invalid(_))));
}

async fn the_second_factor_is_required_once_enabled(b: Backend) {
    let w = world(b).await;
    let s = login(&w.app, "sup", PW).await.unwrap();
    let offer = w.app.protection().totp_offer(&s);
    let secret = app::unbase32(&offer.secret).unwrap();
    let now = NOW.unix_timestamp();
    assert!(matches!(w.app.protection().totp_enable(&s, &offer.secret, "000000").await, Err(AppError::Invalid(_))));
    w.app.protection().totp_enable(&s, &offer.secret, &app::totp_code_at(&secret, now)).await.unwrap();
    assert!(matches!(login(&w.app, "sup", PW).await, Err(AppError::Unauthenticated)), "code required");
    fn with(code: &str) -> Credentials<'_> {
        Credentials { username: "sup", password: PW, otp: Some(code), client: "127.0.0.1" }
    }
    let code = app::totp_code_at(&secret, now);
    let wrong = if code == "123456" { "654321" } else { "123456" };
    assert!(w.app.protection().login(&with(wrong), LoginKind::Browser).await.is_err());
    let ok = w.app.protection().login(&with(&code), LoginKind::Browser).await.unwrap();
    assert!(ok.actor.has_second_factor);
}

async fn sm3_chains_and_legacy_identities_get_sealed(b: Backend) {
    let w = world(b).await;
    let sm3 = w.app.clone().with_audit_algo(domain::protection::audit::HashAlgo::Sm3);
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead = sm3.ledger().register(&keeper, &signed_input(&w)).await.unwrap().into_visible().unwrap();
    let v = w.app.protection().verify_audit().await.unwrap();
    assert_eq!(v.first_broken, None, "a chain may mix SHA-256 and SM3 entries");
    let mut c = w.app.db().read().await.unwrap();
    let algos: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT algo FROM audit_log ORDER BY algo").fetch_all(&mut *c).await.unwrap();
    drop(c);
    assert_eq!(algos, ["sha256", "sm3"]);
    // An identity stored in clear (a database from before sealing) is sealed on start.
    exec(&w, &format!("UPDATE reporters SET name = '旧明文举报人', name_sealed = NULL, contact_sealed = NULL, key_id = NULL WHERE lead_id = {}", lead.id)).await;
    assert_eq!(w.app.reporters().reseal().await.unwrap(), 1);
    let mut c = w.app.db().read().await.unwrap();
    let clear: Option<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT name FROM reporters WHERE lead_id = {}", lead.id)))
            .fetch_one(&mut *c)
            .await
            .unwrap();
    drop(c);
    assert_eq!(clear, None, "the clear text is gone");
    let cust = actor(&w, "cust").await.identity_custodian().unwrap();
    let r = w.app.reporters().reveal(&cust, lead.id, "核实旧数据的举报人").await.unwrap();
    assert_eq!(r.name.as_deref(), Some("旧明文举报人"));
}
