//! What is done to a bulletin after it is drafted: the committee changes a unit's list (with a
//! reason) while it is a draft, the committee head signs the exact document, the committee
//! issues it and records the summons it ordered (the score rules are `score_rules`'). Each
//! step is checked against `domain::reporting::bulletin::next` and audited.

use domain::{
    FieldError, UnitId,
    dates::format_date_zh,
    reporting::{
        bulletin::{self as b, BulletinAction, ListChangeInput, SummonsInput},
        score::ListKind,
    },
};
use store::{StoreError, oversight::rectifications::unit_in_scope, reporting::bulletins as st, to_micros};

use super::{
    Reporting,
    bulletins::{by_unit, document},
};
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

fn gone() -> AppError {
    // Someone else moved the bulletin on between reading and writing it.
    AppError::Conflict
}

impl Reporting<'_> {
    /// The committee puts a unit of a draft on a list, or on none, saying why.
    #[tracing::instrument(name = "reporting.change_list", skip_all)]
    pub async fn change_list(
        &self,
        actor: &Actor,
        id: i64,
        unit: UnitId,
        input: &ListChangeInput,
    ) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let row = self.reached(&mut tx, actor, id).await?;
        if !unit_in_scope(&mut tx, &scope, row.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        Self::step(row.state, BulletinAction::Edit)?;
        let change = input.parse()?;
        let lines = st::lines(&mut tx, &row).await?;
        let Some(line) = by_unit(&lines).get(&unit).copied() else {
            return Err(AppError::field(FieldError::new(
                "unit_id",
                "not_on_bulletin",
                "该单位不在本期通报中。",
                "That unit is not on this bulletin.",
            )));
        };
        let before = line.list;
        if !st::set_list(&mut tx, &row, unit, (change.list, change.reason.as_str()), (actor.id, to_micros(now))).await?
        {
            return Err(gone());
        }
        let code = |k: Option<ListKind>| k.map_or("none", |k| k.code());
        let detail = format!("unit {unit}: {} → {} ({})", code(before), code(change.list), change.reason.as_str());
        record(&mut tx, self, now, Who::User(actor), Event::new("bulletin.list", "bulletin", id).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee head signs the draft: the document dated today, hashed with the signer and
    /// the time; from then on nothing in it changes.
    #[tracing::instrument(name = "reporting.sign_bulletin", skip_all)]
    pub async fn sign_bulletin(&self, actor: &Actor, id: i64) -> Result<String, AppError> {
        let approver = actor.approver()?;
        let now = self.now();
        let at = to_micros(now);
        let mut tx = self.db().begin_write().await?;
        let mut row = self.reached(&mut tx, actor, id).await?;
        if !unit_in_scope(&mut tx, &approver.scope, row.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        Self::step(row.state, BulletinAction::Sign)?;
        row.dated = format_date_zh(self.today());
        let lines = st::lines(&mut tx, &row).await?;
        let hash = b::signature(&document(&row, &lines)?, actor.id.get(), at);
        if !st::sign(&mut tx, &row, &row.dated, &hash, (actor.id, at)).await? {
            return Err(gone());
        }
        let e = Event::new("bulletin.sign", "bulletin", id).detail(format!("{} sha256 {hash}", row.doc_no));
        record(&mut tx, self, now, Who::User(actor), e).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(hash)
    }

    /// The committee (or its head) issues a signed bulletin to every unit.
    #[tracing::instrument(name = "reporting.issue_bulletin", skip_all)]
    pub async fn issue_bulletin(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let scopes: Vec<_> =
            [actor.supervised_scope().ok(), actor.approver().ok().map(|a| a.scope)].into_iter().flatten().collect();
        if scopes.is_empty() {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let row = self.reached(&mut tx, actor, id).await?;
        let mut allowed = false;
        for s in &scopes {
            allowed |= unit_in_scope(&mut tx, s, row.unit_id).await?;
        }
        if !allowed {
            return Err(AppError::Forbidden);
        }
        Self::step(row.state, BulletinAction::Issue)?;
        if !st::issue(&mut tx, &row, (actor.id, to_micros(now))).await? {
            return Err(gone());
        }
        record(&mut tx, self, now, Who::User(actor), Event::new("bulletin.issue", "bulletin", id).detail(row.doc_no))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee records a summons of a unit the issued bulletin put on its summons list.
    #[tracing::instrument(name = "reporting.record_summons", skip_all)]
    pub async fn record_summons(&self, actor: &Actor, id: i64, input: &SummonsInput) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let row = self.reached(&mut tx, actor, id).await?;
        if !unit_in_scope(&mut tx, &scope, row.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let (unit, s) = crate::oversight::with_unit(&input.unit_id, input.parse(self.today()))?;
        if row.state != domain::reporting::bulletin::BulletinState::Issued {
            return Err(AppError::field(FieldError::new(
                "state",
                "not_issued",
                "通报印发后才能记录约谈。",
                "A summons is recorded once the bulletin is issued.",
            )));
        }
        let lines = st::lines(&mut tx, &row).await?;
        if by_unit(&lines).get(&unit).and_then(|l| l.list) != Some(ListKind::Summons) {
            return Err(AppError::field(FieldError::new(
                "unit_id",
                "not_summoned",
                "该单位不在本期通报的约谈名单中。",
                "That unit is not on this bulletin's summons list.",
            )));
        }
        let sid = st::insert_summons(&mut tx, &row, unit, &s, (actor.id, to_micros(now))).await?;
        let detail = format!("{} unit {unit} on {}", row.doc_no, domain::dates::format_date(s.held_on));
        record(&mut tx, self, now, Who::User(actor), Event::new("bulletin.summons", "bulletin", id).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(sid)
    }
}
