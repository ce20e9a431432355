//! One mapping from failures to HTTP: [`Problem::from`] decides status, stable code and
//! wording; the API renders it as JSON and pages render it as HTML.

use app::AppError;
use askama::Template;
use axum::{
    Json,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::FieldError;

use crate::{context::RequestContext, i18n};

#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub fields: Vec<FieldError>,
    pub current_version: Option<i64>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Self {
        Self { status, code, zh: zh.into(), en: en.into(), fields: Vec::new(), current_version: None }
    }

    pub fn malformed(detail: &str) -> Self {
        let mut p = Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "请求格式不正确，无法解析。",
            "The request could not be parsed.",
        );
        p.en = format!("The request could not be parsed: {detail}");
        p
    }

    pub fn csrf() -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "页面已过期或请求来源无法验证，请刷新页面后重试。",
            "The page has expired or the request could not be verified; reload the page and try again.",
        )
    }

    pub fn too_large() -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "提交的内容过大。",
            "The submitted content is too large.",
        )
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(i) => {
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_input",
                    "提交的内容有误，请按提示修改。",
                    "Some fields need correcting; see the messages.",
                );
                p.fields = i.0;
                p
            }
            AppError::Unauthenticated => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "用户名或密码错误，或登录已过期，请重新登录。",
                "Wrong username or password, or the session has expired; sign in again.",
            ),
            AppError::Forbidden => Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "您的角色无权进行此操作。",
                "Your role does not allow this.",
            ),
            AppError::Throttled => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "登录失败次数过多，请 15 分钟后再试，或联系安全保密管理员解锁。",
                "Too many failed sign-ins; try again in 15 minutes or ask the security administrator to unlock.",
            ),
            AppError::PasswordChangeRequired => Problem::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "请先修改初始密码（或重置后的密码）。",
                "Change your initial (or reset) password first.",
            ),
            AppError::NotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "未找到该记录，或您无权查看。",
                "Not found, or not visible to you.",
            ),
            AppError::Stale { current_version } => {
                let mut p = Problem::new(
                    StatusCode::CONFLICT,
                    "stale_version",
                    "该线索已被他人修改，您的修改未保存。",
                    "Someone else changed this lead; your change was not saved.",
                );
                p.current_version = Some(current_version);
                p
            }
            AppError::Conflict => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "conflict",
                "系统繁忙，请稍后重试。",
                "The system is busy; try again shortly.",
            ),
            AppError::Internal(e) => {
                // The whole chain of causes goes to the log, with the request id; none of it
                // goes to the client.
                let mut chain = e.to_string();
                let mut cause = e.source();
                while let Some(c) = cause {
                    chain.push_str(": ");
                    chain.push_str(&c.to_string());
                    cause = c.source();
                }
                tracing::error!(request_id = %RequestContext::current().request_id, error = %chain, "internal error");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "系统内部错误，请记下请求编号并联系管理员。",
                    "Internal error; note the request id and contact the administrator.",
                )
            }
        }
    }
}

/// A failure answered as JSON: `{code, message, message_en, fields, request_id}`.
pub struct ApiError(pub Problem);

impl<E: Into<Problem>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

/// The JSON body of every API error.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// Stable: `invalid_input`, `malformed_request`, `unauthenticated`, `forbidden`,
    /// `not_found`, `stale_version`, `conflict`, `payload_too_large`, `internal`,
    /// `throttled`, `password_change_required`, `csrf_failed`.
    code: &'static str,
    /// In Chinese.
    message: String,
    message_en: String,
    /// What is wrong with each field (`invalid_input`).
    fields: Vec<FieldErrorBody>,
    /// Quote it when reporting a problem.
    request_id: String,
    /// With `stale_version`: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorBody {
    field: String,
    code: String,
    message: String,
    message_en: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let p = self.0;
        let body = ErrorBody {
            code: p.code,
            message: p.zh,
            message_en: p.en,
            fields: p
                .fields
                .into_iter()
                .map(|f| FieldErrorBody {
                    field: f.field.to_string(),
                    code: f.code.to_string(),
                    message: f.message_zh,
                    message_en: f.message_en,
                })
                .collect(),
            request_id: RequestContext::current().request_id,
            current_version: p.current_version,
        };
        (p.status, Json(body)).into_response()
    }
}

/// A failure answered as an HTML page (or, when not signed in, a trip to the login page).
pub struct PageError(pub Problem);

impl<E: Into<Problem>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'static i18n::Texts,
    status: u16,
    message: &'a str,
    request_id: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let p = self.0;
        if p.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let ctx = RequestContext::current();
        let page = ErrorPage {
            t: i18n::texts(ctx.english),
            status: p.status.as_u16(),
            message: if ctx.english { &p.en } else { &p.zh },
            request_id: &ctx.request_id,
        };
        match page.render() {
            Ok(html) => (p.status, Html(html)).into_response(),
            Err(_) => (p.status, format!("{} ({})", p.en, ctx.request_id)).into_response(),
        }
    }
}
