//! What the review pages and the API show: the queue's rows, figures and draws, and one review
//! whole with what its reader may do.

use domain::{
    LeadId,
    ledger::lead::{Category, LeadStatus},
    lifecycle::conclusion::Finding,
    oversight::{
        review::ReviewReason,
        reviewing::{Answered, ReviewMethod, ReviewState},
    },
};
use serde::Serialize;
use store::oversight::reviews;
use time::{Date, OffsetDateTime};

/// A review as the queue lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewRow {
    pub id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub summary: String,
    pub unit_id: domain::UnitId,
    pub unit_name: String,
    pub category: Category,
    pub finding: Option<Finding>,
    pub lead_status: LeadStatus,
    pub reasons: Vec<ReviewReason>,
    pub state: ReviewState,
    pub accountability: bool,
    pub resubmit_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub queued_at: OffsetDateTime,
}

pub(super) fn row(r: &reviews::Review) -> ReviewRow {
    ReviewRow {
        id: r.id,
        lead_id: r.lead_id,
        number: r.number.clone(),
        summary: r.summary.clone(),
        unit_id: r.unit_id,
        unit_name: r.unit_name.clone(),
        category: r.category,
        finding: r.finding,
        lead_status: r.lead_status,
        reasons: r.reasons.clone(),
        state: r.state,
        accountability: r.accountability,
        resubmit_due: r.resubmit_due,
        queued_at: store::from_micros(r.created_at),
    }
}

/// Per unit: reviews, open, upheld, returned.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewFigures {
    pub unit_id: i64,
    pub unit_name: String,
    pub reviews: i64,
    pub open: i64,
    pub upheld: i64,
    pub returned: i64,
}

/// A draw as recorded: its rules and seed, and what it took.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawView {
    pub id: i64,
    pub all: bool,
    pub sample_percent: u8,
    /// As text: a u64 does not survive every JSON reader.
    pub seed: String,
    pub repeat_reports: bool,
    pub categories: bool,
    pub still_complaining: bool,
    pub returned_before: bool,
    pub considered: i64,
    pub picked: i64,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The queue page: a page of reviews, the figures per unit and the latest draws.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewQueue {
    pub items: Vec<ReviewRow>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub state: Option<ReviewState>,
    pub figures: Vec<ReviewFigures>,
    pub draws: Vec<DrawView>,
    /// Whether the caller may fill the queue (the supervising committee).
    pub may_draw: bool,
}

impl ReviewQueue {
    pub fn page_count(&self) -> u32 {
        (self.total.max(1) as u32).div_ceil(self.per_page)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawDone {
    pub draw: i64,
    pub seed: String,
    /// Closures the rules looked at, and how many they put in the queue.
    pub considered: usize,
    pub picked: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewerView {
    pub user_id: i64,
    pub name: String,
    pub unit_name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MethodView {
    pub method: ReviewMethod,
    pub held_on: Date,
    pub persons: String,
    pub notes: String,
    pub recorded_by: String,
}

/// The closer's signature on the 查否 conclusion under review.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EndorsementView {
    pub signer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    pub hash: String,
}

/// One review whole, with what the caller may do on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewDetail {
    pub review: ReviewRow,
    pub checks: Vec<Answered>,
    pub result_note: Option<String>,
    pub decided_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub reviewers: Vec<ReviewerView>,
    pub methods: Vec<MethodView>,
    pub endorsement: Option<EndorsementView>,
    /// Supervisors who may be assigned (none of the handling unit, none named in the lead).
    pub candidates: Vec<ReviewerView>,
    pub may_assign: bool,
    /// Whether the caller, an assigned reviewer, may record methods, checks and the result.
    pub may_record: bool,
    /// The reviewers' files (notes of a meeting, copies from the case file).
    pub files: Vec<crate::AttachmentView>,
}
