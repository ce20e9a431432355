//! The satisfaction follow-up (满意度回访) and the satisfaction rate the bulletins rank units on
//! (seed 一(四): 群众满意度明显提升).

use crate::labelled_enum;

labelled_enum!(
    /// What the reporter said at the follow-up.
    Satisfaction {
        Satisfied = ("satisfied", "满意", "Satisfied"),
        BasicallySatisfied = ("basically_satisfied", "基本满意", "Basically satisfied"),
        Unsatisfied = ("unsatisfied", "不满意", "Unsatisfied"),
    }
);

impl Satisfaction {
    /// Whether it counts towards the rate (满意 and 基本满意 do).
    pub const fn counts(self) -> bool {
        matches!(self, Satisfaction::Satisfied | Satisfaction::BasicallySatisfied)
    }
}

/// The satisfaction rate: satisfied and basically satisfied over those followed up, in tenths of
/// a percent (rounded half up); `None` when nobody was followed up (no rate, rather than 0%).
pub fn rate_permille(answers: &[Satisfaction]) -> Option<u32> {
    let counted = answers.iter().filter(|a| a.counts()).count() as u64;
    rate_of(counted, answers.len() as u64)
}

/// The rate from counts: `counted` (满意 and 基本满意) of `total` followed up.
pub fn rate_of(counted: u64, total: u64) -> Option<u32> {
    if total == 0 {
        return None;
    }
    Some(((counted.min(total) * 2000 + total) / (total * 2)) as u32)
}

/// A rate as the pages show it: `87.5%`, or `—` without one.
pub fn format_rate(permille: Option<u32>) -> String {
    permille.map_or_else(|| "—".to_owned(), |p| format!("{}.{}%", p / 10, p % 10))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Satisfaction as S;

    #[test]
    fn the_rate_counts_satisfied_and_basically_satisfied_over_those_followed_up() {
        assert_eq!(rate_permille(&[]), None, "no follow-up, no rate");
        assert_eq!(format_rate(None), "—");
        let answers = [S::Satisfied, S::BasicallySatisfied, S::Unsatisfied];
        assert_eq!(rate_permille(&answers), Some(667), "2 of 3, rounded half up");
        assert_eq!(format_rate(rate_permille(&answers)), "66.7%");
        assert_eq!(rate_permille(&[S::Satisfied; 8]), Some(1000));
        let mut seven_of_eight = vec![S::Satisfied; 7];
        seven_of_eight.push(S::Unsatisfied);
        assert_eq!(format_rate(rate_permille(&seven_of_eight)), "87.5%");
        assert_eq!(rate_permille(&[S::Unsatisfied]), Some(0));
        assert_eq!((rate_of(7, 8), rate_of(0, 0)), (Some(875), None), "the same from counts");
    }
}
