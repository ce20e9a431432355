//! Attachments (issue 16, point 3): taken by their content, kept encrypted in chunks, read back
//! whole by whoever may read the lead and nobody else, every download audited; a 50 MB file goes
//! in and out in pieces.

use app::{AppError, AttachPlace};
use domain::reporters::attachment::{FileKind, MAX_BYTES, RecordKind};
use sha2::{Digest, Sha256};
use store::Backend;

use crate::support::*;

testkit::both!(an_attachment_is_kept_sealed_and_read_back_by_those_who_read_the_lead);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn an_attachment_is_kept_sealed_and_read_back_by_those_who_read_the_lead(b: Backend) {
    let w = world(b).await;
    let (insp_a, insp_b) = (actor(&w, "insp_a").await, actor(&w, "insp_b").await);
    let keeper = insp_a.ledger_keeper().unwrap();
    let lead = w.app.ledger().register(&keeper, &input(w.hospital_a, "反映某科长收受回扣", "钱某")).await.unwrap();
    let lead = lead.into_visible().unwrap().id;
    let r = w.app.reporters();
    // A file whose content is not its name's type is refused, nothing kept.
    assert_eq!(
        code(
            r.attach_begin(
                &insp_a,
                AttachPlace::Lead(lead),
                "scan.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
            )
            .await
            .map(|_| ())
        ),
        "content_mismatch"
    );
    assert!(
        matches!(
            r.attach_begin(&insp_b, AttachPlace::Lead(lead), "a.pdf", b"%PDF-1.7").await.map(|_| ()),
            Err(AppError::NotFound)
        ),
        "another unit's lead"
    );
    // A file of three chunks and a bit, with a marker the disk must not show.
    let marker = "举报信原文：张某于三月收受现金";
    let mut file = b"%PDF-1.7\n".to_vec();
    while file.len() < 3 * app::ATTACHMENT_CHUNK + 1000 {
        file.extend_from_slice(marker.as_bytes());
    }
    let mut up = r.attach_begin(&insp_a, AttachPlace::Lead(lead), "C:\\扫描件\\举报信.pdf", &file[..16]).await.unwrap();
    for piece in file.chunks(70_000) {
        r.attach_more(&mut up, piece).await.unwrap();
    }
    let kept = r.attach_finish(&insp_a, up).await.unwrap();
    assert_eq!((kept.name.as_str(), kept.kind, kept.size as usize), ("举报信.pdf", FileKind::Pdf, file.len()));
    assert_eq!(kept.sha256, hex::encode(Sha256::digest(&file)));
    // Read back whole by a reader of the lead; not by another unit's.
    let mut d = r.attachment_open(&insp_a, lead, kept.id, false).await.unwrap();
    let mut back = Vec::new();
    while let Some(piece) = d.next_chunk().await.unwrap() {
        assert!(piece.len() <= app::ATTACHMENT_CHUNK);
        back.extend(piece);
    }
    assert!(back == file, "the same bytes back");
    assert!(matches!(r.attachment_open(&insp_b, lead, kept.id, false).await.map(|_| ()), Err(AppError::NotFound)));
    assert!(r.attachment_open(&actor(&w, "sup").await, lead, kept.id, true).await.is_ok(), "a PDF previews");
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "attachment.download".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1);
    // A text file must be text; a file past the cap is refused as it streams, and dropped.
    let mut txt = r.attach_begin(&insp_a, AttachPlace::Lead(lead), "说明.txt", "情况说明：".as_bytes()).await.unwrap();
    assert_eq!(code(r.attach_more(&mut txt, &[0xE6, 0x83, 0xC5, 0x00]).await), "content_mismatch");
    let mut big = r.attach_begin(&insp_a, AttachPlace::Lead(lead), "big.pdf", b"%PDF-1.4").await.unwrap();
    let block = vec![b'x'; 4 * 1024 * 1024];
    let mut sent = 0u64;
    let refused = loop {
        if let Err(e) = r.attach_more(&mut big, &block).await {
            break e;
        }
        sent += block.len() as u64;
        assert!(sent <= MAX_BYTES, "refused by the cap");
    };
    assert!(matches!(refused, AppError::Invalid(_)));
    let listed = r.attachments(&insp_a, lead).await.unwrap();
    assert_eq!(listed.len(), 1, "only the whole file is listed");
    // On a step: one of this lead's, by its keepers; another lead's step is refused.
    let other = w.app.ledger().register(&keeper, &input(w.hospital_a, "反映某主任违规发放补贴", "孙某")).await.unwrap();
    let other = other.into_visible().unwrap().id;
    let step_of = async |l| w.app.lifecycle().timeline(keeper.reader(), l).await.unwrap()[0].id;
    let (step, foreign) = (step_of(lead).await, step_of(other).await);
    let reply = "函询回复：不存在上述情况。".as_bytes();
    let refused = r.attach_begin(&insp_a, AttachPlace::Step(lead, foreign), "回复.txt", reply).await;
    assert_eq!(code(refused.map(|_| ())), "not_on_lead");
    assert!(matches!(r.may_attach(&insp_b, AttachPlace::Step(lead, step)).await, Err(AppError::NotFound)));
    let mut up = r.attach_begin(&insp_a, AttachPlace::Step(lead, step), "回复.txt", reply).await.unwrap();
    r.attach_more(&mut up, reply).await.unwrap();
    let on_step = r.attach_finish(&insp_a, up).await.unwrap();
    assert_eq!((on_step.record, on_step.record_id), (RecordKind::Step, Some(step)));
    let listed = r.attachments(&insp_a, lead).await.unwrap();
    assert_eq!(listed.iter().map(|a| a.record).collect::<Vec<_>>(), [RecordKind::Lead, RecordKind::Step]);
    // On disk: sealed, the marker and the name nowhere.
    let disk = crate::portal::raw(&w);
    assert!(!disk.contains(marker) && !disk.contains("举报信.pdf"), "plaintext on disk");
    assert!(disk.contains("反映某科长收受回扣"), "the check sees plaintext where there is some");
}
