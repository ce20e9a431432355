//! Closed vocabularies with a stable code, a Chinese label and an English label.

/// Defines an enum whose variants carry `code` (stored and used in URLs and JSON),
/// `zh` and `en` labels, plus `ALL` and `parse`.
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = ($code:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub const fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            pub const fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            /// Takes `bool` or `&bool` (templates pass references).
            pub fn label(self, english: impl std::borrow::Borrow<bool>) -> &'static str {
                if *english.borrow() { self.en() } else { self.zh() }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            /// Parses a submitted code; the error names the field and lists nothing secret.
            pub fn parse(field: &str, code: &str) -> Result<Self, $crate::FieldError> {
                let code = code.trim();
                if code.is_empty() {
                    return Err($crate::FieldError::required(field));
                }
                Self::from_code(code).ok_or_else(|| $crate::FieldError::new(
                    field,
                    "unknown_value",
                    "不是可选的值，请从列表中选择。",
                    "Not one of the allowed values; choose one from the list.",
                ))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::from_code(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown value {s:?}")))
            }
        }

        /// The codes, with their Chinese and English labels in the description.
        impl $crate::__utoipa::PartialSchema for $name {
            fn schema() -> $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::schema::Schema> {
                use $crate::__utoipa::openapi::{ObjectBuilder, schema::Type};
                let labels: &[&str] = &[$(concat!("`", $code, "` ", $zh, " / ", $en)),+];
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([$($code),+]))
                    .description(Some(labels.join("; ")))
                    .into()
            }
        }

        impl $crate::__utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
