//! Relations (关系网): the graph around a person, a lead or a unit, drawn from the leads the
//! caller may read (issue 14), and the supervisors' lists of persons named again and again.

use domain::{
    LeadId, UnitId,
    relations::{FrequentPerson, Graph, NodeRef},
};
use serde::Serialize;
use store::{StoreError, relations as rel};

use domain::protection::role::Role;

use crate::{
    Actor, AppError, LedgerReader,
    protection::audit::{Event, Who, record},
};

crate::facade!(
    /// Relations (关系网): `app.relations()`.
    Relations,
    relations
);

/// What a graph is drawn around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Centre {
    Person(i64),
    Lead(LeadId),
    Unit(UnitId),
}

impl Centre {
    fn node(self) -> NodeRef {
        match self {
            Centre::Person(p) => NodeRef::Person(p),
            Centre::Lead(l) => NodeRef::Lead(l),
            Centre::Unit(u) => NodeRef::Unit(u),
        }
    }

    fn target(self) -> (&'static str, i64) {
        match self {
            Centre::Person(p) => ("person", p),
            Centre::Lead(l) => ("lead", l.get()),
            Centre::Unit(u) => ("unit", u.get()),
        }
    }
}

/// The most leads read through each node one hop out (the latest): enough for 200 nodes.
const LEADS_PER_NODE: i64 = 60;

/// A unit whose leads name the same person more than once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RepeatUnit {
    pub unit_id: i64,
    pub unit_name: String,
    /// Persons named in two or more of its leads.
    pub persons: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Frequent {
    /// The least number of leads a person listed is named in.
    pub min_leads: i64,
    pub persons: Vec<FrequentPerson>,
    /// Every person in the caller's scope named in at least `min_leads` leads.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub units: Vec<RepeatUnit>,
}

impl Frequent {
    pub fn page_count(&self) -> u32 {
        crate::ledger::pages_for(self.total, self.per_page)
    }
}

pub const FREQUENT_PAGE: u32 = 50;
const TOP_UNITS: i64 = 20;

impl Relations<'_> {
    /// The graph to depth 2 around `centre`, of the leads the reader may read; not found when
    /// they may read none there. The view is audited.
    ///
    /// Reports from the same signed reporter are linked for the oversight roles only
    /// (supervisors, committee heads, custodians): a keeper who registers a report under a
    /// guessed phone number could otherwise learn from the links whether that person reported
    /// the leads it joins.
    #[tracing::instrument(name = "relations.graph", skip_all)]
    pub async fn graph(&self, reader: &LedgerReader, centre: Centre, english: bool) -> Result<Graph, AppError> {
        let now = self.now();
        let scope = &reader.scope;
        let reporters =
            [Role::Supervisor, Role::CommitteeHead, Role::Custodian].iter().any(|r| reader.actor.has_role(*r));
        let mut tx = self.db().begin_write().await?;
        let wide = LEADS_PER_NODE * 2;
        // Leads beyond those read are not drawn; the graph says how many more there are.
        let mut beyond = 0;
        let mut ids = match centre {
            Centre::Person(p) => {
                let ids = rel::leads_naming(&mut tx, scope, p, wide).await?;
                if ids.len() as i64 == wide {
                    beyond = rel::count_naming(&mut tx, scope, p).await? - wide;
                }
                ids
            }
            Centre::Unit(u) => {
                let ids = rel::leads_of_unit(&mut tx, scope, u, wide).await?;
                if ids.len() as i64 == wide {
                    beyond = rel::count_of_unit(&mut tx, scope, u).await? - wide;
                }
                ids
            }
            Centre::Lead(l) => {
                let facts = rel::facts(&mut tx, scope, &[l]).await?;
                let Some(lead) = facts.first() else { return Err(AppError::NotFound) };
                let mut ids = vec![l];
                for s in &lead.subjects {
                    ids.extend(rel::leads_naming(&mut tx, scope, s.person, LEADS_PER_NODE).await?);
                }
                if let Some(key) = lead.reporter.as_ref().filter(|_| reporters) {
                    ids.extend(rel::leads_reported_by(&mut tx, scope, key, LEADS_PER_NODE).await?);
                }
                ids.extend(rel::leads_of_unit(&mut tx, scope, lead.unit_id, LEADS_PER_NODE / 2).await?);
                ids
            }
        };
        if ids.is_empty() {
            return Err(AppError::NotFound);
        }
        ids.sort_unstable();
        ids.dedup();
        let mut facts = rel::facts(&mut tx, scope, &ids).await?;
        if !reporters {
            for f in &mut facts {
                f.reporter = None;
            }
        }
        let mut graph = domain::relations::build(&centre.node(), &facts, english);
        graph.omitted += usize::try_from(beyond.max(0)).unwrap_or(usize::MAX);
        let (kind, id) = centre.target();
        let detail = serde_json::json!({ "nodes": graph.nodes.len(), "omitted": graph.omitted });
        record(
            &mut tx,
            self,
            now,
            Who::User(&reader.actor),
            Event::new("relations.view", kind, id).detail(detail.to_string()),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(graph)
    }

    /// Persons named in at least `min_leads` leads in the supervisor's scope (page `page`; those
    /// across the most units first), and the units with the most persons named again.
    /// Supervisors and committee heads only.
    #[tracing::instrument(name = "relations.frequent", skip_all)]
    pub async fn frequent(&self, actor: &Actor, min_leads: i64, page: u32) -> Result<Frequent, AppError> {
        self.frequent_in(actor, min_leads, page, false).await
    }

    /// As [`Relations::frequent`], for the API: one audit entry a call (a client can page
    /// through every person named in the province).
    pub async fn frequent_recorded(&self, actor: &Actor, min_leads: i64, page: u32) -> Result<Frequent, AppError> {
        self.frequent_in(actor, min_leads, page, true).await
    }

    async fn frequent_in(&self, actor: &Actor, min_leads: i64, page: u32, audited: bool) -> Result<Frequent, AppError> {
        let scope = actor.board_scope()?;
        let min_leads = min_leads.clamp(2, 1000);
        let page = page.max(1);
        let offset = i64::from(page - 1).saturating_mul(i64::from(FREQUENT_PAGE));
        let mut c = self.reader().await?;
        let (rows, total) =
            rel::frequent_persons(&mut c, &scope, min_leads, (offset, i64::from(FREQUENT_PAGE))).await?;
        let units = rel::units_with_repeat_subjects(&mut c, &scope, TOP_UNITS).await?;
        drop(c);
        if audited {
            let now = self.now();
            let mut tx = self.db().begin_write().await?;
            let detail = serde_json::json!({ "min_leads": min_leads, "page": page, "total": total });
            record(
                &mut tx,
                self,
                now,
                Who::User(actor),
                Event::new("relations.frequent", "person", "").detail(detail.to_string()),
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(Frequent {
            min_leads,
            persons: rows,
            total,
            page,
            per_page: FREQUENT_PAGE,
            units: units
                .into_iter()
                .map(|(u, unit_name, persons)| RepeatUnit { unit_id: u.get(), unit_name, persons })
                .collect(),
        })
    }
}
