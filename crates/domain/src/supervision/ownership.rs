//! Leadership ownership (包案, seed 二(三)).

use crate::labelled_enum;

labelled_enum!(
    /// Why a lead is owned by a leadership member (seed 二(三)).
    KeyKind {
        Key = ("key", "重点案件", "Key case"),
        Difficult = ("difficult", "难点案件", "Difficult case"),
        Hot = ("hot", "焦点案件", "Case of public concern"),
    }
);
