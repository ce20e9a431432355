//! Recusal (回避): a lead naming a unit's head goes up a level, nobody sees a lead that names
//! them, and the ID numbers that tie a person to their leads are kept only as keyed hashes.

use app::AppError;
use store::Backend;

use crate::support::*;

testkit::both!(
    a_lead_about_the_units_head_goes_up_a_level,
    nobody_sees_a_lead_that_names_them,
    id_numbers_are_kept_only_as_keyed_hashes,
);

async fn a_lead_about_the_units_head_goes_up_a_level(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let mut about_head = input(w.hospital_a, "反映院长充当保护伞", "院长某某");
    about_head.subjects[0].is_unit_head = true;
    let sent = w.app.ledger().register(&keeper, &about_head).await.unwrap();
    let app::Registered::SentUp { number, sent_to } = &sent else { panic!("the keeper must not see it: {sent:?}") };
    assert!(number.as_str().starts_with("ZWJ-"), "numbered in the parent body's ledger: {number}");
    assert_eq!(sent_to, "直属机关纪委", "the keeper learns where it went");
    let sup = actor(&w, "sup").await.ledger().unwrap();
    let lead = w.app.ledger().list(&sup, &keyword(number.as_str())).await.unwrap().items.remove(0);
    assert_eq!(lead.routed_from_unit_id, Some(w.hospital_a));
    assert_ne!(lead.unit_id, w.hospital_a);
    for who in ["insp_a", "head_a"] {
        let a = actor(&w, who).await;
        assert!(matches!(w.app.ledger().lead(&a.ledger().unwrap(), lead.id).await, Err(AppError::NotFound)), "{who}");
    }
    assert!(w.app.ledger().lead(&actor(&w, "sup").await.ledger().unwrap(), lead.id).await.is_ok());
    // Another unit's head named as a subject does not move the lead.
    let mut other_head = input(w.hospital_a, "反映乙医院院长", "乙院长");
    other_head.subjects[0].is_unit_head = true;
    other_head.subjects[0].unit_name = "乙医院".into();
    let stays = w.app.ledger().register(&keeper, &other_head).await.unwrap().into_visible().unwrap();
    assert_eq!((stays.unit_id, stays.routed_from_unit_id), (w.hospital_a, None));
    // Naming the head in a later edit sends the lead up then.
    let plain = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "一般线索", "科员某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let mut edit = input(w.hospital_a, "补充：院长亦涉及", "科员某");
    edit.subjects.push(domain::ledger::subject::SubjectInput {
        name: "院长某某".into(),
        is_unit_head: true,
        ..Default::default()
    });
    let moved =
        w.app.ledger().update(&keeper, plain.id, &app::SaveLead { input: edit, expected_version: 1 }).await.unwrap();
    assert!(matches!(moved, app::Registered::SentUp { .. }), "the edit sent it up: {moved:?}");
    let moved = w.app.ledger().lead(&sup, plain.id).await.unwrap();
    assert_eq!(moved.routed_from_unit_id, Some(w.hospital_a));
    assert!(matches!(w.app.ledger().lead(keeper.reader(), plain.id).await, Err(AppError::NotFound)));
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "lead.update".into(), record_id: plain.id.to_string(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1, "the move is in the trail");
}

async fn nobody_sees_a_lead_that_names_them(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // head_a's account is the person "head_a" of 甲医院; a lead naming them (not as head).
    let mut about = input(w.hospital_a, "反映 head_a 违规报销", "head_a");
    about.subjects[0].unit_name = "甲医院".into();
    let lead = w.app.ledger().register(&keeper, &about).await.unwrap().into_visible().unwrap();
    assert_eq!(lead.unit_id, w.hospital_a, "not flagged as head: stays with the unit");
    let head = actor(&w, "head_a").await;
    let reader = head.ledger().unwrap();
    assert!(matches!(w.app.ledger().lead(&reader, lead.id).await, Err(AppError::NotFound)));
    assert!(matches!(w.app.ledger().detail(&head, lead.id).await, Err(AppError::NotFound)));
    let listed = w.app.ledger().list(&reader, &keyword("违规报销")).await.unwrap();
    assert_eq!(listed.total, 0, "not in lists or counts either");
    assert!(w.app.ledger().lead(keeper.reader(), lead.id).await.is_ok(), "the inspector still handles it");
    // Naming them with an ID number does not hide them from the rule.
    let mut with_id = input(w.hospital_a, "反映 head_a 另一问题", "head_a");
    with_id.subjects[0].unit_name = "甲医院".into();
    with_id.subjects[0].id_number = "110105194912310021".into();
    let l3 = w.app.ledger().register(&keeper, &with_id).await.unwrap().into_visible().unwrap();
    assert!(matches!(w.app.ledger().lead(&reader, l3.id).await, Err(AppError::NotFound)));
    // Even a supervisor over the whole tree does not see leads about themselves.
    let keeper_b = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    let l2 = register_about_sup(&w, &keeper_b).await.into_visible().unwrap();
    let sup = actor(&w, "sup").await;
    assert!(matches!(w.app.ledger().lead(&sup.ledger().unwrap(), l2.id).await, Err(AppError::NotFound)));
    assert!(w.app.ledger().lead(&sup.ledger().unwrap(), lead.id).await.is_ok());
    // The same person is recognised by ID number across spellings of their unit.
    let mut a = input(w.hospital_a, "甲", "赵某");
    a.subjects[0].id_number = "11010519491231002X".into();
    let mut b2 = input(w.hospital_b, "乙", "赵某");
    b2.subjects[0].id_number = "11010519491231002x".into();
    b2.subjects[0].unit_name = "乙医院（原甲医院）".into();
    let la = w.app.ledger().register(&keeper, &a).await.unwrap().into_visible().unwrap();
    let lb = w.app.ledger().register(&keeper_b, &b2).await.unwrap().into_visible().unwrap();
    let mut c = w.app.db().read().await.unwrap();
    let persons: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT person_id FROM lead_subjects WHERE lead_id IN ({}, {}) ORDER BY lead_id",
        la.id, lb.id
    )))
    .fetch_all(&mut *c)
    .await
    .unwrap();
    assert_eq!(persons.len(), 2);
    assert_eq!(persons[0], persons[1], "one person behind both leads");
}

/// The person each subject of `lead` was linked to.
async fn persons_of(w: &World, lead: domain::LeadId) -> Vec<i64> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT person_id FROM lead_subjects WHERE lead_id = {lead} ORDER BY ordinal"
    )))
    .fetch_all(w.app.db().reader())
    .await
    .unwrap()
}

async fn id_numbers_are_kept_only_as_keyed_hashes(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let with_id = |summary: &str, id: &str| {
        let mut i = input(w.hospital_a, summary, "郭某某");
        i.subjects[0].id_number = id.into();
        i
    };
    let a = w
        .app
        .ledger()
        .register(&keeper, &with_id("第一次", "11010519491231002X"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let plain = domain::protection::person::id_number_digest("f", "11010519491231002X").unwrap().unwrap();
    let stored: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id_number_hash, id_hash_key FROM persons WHERE id_number_hash IS NOT NULL")
            .fetch_all(w.app.db().reader())
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, plain, "not the plain digest: a copy of the database cannot test guesses");
    assert_eq!(stored[0].0, w.app.keyring().person_hash(&plain));
    assert_eq!(stored[0].1.as_deref(), Some(w.app.keyring().person_key_id()));
    // The same number again, under another name: the same person.
    let mut again = with_id("第二次", "11010519491231002x");
    again.subjects[0].name = "郭某".into();
    let b2 = w.app.ledger().register(&keeper, &again).await.unwrap().into_visible().unwrap();
    assert_eq!(persons_of(&w, a.id).await, persons_of(&w, b2.id).await);

    // A person written by the first half of the product, under the plain digest.
    let old = domain::protection::person::id_number_digest("f", "320102198001011234").unwrap().unwrap();
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query("INSERT INTO persons (id_number_hash, name, unit_name, created_at) VALUES ($1, '旧某', '甲医院', 0)")
        .bind(&old)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let legacy: i64 =
        sqlx::query_scalar("SELECT id FROM persons WHERE name = '旧某'").fetch_one(w.app.db().reader()).await.unwrap();
    assert_eq!(w.app.protection().rekey_person_hashes().await.unwrap(), 1);
    assert_eq!(w.app.protection().rekey_person_hashes().await.unwrap(), 0, "once");
    let c = w
        .app
        .ledger()
        .register(&keeper, &with_id("旧人新件", "320102198001011234"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert_eq!(persons_of(&w, c.id).await, [legacy], "an old hash and a new registration still meet");
}
