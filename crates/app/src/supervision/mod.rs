//! Supervision use cases: listed supervision and follow-up orders, moves of jurisdiction,
//! ownership (包案), guidance visits, collective study meetings, the clearance board.

mod board;
mod handling;
mod ownership;

pub use board::{BOARD_PAGE, Board, BoardRow, Source as BoardSource};
pub use handling::OrderView;
pub use ownership::OwnershipView;

crate::facade!(
    /// Supervision's use cases: `app.supervision()`.
    Supervision,
    supervision
);
