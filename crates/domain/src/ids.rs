//! Typed identifiers: a `LeadId` can never be passed where a `UnitId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a database key. Only the store should call this.
            pub const fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse::<i64>().map(Self)
            }
        }
    };
}

id_type!(UnitId);
id_type!(LeadId);
id_type!(UserId);
id_type!(CampaignId);
id_type!(ImportId);
