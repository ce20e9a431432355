//! Installation-time setup: the first administrator, units and accounts. These run from
//! the command line and the demo loader, never from a web request.

use super::Protection;
use domain::{
    FieldError, UnitId, UserId, ledger::unit::NewUnit, ledger::unit::UnitCode, ledger::unit::UnitKind,
    protection::role::Grant, protection::role::Role, text::Name,
};
use store::{StoreError, ledger::units, protection::users, to_micros};

use crate::{
    AppError, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::auth::hash_password,
};

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    /// The account holder's real name, for recusal (empty: the display name is taken, and
    /// compared without its bracketed suffix).
    pub real_name: &'a str,
    /// The holder's ID number (empty: none); only its keyed hash is kept.
    pub id_number: &'a str,
    pub unit: UnitId,
    pub password: &'a str,
    pub must_change_password: bool,
    pub roles: &'a [(Role, UnitId)],
}

/// What `serve` created on an empty database: the three administrators (三员: system,
/// security, audit), each password shown once and not kept.
#[derive(Debug)]
pub struct Bootstrap {
    pub accounts: Vec<BootAccount>,
}

#[derive(Debug)]
pub struct BootAccount {
    pub username: String,
    pub role: Role,
    pub password: String,
}

/// The first steps of a new install, in order, as `serve` prints them and the setup panel
/// shows them (zh, en).
pub const FIRST_STEPS: [(&str, &str); 4] = [
    (
        "系统管理员登录，建立单位树和各用户账号（系统管理 → 单位、账号）",
        "The system administrator signs in and creates the unit tree and the accounts (Administration)",
    ),
    (
        "安全保密管理员登录，为账号授予角色：监督检查室、纪委书记、各单位纪检人员等",
        "The security administrator signs in and grants roles: supervising office, committee head, each unit's inspectors",
    ),
    (
        "监督检查室登录，新建第一个专项工作（专项工作）",
        "The supervising office signs in and creates the first campaign (Campaigns)",
    ),
    ("各单位纪检人员登记线索（登记线索）", "Each unit's inspectors register leads (Register a lead)"),
];

impl Protection<'_> {
    /// Creates a unit (command line and demo loader: recorded as done by the system).
    #[tracing::instrument(name = "protection.create_unit", skip_all)]
    pub async fn create_unit(
        &self,
        code: &str,
        name: &str,
        kind: UnitKind,
        parent: Option<UnitId>,
    ) -> Result<UnitId, AppError> {
        self.protection().create_unit_as(Who::System, code, name, kind, parent).await
    }

    pub(crate) async fn create_unit_as(
        &self,
        who: Who<'_>,
        code: &str,
        name: &str,
        kind: UnitKind,
        parent: Option<UnitId>,
    ) -> Result<UnitId, AppError> {
        let mut e = domain::Invalid::default();
        let code = e.take(UnitCode::parse("code", code));
        let name = e.take(Name::parse("name", name));
        let (Some(code), Some(name)) = (code, name) else {
            return Err(e.into());
        };
        let now = self.now();
        let new = NewUnit { code, name, kind, parent };
        let mut tx = self.db().begin_write().await?;
        let id = units::insert(&mut tx, &new, to_micros(now)).await.map_err(|err| match err {
            StoreError::Unique(_) => AppError::field(FieldError::new(
                "code",
                "taken",
                "单位代码已被使用。",
                "That unit code is already in use.",
            )),
            StoreError::ForeignKey => AppError::field(FieldError::new(
                "parent",
                "unknown_unit",
                "上级单位不存在。",
                "The parent unit does not exist.",
            )),
            other => other.into(),
        })?;
        let after = format!("{} {} {} parent={:?}", new.code, new.name, new.kind, new.parent.map(UnitId::get));
        record(&mut tx, self, now, who, Event::new("unit.create", "unit", id).after(&after)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// Creates an account (command line, demo loader and tests: recorded as done by the system).
    #[tracing::instrument(name = "protection.create_account", skip_all)]
    pub async fn create_account(&self, a: &NewAccount<'_>) -> Result<UserId, AppError> {
        self.protection().create_account_as(Who::System, a).await
    }

    pub(crate) async fn create_account_as(&self, who: Who<'_>, a: &NewAccount<'_>) -> Result<UserId, AppError> {
        let hash = hash_password(a.password)?;
        let instant = self.now();
        let now = to_micros(instant);
        let mut tx = self.db().begin_write().await?;
        let id = users::insert(
            &mut tx,
            &users::NewUser {
                username: a.username,
                display_name: a.display_name,
                unit_id: a.unit,
                password_hash: &hash,
                must_change_password: a.must_change_password,
            },
            now,
        )
        .await
        .map_err(|err| match err {
            StoreError::Unique(_) => AppError::field(FieldError::new(
                "username",
                "taken",
                "用户名已被使用。",
                "That username is already in use.",
            )),
            other => other.into(),
        })?;
        // The account holder as a person (by name and unit), so that leads about them are
        // kept from them whatever roles they are later given.
        let unit_name = units::get(&mut tx, a.unit).await?.map(|u| u.name).ok_or_else(|| {
            AppError::field(FieldError::new("unit_id", "unknown_unit", "单位不存在。", "No such unit."))
        })?;
        let key = self.keyring().person_key_id();
        let mut e = domain::Invalid::default();
        let real = e.take(domain::text::Name::parse_optional("real_name", a.real_name));
        let digest = e.take(domain::protection::person::id_number_digest("id_number", a.id_number));
        let (Some(real), Some(digest)) = (real, digest) else {
            return Err(e.into());
        };
        let real = real.as_ref().map_or(a.display_name, |n| n.as_str());
        let id_hash = digest.map(|d| self.keyring().person_hash(&d));
        let person =
            store::protection::persons::resolve(&mut tx, id_hash.as_deref(), key, real, &unit_name, now).await?;
        users::set_person(&mut tx, id, person).await?;
        // Leads already registered about this person are kept from the new account.
        store::protection::recusals::rematch_user(&mut tx, id).await?;
        for (role, unit) in a.roles {
            users::grant(&mut tx, id, Grant { role: *role, unit: *unit }, now).await?;
        }
        let roles: Vec<String> = a.roles.iter().map(|(r, u)| format!("{r}@{u}")).collect();
        let after = format!("{} ({}) unit={} roles={}", a.username, a.display_name, a.unit, roles.join(","));
        record(&mut tx, self, instant, who, Event::new("account.create", "user", id).after(&after)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    #[tracing::instrument(name = "protection.is_empty", skip_all)]
    pub async fn is_empty(&self) -> Result<bool, AppError> {
        let mut c = self.reader().await?;
        Ok(users::count(&mut c).await? == 0 && units::count(&mut c).await? == 0)
    }

    /// On an empty database, creates the top unit and the three administrators, each with a
    /// random password to change at first sign-in: no one of them can do the others' work.
    #[tracing::instrument(name = "protection.bootstrap_if_empty", skip_all)]
    pub async fn bootstrap_if_empty(&self) -> Result<Option<Bootstrap>, AppError> {
        if !self.protection().is_empty().await? {
            return Ok(None);
        }
        let root = self.protection().create_unit("ROOT", "纪检监察机关", UnitKind::DisciplineCommission, None).await?;
        let mut accounts = Vec::new();
        for (username, display_name, role) in [
            ("sysadmin", "系统管理员", Role::Sysadmin),
            ("secadmin", "安全保密管理员", Role::Secadmin),
            ("auditor", "安全审计员", Role::Auditor),
        ] {
            let password = crate::protection::auth::random_token()[..20].to_owned();
            self.protection()
                .create_account(&NewAccount {
                    username,
                    display_name,
                    unit: root,
                    password: &password,
                    must_change_password: true,
                    real_name: "",
                    id_number: "",
                    roles: &[(role, root)],
                })
                .await?;
            accounts.push(BootAccount { username: username.into(), role, password });
        }
        Ok(Some(Bootstrap { accounts }))
    }
}

/// How far a new install has come through [`FIRST_STEPS`]: each step done or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SetupProgress {
    /// One per first step, in order.
    pub done: Vec<bool>,
}

impl SetupProgress {
    pub fn complete(&self) -> bool {
        self.done.iter().all(|d| *d)
    }
}

impl Protection<'_> {
    /// The first steps and which are done, for the administrators and the supervising office
    /// (`None` for anyone else: they have nothing to set up).
    #[tracing::instrument(name = "protection.setup_progress", skip_all)]
    pub async fn setup_progress(&self, actor: &crate::Actor) -> Result<Option<SetupProgress>, AppError> {
        if ![Role::Sysadmin, Role::Secadmin, Role::Supervisor].iter().any(|r| actor.has_role(*r)) {
            return Ok(None);
        }
        let mut c = self.reader().await?;
        let units = units::count(&mut c).await?;
        let keepers = users::holders_of(&mut c, Role::Inspector).await?;
        let supervisors = users::holders_of(&mut c, Role::Supervisor).await?;
        let campaigns = store::ledger::campaigns::choices(&mut c).await?.len();
        let leads = store::ledger::campaigns::lead_total(&mut c).await?;
        // Accounts beyond the administrators the install came with.
        let mut admins = 0;
        for role in [Role::Sysadmin, Role::Secadmin, Role::Auditor] {
            admins += users::holders_of(&mut c, role).await?;
        }
        let accounts = users::count(&mut c).await? - admins;
        Ok(Some(SetupProgress {
            done: vec![units > 1 && accounts > 0, supervisors > 0 && keepers > 0, campaigns > 0, leads > 0],
        }))
    }
}
