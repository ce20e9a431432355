//! The libraries (典型案例, 好做法好经验) and warning-education events (警示教育): the committee
//! writes typical cases from concluded cases, anonymised; units write their good practices;
//! either is published to every unit's readers. Units record the education events that use them.

use domain::{
    FieldError, UnitId,
    dates::beijing_date,
    ledger::{lead::Category, lead::LeadStatus, lead_no::LeadNo},
    oversight::library::{CaseInput, EducationForm, EducationInput, PracticeInput},
};
use serde::Serialize;
use store::{
    StoreError,
    ledger::leads,
    oversight::{library as lib, rectifications::unit_in_scope},
    to_micros,
};
use time::Date;

use super::Oversight;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LibraryEntry {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub title: String,
    /// Typical cases: the category.
    pub category: Option<Category>,
    /// Good practices: when it was practised.
    pub practised_on: Option<Date>,
    pub text: String,
    pub lessons: String,
    pub published: bool,
}

/// One library as the caller may read it (published entries, and drafts of their units).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Library {
    pub q: String,
    pub items: Vec<LibraryEntry>,
    /// Whether the caller may write and publish entries.
    pub may_write: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EducationView {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub held_on: Date,
    pub form: EducationForm,
    pub attendance: i64,
    pub case_id: Option<i64>,
    pub case_title: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EducationBook {
    pub items: Vec<EducationView>,
    pub may_record: bool,
}

fn entry(e: lib::Entry) -> LibraryEntry {
    LibraryEntry {
        id: e.id,
        unit_id: e.unit_id,
        unit_name: e.unit_name,
        title: e.title,
        category: e.category,
        practised_on: e.on,
        text: e.text,
        lessons: e.lessons,
        published: e.published,
    }
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

impl Oversight<'_> {
    #[tracing::instrument(name = "oversight.typical_cases", skip_all)]
    pub async fn typical_cases(&self, actor: &Actor, q: &str) -> Result<Library, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let narrowed = reader.scope.narrowed();
        // Drafts are their units' work: a handler or owning leader reads what is published.
        let items = lib::cases(&mut c, &reader.scope, q)
            .await?
            .into_iter()
            .filter(|e| e.published || !narrowed)
            .map(entry)
            .collect();
        Ok(Library { q: q.trim().to_owned(), items, may_write: actor.supervised_scope().is_ok() })
    }

    #[tracing::instrument(name = "oversight.good_practices", skip_all)]
    pub async fn good_practices(&self, actor: &Actor, q: &str) -> Result<Library, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let narrowed = reader.scope.narrowed();
        let items = lib::practices(&mut c, &reader.scope, q)
            .await?
            .into_iter()
            .filter(|e| e.published || !narrowed)
            .map(entry)
            .collect();
        Ok(Library { q: q.trim().to_owned(), items, may_write: actor.ledger_keeper().is_ok() })
    }

    /// The committee writes a typical case, from a concluded case of its subtree if it names
    /// one — and then without the names that case holds.
    #[tracing::instrument(name = "oversight.add_typical_case", skip_all)]
    pub async fn add_typical_case(&self, actor: &Actor, input: &CaseInput) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (lead, names) = match input.lead.trim() {
            "" => (None, Vec::new()),
            s => {
                let unknown = || {
                    refusal(
                        "lead",
                        "unknown_lead",
                        "线索不存在或不在您的监督范围内。",
                        "No such lead under your supervision.",
                    )
                };
                let number = LeadNo::parse(s).ok_or_else(unknown)?;
                let (_, l) = leads::by_number(&mut tx, &scope, &number).await?.ok_or_else(unknown)?;
                if !matches!(l.status, LeadStatus::Concluded | LeadStatus::StruckOff) {
                    return Err(refusal(
                        "lead",
                        "not_concluded",
                        "典型案例取自已办结的案件。",
                        "A typical case comes from a concluded case.",
                    ));
                }
                (Some(l.id), l.subjects.iter().map(|s| s.name.clone()).collect())
            }
        };
        let case = input.parse(&names)?;
        let id = lib::insert_case(&mut tx, actor.unit_id, &case, lead, (actor.id, to_micros(now))).await?;
        let detail = format!("lead {}, published {}", lead.map(|l| l.to_string()).unwrap_or_default(), case.publish);
        record(&mut tx, self, now, Who::User(actor), Event::new("library.case", "typical_case", id).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// A unit's keeper writes a good practice of one of their units.
    #[tracing::instrument(name = "oversight.add_good_practice", skip_all)]
    pub async fn add_good_practice(&self, actor: &Actor, input: &PracticeInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let (unit, p) = super::with_unit(&input.unit_id, input.parse(beijing_date(now)))?;
        let mut tx = self.db().begin_write().await?;
        if !unit_in_scope(&mut tx, &keeper.scope, unit).await? {
            return Err(refusal(
                "unit_id",
                "out_of_scope",
                "只能登记本单位的做法。",
                "Only your own units' practices.",
            ));
        }
        let id = lib::insert_practice(&mut tx, unit, &p, (actor.id, to_micros(now))).await?;
        let event =
            Event::new("library.practice", "good_practice", id).detail(format!("unit {unit}, published {}", p.publish));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// Publishes a draft typical case (the committee) or good practice (its unit's keepers).
    #[tracing::instrument(name = "oversight.publish_entry", skip_all)]
    pub async fn publish_entry(&self, actor: &Actor, case: bool, id: i64) -> Result<(), AppError> {
        let (scope, table, kind) = if case {
            (actor.supervised_scope()?, "typical_cases", "typical_case")
        } else {
            (actor.ledger_keeper()?.scope, "good_practices", "good_practice")
        };
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        if !lib::publish(&mut tx, table, &scope, id).await? {
            return Err(AppError::NotFound);
        }
        record(&mut tx, self, now, Who::User(actor), Event::new("library.publish", kind, id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    #[tracing::instrument(name = "oversight.education", skip_all)]
    pub async fn education(&self, actor: &Actor) -> Result<EducationBook, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let rows = if reader.scope.narrowed() { Vec::new() } else { lib::education(&mut c, &reader.scope).await? };
        let items = rows
            .into_iter()
            .map(|e| EducationView {
                id: e.id,
                unit_id: e.unit_id,
                unit_name: e.unit_name,
                held_on: e.held_on,
                form: e.form,
                attendance: e.attendance,
                case_id: e.case.as_ref().map(|c| c.0),
                case_title: e.case.map(|c| c.1),
            })
            .collect();
        Ok(EducationBook { items, may_record: actor.ledger_keeper().is_ok() })
    }

    /// A unit's keeper records a warning-education event, citing the typical case it used.
    #[tracing::instrument(name = "oversight.record_education", skip_all)]
    pub async fn record_education(&self, actor: &Actor, input: &EducationInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let (unit, e) = super::with_unit(&input.unit_id, input.parse(beijing_date(now)))?;
        let mut tx = self.db().begin_write().await?;
        if !unit_in_scope(&mut tx, &keeper.scope, unit).await? {
            return Err(refusal("unit_id", "out_of_scope", "只能登记本单位的活动。", "Only your own units' events."));
        }
        let case = match input.case.trim() {
            "" => None,
            s => {
                let wrong = || refusal("case", "unknown", "未找到该典型案例。", "No such typical case.");
                let id = s.parse::<i64>().map_err(|_| wrong())?;
                if !lib::case_readable(&mut tx, &keeper.reader.scope, id).await? {
                    return Err(wrong());
                }
                Some(id)
            }
        };
        let id = lib::insert_education(&mut tx, unit, &e, case, (actor.id, to_micros(now))).await?;
        let event = Event::new("education.record", "education_event", id).detail(format!("unit {unit}, {}", e.form));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }
}
