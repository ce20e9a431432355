//! The three administrators (三员分立): the system administrator runs units and accounts,
//! the security administrator grants roles, unlocks and resets, the auditor reads the trail.
//! None of them reads lead content; none can do another's job.

use super::Protection;
use domain::{
    FieldError, UnitId, UserId, ledger::unit::UnitKind, protection::password::Password, protection::role::Grant,
    protection::role::Role,
};
use serde::Serialize;
use store::{StoreError, ledger::units, protection::sessions, protection::users, to_micros};

use crate::{
    Actor, AppError, NewAccount, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::auth::hash_password, protection::auth::random_token,
};

/// Runs units and accounts. Only [`Actor::unit_admin`] makes one.
pub struct UnitAdmin {
    actor: Actor,
}

/// Grants roles, unlocks and resets. Only [`Actor::grant_admin`] makes one.
pub struct GrantAdmin {
    actor: Actor,
}

impl Actor {
    pub fn unit_admin(&self) -> Result<UnitAdmin, AppError> {
        if self.has_role(Role::Sysadmin) { Ok(UnitAdmin { actor: self.clone() }) } else { Err(AppError::Forbidden) }
    }
    pub fn grant_admin(&self) -> Result<GrantAdmin, AppError> {
        if self.has_role(Role::Secadmin) { Ok(GrantAdmin { actor: self.clone() }) } else { Err(AppError::Forbidden) }
    }
}

/// A new account as the system administrator types it.
#[derive(Debug, Clone, Copy)]
pub struct AccountRequest<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    /// The holder's real name (empty: the display name), linking the account to a person
    /// for recusal.
    pub real_name: &'a str,
    /// The holder's ID number (optional); only its keyed hash is kept.
    pub id_number: &'a str,
    pub unit: &'a str,
    pub initial_password: &'a str,
}

/// An account as administrators see it: no password material.
#[derive(Debug, Clone, Serialize)]
pub struct AccountRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub unit_name: String,
    pub grants: Vec<(Role, UnitId, String)>,
    /// Held back from at least one address after failed sign-ins.
    pub locked: bool,
    /// Failed sign-ins in the last quarter hour, over all addresses.
    pub failed_sign_ins: i64,
    pub must_change_password: bool,
}

impl Protection<'_> {
    #[tracing::instrument(name = "protection.admin_accounts", skip_all)]
    pub async fn admin_accounts(&self, actor: &Actor) -> Result<Vec<AccountRow>, AppError> {
        if actor.unit_admin().is_err() && actor.grant_admin().is_err() {
            return Err(AppError::Forbidden);
        }
        let now = to_micros(self.now());
        let mut c = self.reader().await?;
        let all_units = units::list(&mut c).await?;
        let name_of = |id: UnitId| {
            all_units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .ok_or_else(|| AppError::internal(format!("unit {id} is referred to but missing")))
        };
        let window = to_micros(self.now() - domain::protection::throttle::LONGEST_LOCK);
        let attempts = store::protection::throttle::summary(&mut c, window, now).await?;
        let mut rows = Vec::new();
        for u in users::list(&mut c).await? {
            let name = domain::protection::throttle::counted_name(&u.username);
            let (failed_sign_ins, held) =
                attempts.iter().find(|(n, _, _)| *n == name).map_or((0, false), |(_, f, h)| (*f, *h));
            let grants = users::grants(&mut c, u.id)
                .await?
                .into_iter()
                .map(|g| Ok((g.role, g.unit, name_of(g.unit)?)))
                .collect::<Result<_, AppError>>()?;
            rows.push(AccountRow {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                unit_name: name_of(u.unit_id)?,
                grants,
                locked: held,
                failed_sign_ins,
                must_change_password: u.must_change_password,
            });
        }
        Ok(rows)
    }

    #[tracing::instrument(name = "protection.admin_create_unit", skip_all)]
    pub async fn admin_create_unit(
        &self,
        cap: &UnitAdmin,
        code: &str,
        name: &str,
        kind: &str,
        parent: &str,
    ) -> Result<UnitId, AppError> {
        let kind = UnitKind::parse("kind", kind).map_err(AppError::field)?;
        let parent = match parent.trim() {
            "" => None,
            p => Some(p.parse::<UnitId>().map_err(|_| {
                AppError::field(FieldError::new(
                    "parent",
                    "unknown_unit",
                    "上级单位不存在。",
                    "The parent unit does not exist.",
                ))
            })?),
        };
        self.protection().create_unit_as(Who::User(&cap.actor), code, name, kind, parent).await
    }

    /// Creates an account with an initial password the user must change; roles come from
    /// the security administrator.
    #[tracing::instrument(name = "protection.admin_create_account", skip_all)]
    pub async fn admin_create_account(&self, cap: &UnitAdmin, a: &AccountRequest<'_>) -> Result<UserId, AppError> {
        let AccountRequest { username, display_name, real_name, id_number, unit, initial_password } = *a;
        let mut e = domain::Invalid::default();
        let username_ok = e.take(domain::text::Text::<40>::parse("username", username).and_then(|u| {
            if u.as_str().chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
                Ok(u)
            } else {
                Err(FieldError::new(
                    "username",
                    "invalid",
                    "用户名只能包含字母、数字和 . _ -。",
                    "A username may hold letters, digits and . _ - only.",
                ))
            }
        }));
        let display = e.take(domain::text::Name::parse("display_name", display_name));
        let unit = e.take(
            unit.trim()
                .parse::<UnitId>()
                .map_err(|_| FieldError::new("unit_id", "unknown_unit", "请选择单位。", "Choose a unit.")),
        );
        let password = e.take(Password::parse(username, initial_password));
        let (Some(username), Some(display), Some(unit), Some(password)) = (username_ok, display, unit, password) else {
            return Err(e.into());
        };
        {
            let mut c = self.reader().await?;
            if units::get(&mut c, unit).await?.is_none() {
                return Err(AppError::field(FieldError::new(
                    "unit_id",
                    "unknown_unit",
                    "单位不存在。",
                    "No such unit.",
                )));
            }
        }
        self.protection()
            .create_account_as(
                Who::User(&cap.actor),
                &NewAccount {
                    username: username.as_str(),
                    display_name: display.as_str(),
                    unit,
                    password: password.expose(),
                    must_change_password: true,
                    real_name,
                    id_number,
                    roles: &[],
                },
            )
            .await
    }

    /// Grants `role` over `unit`'s subtree. A security administrator cannot change their
    /// own grants, so no one person can give themselves new powers.
    #[tracing::instrument(name = "protection.admin_grant", skip_all)]
    pub async fn admin_grant(&self, cap: &GrantAdmin, user: UserId, role: &str, unit: &str) -> Result<(), AppError> {
        let g = self.parse_grant(cap, user, role, unit)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        let held: Vec<Role> = users::grants(&mut tx, user).await?.into_iter().map(|g| g.role).collect();
        let admin = |r: Role| matches!(r, Role::Sysadmin | Role::Secadmin | Role::Auditor);
        if (admin(g.role) && held.iter().any(|r| *r != g.role)) || (!admin(g.role) && held.iter().any(|r| admin(*r))) {
            return Err(AppError::field(FieldError::new(
                "role",
                "separation_of_duties",
                "三员分立：管理员角色不能与其他角色由同一账号兼任。",
                "Separation of duties: an administrator role cannot be held together with any other role.",
            )));
        }
        units::get(&mut tx, g.unit).await?.ok_or_else(|| {
            AppError::field(FieldError::new("unit_id", "unknown_unit", "单位不存在。", "No such unit."))
        })?;
        users::grant(&mut tx, user, g, to_micros(now)).await.map_err(|e| match e {
            StoreError::Unique(_) => {
                AppError::field(FieldError::new("role", "exists", "该授权已存在。", "That grant exists already."))
            }
            other => other.into(),
        })?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&cap.actor),
            Event::new("grant.add", "user", user).after(&format!("{}@{}", g.role, g.unit)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    #[tracing::instrument(name = "protection.admin_revoke", skip_all)]
    pub async fn admin_revoke(&self, cap: &GrantAdmin, user: UserId, role: &str, unit: &str) -> Result<(), AppError> {
        let g = self.parse_grant(cap, user, role, unit)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        if users::revoke_grant(&mut tx, user, g).await? == 0 {
            return Err(AppError::NotFound);
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&cap.actor),
            Event::new("grant.remove", "user", user).before(&format!("{}@{}", g.role, g.unit)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    fn parse_grant(&self, cap: &GrantAdmin, user: UserId, role: &str, unit: &str) -> Result<Grant, AppError> {
        if user == cap.actor.id {
            return Err(AppError::field(FieldError::new(
                "user",
                "own_account",
                "不能更改自己的授权。",
                "You cannot change your own grants.",
            )));
        }
        let role = Role::parse("role", role).map_err(AppError::field)?;
        let unit = unit.trim().parse::<UnitId>().map_err(|_| {
            AppError::field(FieldError::new("unit_id", "unknown_unit", "请选择单位。", "Choose a unit."))
        })?;
        Ok(Grant { role, unit })
    }

    #[tracing::instrument(name = "protection.admin_unlock", skip_all)]
    pub async fn admin_unlock(&self, cap: &GrantAdmin, user: UserId) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let u = users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        store::protection::throttle::clear_name(&mut tx, &domain::protection::throttle::counted_name(&u.username))
            .await?;
        record(&mut tx, self, now, Who::User(&cap.actor), Event::new("account.unlock", "user", user)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Sets a random temporary password (returned once), ends the account's sessions, and
    /// makes the user change it at next sign-in.
    #[tracing::instrument(name = "protection.admin_reset_password", skip_all)]
    pub async fn admin_reset_password(&self, cap: &GrantAdmin, user: UserId) -> Result<String, AppError> {
        if user == cap.actor.id {
            return Err(AppError::field(FieldError::new(
                "user",
                "own_account",
                "请在“我的账户”中修改自己的密码。",
                "Change your own password under My account.",
            )));
        }
        let temp = format!("Ql-{}", &random_token()[..16]);
        let hash = hash_password(&temp)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let u = users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        users::set_password(&mut tx, user, &hash, true).await?;
        // A new password starts with a clean slate at every address.
        store::protection::throttle::clear_name(&mut tx, &domain::protection::throttle::counted_name(&u.username))
            .await?;
        sessions::delete_for_user(&mut tx, user).await?;
        store::protection::tokens::revoke_all(&mut tx, user, to_micros(now)).await?;
        // The second factor goes too: the person may have lost the device.
        users::set_totp_secret(&mut tx, user, None).await?;
        record(&mut tx, self, now, Who::User(&cap.actor), Event::new("account.password_reset", "user", user)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(temp)
    }
}
