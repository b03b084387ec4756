//! A panel interviewer's scorecard as typed into a form: the rating range
//! lives here, with the engine, not in a front end.

use super::types::{Scorecard, UserId};

impl Scorecard {
    /// The card typed into a form (three 1-5 ratings and an optional note),
    /// or what to fix, saying the note back so a typo in a rating loses
    /// nothing.
    pub fn parse(interviewer: UserId, values: [String; 4]) -> Result<Scorecard, String> {
        let [t, c, p, note] = values;
        let mut problems = Vec::new();
        let mut rating = |text: &str, label: &str| match text.trim().parse::<u8>() {
            Ok(r) if (1..=5).contains(&r) => r,
            _ => {
                problems.push(format!(
                    "{label} must be a whole number from 1 to 5 (you typed “{}”).",
                    text.trim().chars().take(20).collect::<String>()
                ));
                0
            }
        };
        let technical = rating(&t, "Technical accuracy");
        let communication = rating(&c, "Communication");
        let problem_solving = rating(&p, "Problem solving");
        let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
        if !problems.is_empty() {
            let mut text = format!(
                "Nothing was saved. {} Press Score again.",
                problems.join(" ")
            );
            if let Some(n) = &note {
                text.push_str(&format!("\nYour note, to paste back: {n}"));
            }
            return Err(text);
        }
        Ok(Scorecard {
            interviewer,
            technical,
            communication,
            problem_solving,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &str, c: &str, p: &str, note: &str) -> [String; 4] {
        [t, c, p, note].map(str::to_string)
    }

    #[test]
    fn a_scorecard_takes_three_ratings_from_one_to_five_and_an_optional_note() {
        let card = Scorecard::parse(UserId(7), values("4", " 3 ", "5", "  ")).expect("valid");
        assert_eq!(
            (card.technical, card.communication, card.problem_solving),
            (4, 3, 5)
        );
        assert_eq!(card.note, None);
        let card =
            Scorecard::parse(UserId(7), values("1", "1", "1", "Talk slower")).expect("valid");
        assert_eq!(card.note.as_deref(), Some("Talk slower"));
    }

    #[test]
    fn a_bad_rating_says_which_and_gives_the_note_back() {
        let err = Scorecard::parse(UserId(7), values("6", "x", "3", "Good use of examples"))
            .expect_err("refused");
        assert!(err.contains("Technical accuracy must be"), "{err}");
        assert!(err.contains("Communication must be"), "{err}");
        assert!(!err.contains("Problem solving must"), "{err}");
        assert!(err.contains("Good use of examples"), "{err}");
        assert!(err.starts_with("Nothing was saved"), "{err}");
    }
}
