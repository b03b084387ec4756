//! The scoring formula (documented in the README; keep the two in step).

use crate::bank::Difficulty;

/// Share of key points covered, as a whole percentage.
pub fn coverage_percent(covered: &[bool]) -> u32 {
    if covered.is_empty() {
        return 0;
    }
    let hit = covered.iter().filter(|&&c| c).count() as f64;
    (100.0 * hit / covered.len() as f64).round() as u32
}

/// Coverage with the model's opinion: for each key point the larger of the
/// rubric's credit (0 or 1) and the model's (covered 1, partly 0.5, missed
/// 0, and 0 without a quote from the answer), averaged and rounded to a
/// whole percent. The rubric is the floor: the model can add credit, never
/// take it away, and adds none when the guard withheld it.
pub fn combined_coverage(rubric: &[bool], opinion: &super::Opinion) -> u32 {
    if rubric.is_empty() {
        return 0;
    }
    if opinion.withheld.is_some() || opinion.points.len() != rubric.len() {
        return coverage_percent(rubric);
    }
    let sum: f64 = rubric
        .iter()
        .zip(&opinion.points)
        .map(|(&r, p)| if r { 1.0 } else { p.credit() })
        .sum();
    (100.0 * sum / rubric.len() as f64).round() as u32
}

/// A 1-5 rating on the 0-100 scale: 1 → 0, 2 → 25, ... 5 → 100.
pub fn rating_percent(rating: u8) -> f64 {
    f64::from(rating.clamp(1, 5) - 1) * 25.0
}

fn minus_hints(score: f64, hints: u32, penalty: u32) -> u32 {
    (score.round() - f64::from(hints * penalty)).max(0.0) as u32
}

/// Solo: half self rating, half coverage; coverage alone without a rating.
pub fn solo_score(coverage: u32, self_rating: Option<u8>, hints: u32, penalty: u32) -> u32 {
    let base = match self_rating {
        Some(r) => 0.5 * rating_percent(r) + 0.5 * f64::from(coverage),
        None => f64::from(coverage),
    };
    minus_hints(base, hints, penalty)
}

/// Panel: the mean of every interviewer's every dimension, on 0-100.
/// None when nobody scored.
pub fn panel_score(ratings: &[u8], hints: u32, penalty: u32) -> Option<u32> {
    if ratings.is_empty() {
        return None;
    }
    let mean = ratings.iter().map(|&r| rating_percent(r)).sum::<f64>() / ratings.len() as f64;
    Some(minus_hints(mean, hints, penalty))
}

/// Leaderboard points: the score as a share of the difficulty's weight.
pub fn points(score: u32, difficulty: Difficulty) -> f64 {
    (f64::from(score) / 100.0 * f64::from(difficulty.weight()) * 100.0).round() / 100.0
}

/// An average score as shown everywhere: `73/100`, or `-` with none.
pub fn average_text(avg: Option<f64>) -> String {
    avg.map(|a| format!("{a:.0}/100"))
        .unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solo_score_is_half_rating_half_coverage_minus_hints() {
        // rating 4 → 75; coverage 50 → round(37.5 + 25) = 63 (62.5 rounds up); one hint → 53
        assert_eq!(solo_score(50, Some(4), 1, 10), 53);
        assert_eq!(solo_score(67, None, 0, 10), 67);
        assert_eq!(solo_score(10, None, 3, 10), 0, "never below zero");
    }

    #[test]
    fn panel_score_is_the_mean_rating_mapped_to_100() {
        // 100, 50, 75, 75, 25, 50 → mean 62.5 → 63
        assert_eq!(panel_score(&[5, 3, 4, 4, 2, 3], 0, 10), Some(63));
        assert_eq!(panel_score(&[], 0, 10), None);
    }

    #[test]
    fn the_model_adds_credit_above_the_rubric_and_never_takes_any() {
        use crate::interview::{Judgement, Opinion, PointOpinion, Withheld};
        let point = |judgement, quoted| PointOpinion {
            judgement,
            reason: String::new(),
            quote: String::new(),
            quoted,
        };
        let mut o = Opinion {
            model: "m".into(),
            points: vec![
                point(Judgement::Missed, true),
                point(Judgement::Partly, true),
                point(Judgement::Covered, true),
                point(Judgement::Covered, false),
            ],
            feedback: String::new(),
            follow_up: String::new(),
            withheld: None,
            counted: true,
        };
        // rubric: covered, missed, missed, missed → 1 + 0.5 + 1 + 0 = 2.5 of 4
        let rubric = [true, false, false, false];
        assert_eq!(combined_coverage(&rubric, &o), 63);
        o.withheld = Some(Withheld::TooShort);
        assert_eq!(combined_coverage(&rubric, &o), 25);
    }

    #[test]
    fn points_scale_with_difficulty() {
        assert_eq!(points(80, Difficulty::Easy), 0.8);
        assert_eq!(points(80, Difficulty::Hard), 2.4);
    }
}
