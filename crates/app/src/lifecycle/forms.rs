//! The printed forms (issue 13): the approval form of a step that waited for approval or of
//! an extension, and a lead's whole record, built from the lead as the caller may read it
//! (the reporter's identity is never on a form).

use domain::{
    LeadId,
    dates::{format_date, format_instant},
    lifecycle::{
        forms::{FormDoc, FormKind, Opinion, form_for_step, form_number},
        timeline::EventState,
    },
};

use super::Lifecycle;
use crate::{Actor, AppError, Dossier};

/// Which form of a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOf {
    /// The timeline entry of a step that waited for approval.
    Entry(i64),
    Extension(i64),
    Record,
}

fn l(en: bool, zh: &str, english: &str) -> String {
    if en { english.to_owned() } else { zh.to_owned() }
}

/// The lead's facts, as every form opens with them.
fn facts(d: &Dossier, en: bool) -> Vec<(String, String)> {
    let lead = &d.detail.lead;
    let sep = if en { "; " } else { "；" };
    let subjects: Vec<String> = lead
        .subjects
        .iter()
        .map(|s| {
            let about: Vec<&str> = [s.unit_name.as_str(), s.post.as_str(), s.rank.as_str()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect();
            if about.is_empty() {
                s.name.clone()
            } else if en {
                format!("{} ({})", s.name, about.join(", "))
            } else {
                format!("{}（{}）", s.name, about.join("，"))
            }
        })
        .collect();
    let mut source = lead.source.label(en).to_owned();
    if let Some(doc) = &lead.source_doc_no {
        source = format!("{source}{sep}{doc}");
    }
    let mut rows = vec![
        (l(en, "线索编号", "Lead number"), lead.number.as_str().to_owned()),
        (l(en, "承办单位", "Handling unit"), lead.unit_name.clone()),
        (l(en, "线索来源", "Source"), source),
        (l(en, "受理日期", "Received"), format_date(lead.received_on)),
        (l(en, "被反映人", "Subjects"), subjects.join(sep)),
        (l(en, "问题类别", "Category"), lead.category.label(en).to_owned()),
        (l(en, "反映的主要问题", "Summary"), lead.summary.clone()),
        (
            l(en, "责任领导、责任人", "Responsible leader and person"),
            [lead.responsible_leader.clone().unwrap_or_default(), lead.responsible_shown(en)]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(sep),
        ),
        (l(en, "办理情况", "Status"), lead.status.label(en).to_owned()),
        (l(en, "环节期限", "Stage deadline"), format_date(lead.deadline)),
    ];
    if let Some(o) = &lead.original_no {
        rows.insert(1, (l(en, "原编号", "Sheet's own number"), o.clone()));
    }
    rows
}

fn blank(role: String) -> Opinion {
    Opinion { role, text: String::new(), name: String::new(), date: String::new() }
}

impl Lifecycle<'_> {
    /// A form of lead `id`, as `actor` may read it, in the page's language.
    #[tracing::instrument(name = "lifecycle.form", skip_all)]
    pub async fn form(&self, actor: &Actor, id: LeadId, of: FormOf, en: bool) -> Result<FormDoc, AppError> {
        let d = self.ledger().dossier(actor, id).await?;
        let number = d.detail.lead.number.as_str().to_owned();
        let printed = format!("{} {}", l(en, "打印于", "Printed"), format_instant(self.now()));
        let unit = format!("{}{}", l(en, "填报单位：", "Unit: "), d.detail.lead.unit_name);
        let (kind, entry, mut facts, steps, opinions) = match of {
            FormOf::Entry(entry) => {
                let e = d.timeline.iter().find(|e| e.id == entry).ok_or(AppError::NotFound)?;
                let kind = e.kind.step().and_then(form_for_step).ok_or(AppError::NotFound)?;
                let mut proposal = e.title(en);
                for extra in [e.note.clone().unwrap_or_default(), e.system_text(en)] {
                    if !extra.is_empty() {
                        proposal = format!("{proposal}{}{extra}", if en { ". " } else { "。" });
                    }
                }
                let proposer = Opinion {
                    role: l(en, "承办意见", "Proposal"),
                    text: proposal,
                    name: e.actor_name.clone(),
                    date: format_date(domain::dates::beijing_date(e.at)),
                };
                let approver = match (e.state, &e.approver_name) {
                    (EventState::Pending, _) | (_, None) => blank(l(en, "审批意见", "Approval")),
                    (state, Some(name)) => Opinion {
                        role: l(en, "审批意见", "Approval"),
                        text: [
                            if state == EventState::Rejected {
                                l(en, "不同意", "Refused")
                            } else {
                                l(en, "同意", "Approved")
                            },
                            e.decision_note.clone().unwrap_or_default(),
                        ]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(if en { ". " } else { "。" }),
                        name: name.clone(),
                        date: e.decided_at.map(|t| format_date(domain::dates::beijing_date(t))).unwrap_or_default(),
                    },
                };
                (kind, entry, facts(&d, en), Vec::new(), vec![proposer, approver])
            }
            FormOf::Extension(x) => {
                let ext = d.extensions.iter().find(|e| e.id == x).ok_or(AppError::NotFound)?;
                let mut f = facts(&d, en);
                let days = if en { format!("{} more days", ext.days) } else { format!("延期 {} 天", ext.days) };
                f.push((l(en, "申请延期", "Extension asked"), days));
                if let Some((now, then)) = ext.proposed.or(ext.old_deadline.zip(ext.new_deadline)) {
                    f.push((l(en, "期限", "Deadline"), format!("{} → {}", format_date(now), format_date(then))));
                }
                let requester = Opinion {
                    role: l(en, "延期理由", "Reason"),
                    text: ext.reason.clone(),
                    name: ext.requested_by.clone(),
                    date: format_date(domain::dates::beijing_date(ext.requested_at)),
                };
                let head = match &ext.signed_by {
                    Some(name) => Opinion {
                        role: l(en, "单位主要负责人意见", "Unit head"),
                        text: l(en, "同意延期。", "Agreed."),
                        name: name.clone(),
                        date: ext.signed_at.map(|t| format_date(domain::dates::beijing_date(t))).unwrap_or_default(),
                    },
                    None => blank(l(en, "单位主要负责人意见", "Unit head")),
                };
                let mut committee = blank(l(en, "纪委审批意见", "Committee"));
                if !ext.state.is_open() {
                    committee.text = ext.state.label(en).to_owned();
                }
                (FormKind::Extension, x, f, Vec::new(), vec![requester, head, committee])
            }
            FormOf::Record => {
                let steps = d
                    .timeline
                    .iter()
                    .map(|e| {
                        let mut what = e.title(en);
                        for extra in [e.note.clone().unwrap_or_default(), e.system_text(en)] {
                            if !extra.is_empty() {
                                what = format!("{what}{}{extra}", if en { ": " } else { "：" });
                            }
                        }
                        [format_instant(e.at), what, e.actor_name.clone(), e.state.label(en).to_owned()]
                    })
                    .collect();
                (FormKind::Record, 0, facts(&d, en), steps, Vec::new())
            }
        };
        if kind == FormKind::Record {
            facts.push((l(en, "登记", "Registered by"), d.detail.created_by_name.clone()));
            if !d.attachments.is_empty() {
                let files: Vec<String> = d
                    .attachments
                    .iter()
                    .map(|a| format!("{} ({}, {} B, SHA-256 {})", a.name, a.kind.label(en), a.size, a.sha256))
                    .collect();
                facts.push((l(en, "附件", "Attachments"), files.join(if en { "; " } else { "；" })));
            }
        }
        Ok(FormDoc {
            kind,
            title: kind.label(en).to_owned(),
            number: form_number(&number, kind, entry),
            unit,
            facts,
            steps,
            opinions,
            printed,
        })
    }
}
