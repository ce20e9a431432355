//! The ledger (台账) as a list: how leads are filtered, sorted and paged.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    FieldError, Invalid, UnitId, dates::parse_optional_date, labelled_enum, ledger::campaign::StockClass,
    ledger::lead::Category, ledger::lead::LeadStatus, ledger::lead::Source, text::Name,
};

labelled_enum!(
    LedgerSort {
        ReceivedDesc = ("received_desc", "受理日期（新→旧）", "Received (newest first)"),
        ReceivedAsc = ("received_asc", "受理日期（旧→新）", "Received (oldest first)"),
        DeadlineAsc = ("deadline_asc", "环节期限（近→远）", "Stage deadline (soonest first)"),
        DeadlineDesc = ("deadline_desc", "环节期限（远→近）", "Stage deadline (latest first)"),
        NumberAsc = ("number_asc", "线索编号（升序）", "Number (ascending)"),
        NumberDesc = ("number_desc", "线索编号（降序）", "Number (descending)"),
        Relevance = ("relevance", "相关度（最匹配在前）", "Relevance (best match first)"),
    }
);

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;

/// A list request as submitted (query string or JSON), before checking. Every field is
/// optional; the documented types are what the check accepts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// A unit and its whole subtree.
    #[param(value_type = Option<i64>)]
    pub unit_id: String,
    #[param(value_type = Option<super::lead::Source>)]
    pub source: String,
    #[param(value_type = Option<super::lead::Category>)]
    pub category: String,
    /// A status, `open` for every lead not cleared yet or `closed` for every cleared one (清零:
    /// 办结, 销号, 予以了结, or a transfer with its receipt; `domain::supervision::clearance`).
    pub status: String,
    #[param(value_type = Option<super::campaign::StockClass>)]
    pub stock_class: String,
    /// Received on or after (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub received_from: String,
    /// Received on or before (YYYY-MM-DD); not before `received_from`.
    #[param(value_type = Option<String>, format = Date)]
    pub received_to: String,
    /// The free-text 责任人, exactly.
    pub responsible_person: String,
    /// A handler account's id: the leads assigned to it.
    #[param(value_type = Option<i64>)]
    pub handler: String,
    /// `true`: important leads only; `false`: the others.
    #[param(value_type = Option<bool>)]
    pub important: String,
    /// `true`: open leads past their deadline.
    #[param(value_type = Option<bool>)]
    pub overdue: String,
    /// A campaign's id: its leads only (the clearance board's figures link here).
    #[param(value_type = Option<i64>)]
    pub campaign_id: String,
    /// `true`: new leads not routed in time (研判 after the disposition clock ran out, or not
    /// yet assessed past it).
    #[param(value_type = Option<bool>)]
    pub routed_late: String,
    /// `approved`: leads with an extension in effect; `flagged`: with one over the cap or
    /// repeated (the board's extension figures link here).
    pub extended: String,
    /// Number, subject or summary contains this.
    #[param(max_length = 100)]
    pub q: String,
    #[param(value_type = Option<LedgerSort>)]
    pub sort: String,
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: String,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub per_page: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    /// A unit and its whole subtree.
    pub unit: Option<UnitId>,
    pub source: Option<Source>,
    pub category: Option<Category>,
    pub status: Option<LeadStatus>,
    /// Not cleared yet (not a single status).
    pub open_only: bool,
    /// Cleared (清零) leads.
    pub closed_only: bool,
    pub stock_class: Option<StockClass>,
    pub received_from: Option<Date>,
    pub received_to: Option<Date>,
    pub responsible_person: Option<String>,
    pub handler: Option<crate::UserId>,
    pub important: Option<bool>,
    /// Only open leads past their deadline; the app fills in `overdue_before` with today.
    pub overdue: bool,
    pub overdue_before: Option<Date>,
    pub campaign: Option<crate::CampaignId>,
    /// Only new leads not routed in time; the app fills in `routed_late_before` with today.
    pub routed_late: bool,
    pub routed_late_before: Option<Date>,
    /// Only leads with an extension in effect (`Some(false)`), or a flagged one (`Some(true)`).
    pub extended: Option<bool>,
    /// Matches the lead number, a subject's name or the summary, case-insensitively.
    pub keyword: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerQuery {
    pub filter: LedgerFilter,
    pub sort: LedgerSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl LedgerQuery {
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

fn optional<T>(
    field: &str,
    raw: &str,
    parse: impl Fn(&str, &str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    if raw.trim().is_empty() { Ok(None) } else { parse(field, raw).map(Some) }
}

fn positive(field: &str, raw: &str, default: u32, max: u32) -> Result<u32, FieldError> {
    if raw.trim().is_empty() {
        return Ok(default);
    }
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            field,
            "out_of_range",
            format!("须为 1 到 {max} 之间的整数。"),
            format!("Must be a whole number from 1 to {max}."),
        )),
    }
}

impl LedgerParams {
    pub fn parse(&self) -> Result<LedgerQuery, Invalid> {
        let mut e = Invalid::default();
        let unit = e.take(optional("unit_id", &self.unit_id, |f, s| {
            s.trim().parse::<UnitId>().map_err(|_| FieldError::new(f, "unknown_unit", "单位不存在。", "No such unit."))
        }));
        let source = e.take(optional("source", &self.source, Source::parse));
        let category = e.take(optional("category", &self.category, Category::parse));
        let (status, open_only, closed_only) = match self.status.trim() {
            "open" => (Some(None), true, false),
            "closed" => (Some(None), false, true),
            raw => (e.take(optional("status", raw, LeadStatus::parse)), false, false),
        };
        let stock_class = e.take(optional("stock_class", &self.stock_class, StockClass::parse));
        let received_from = e.take(parse_optional_date("received_from", &self.received_from));
        let received_to = e.take(parse_optional_date("received_to", &self.received_to));
        if let (Some(Some(a)), Some(Some(b))) = (received_from, received_to)
            && a > b
        {
            e.push(FieldError::new(
                "received_to",
                "range_reversed",
                "结束日期不能早于开始日期。",
                "The end date cannot be before the start date.",
            ));
        }
        let person = e.take(Name::parse_optional("responsible_person", &self.responsible_person));
        let handler = e.take(optional("handler", &self.handler, |f, s| {
            s.trim()
                .parse::<crate::UserId>()
                .map_err(|_| FieldError::new(f, "unknown_user", "承办人不存在。", "No such handler."))
        }));
        let important = e.take(match self.important.trim() {
            "" => Ok(None),
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            _ => Err(FieldError::new("important", "unknown_value", "不是可选的值。", "Not one of the allowed values.")),
        });
        let keyword = e.take(crate::text::Text::<100>::parse_optional("q", &self.q));
        let sort = e.take(optional("sort", &self.sort, LedgerSort::parse));
        let page = e.take(positive("page", &self.page, 1, 1_000_000));
        let per_page = e.take(positive("per_page", &self.per_page, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
        let (
            Some(unit),
            Some(source),
            Some(category),
            Some(status),
            Some(stock_class),
            Some(received_from),
            Some(received_to),
            Some(person),
            Some(handler),
            Some(important),
            Some(keyword),
            Some(sort),
            Some(page),
            Some(per_page),
        ) = (
            unit,
            source,
            category,
            status,
            stock_class,
            received_from,
            received_to,
            person,
            handler,
            important,
            keyword,
            sort,
            page,
            per_page,
        )
        else {
            return Err(e);
        };
        e.into_result(|| LedgerQuery {
            filter: LedgerFilter {
                unit,
                source,
                category,
                status,
                open_only,
                closed_only,
                stock_class,
                received_from,
                received_to,
                responsible_person: person.map(|n| n.into_string()),
                handler,
                important,
                overdue: matches!(self.overdue.trim(), "true" | "1"),
                overdue_before: None,
                campaign: self
                    .campaign_id
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(crate::CampaignId::from_raw),
                routed_late: matches!(self.routed_late.trim(), "true" | "1"),
                routed_late_before: None,
                extended: match self.extended.trim() {
                    "approved" => Some(false),
                    "flagged" => Some(true),
                    _ => None,
                },
                keyword: keyword.map(|k| k.into_string()),
            },
            sort: sort.unwrap_or(LedgerSort::ReceivedDesc),
            page,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_params_mean_everything_newest_first() {
        let q = LedgerParams::default().parse().unwrap();
        assert_eq!(q.filter, LedgerFilter::default());
        assert_eq!((q.sort, q.page, q.per_page), (LedgerSort::ReceivedDesc, 1, DEFAULT_PAGE_SIZE));
        assert_eq!(q.offset(), 0);
    }

    #[test]
    fn bad_params_are_named() {
        let p = LedgerParams {
            status: "nope".into(),
            received_from: "2019-13-01".into(),
            per_page: "100000".into(),
            page: "0".into(),
            ..Default::default()
        };
        let fields: Vec<String> = p.parse().unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["status", "received_from", "page", "per_page"]);
    }

    #[test]
    fn open_is_a_status_group() {
        let p = LedgerParams { status: "open".into(), ..Default::default() };
        let q = p.parse().unwrap();
        assert!(q.filter.open_only && q.filter.status.is_none());
    }
}
