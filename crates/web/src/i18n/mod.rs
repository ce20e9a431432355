//! The interface's words, Chinese first, with English behind the switch on every page.
//! Structs rather than string keys, so a template naming a missing text fails to compile; one
//! struct per concept (`t.ledger.number`), the words every page shares at the root (`t.save`).

/// Declares a set of texts with a Chinese and an English instance.
macro_rules! texts {
    ($(#[$meta:meta])* $name:ident { $($key:ident: $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        pub struct $name { $(pub $key: &'static str,)+ }
        impl $name {
            pub const ZH: $name = $name { $($key: $zh,)+ };
            pub const EN: $name = $name { $($key: $en,)+ };
        }
    };
}

mod common;
mod ledger;
pub mod lifecycle;
mod oversight;
mod protection;
mod relations;
mod reporters;
mod reporting;
mod supervision;

pub use common::Common;

/// Every text of the interface in one language.
pub struct Texts {
    pub lang: &'static str,
    pub english: bool,
    pub common: Common,
    pub ledger: ledger::LedgerTexts,
    pub lifecycle: lifecycle::LifecycleTexts,
    pub supervision: supervision::SupervisionTexts,
    pub protection: protection::ProtectionTexts,
    pub reporters: reporters::ReportersTexts,
    pub portal: reporters::PortalTexts,
    pub relations: relations::RelationsTexts,
    pub oversight: oversight::OversightTexts,
    pub reporting: reporting::ReportingTexts,
}

/// The shared words read as `t.save` rather than `t.common.save`.
impl std::ops::Deref for Texts {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.common
    }
}

macro_rules! language {
    ($name:ident, $lang:literal, $english:literal, $which:ident) => {
        pub static $name: Texts = Texts {
            lang: $lang,
            english: $english,
            common: Common::$which,
            ledger: ledger::LedgerTexts::$which,
            lifecycle: lifecycle::LifecycleTexts::$which,
            supervision: supervision::SupervisionTexts::$which,
            protection: protection::ProtectionTexts::$which,
            reporters: reporters::ReportersTexts::$which,
            portal: reporters::PortalTexts::$which,
            relations: relations::RelationsTexts::$which,
            oversight: oversight::OversightTexts::$which,
            reporting: reporting::ReportingTexts::$which,
        };
    };
}

language!(ZH, "zh-CN", false, ZH);
language!(EN, "en", true, EN);

pub fn texts(english: bool) -> &'static Texts {
    if english { &EN } else { &ZH }
}
