//! Numbers people and settings choose, each a type that checks its own
//! range, so a range is written once and every front end and the settings
//! refuse the same values with the same words.
//!
//! The ranges follow what a person can ask for on Discord (`/interview start`
//! questions 1-20 and minutes 1-60, `/panel create` questions 1-10), so a
//! setting never gives an interview something nobody could have asked for.

use std::fmt;
use std::str::FromStr;

/// Why a value was refused; the text completes "<flag or setting> ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("must be {range}, not {given}")]
    OutOfRange { range: String, given: String },
    #[error("must be {range}; {given:?} is not a number")]
    NotANumber { range: String, given: String },
}

/// A whole-number limit: `new` checks the range, `parse` reads text first.
macro_rules! whole_limit {
    ($(#[$doc:meta])* $name:ident($int:ty), $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($int);

        impl $name {
            pub const MIN: $int = $min;
            pub const MAX: $int = $max;

            pub fn new(value: $int) -> Result<$name, LimitError> {
                if (Self::MIN..=Self::MAX).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(LimitError::OutOfRange {
                        range: Self::range(),
                        given: value.to_string(),
                    })
                }
            }

            pub fn parse(text: &str) -> Result<$name, LimitError> {
                let text = text.trim();
                // A whole number too large for the type is still a number
                // out of range, not "not a number".
                if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                    return text.parse::<$int>().map_err(|_| LimitError::OutOfRange {
                        range: Self::range(),
                        given: text.to_string(),
                    }).and_then(Self::new);
                }
                match text.parse::<i128>() {
                    Ok(_) => Err(LimitError::OutOfRange {
                        range: Self::range(),
                        given: text.to_string(),
                    }),
                    Err(_) => Err(LimitError::NotANumber {
                        range: Self::range(),
                        given: text.to_string(),
                    }),
                }
            }

            pub fn get(self) -> $int {
                self.0
            }

            pub fn range() -> String {
                format!("a whole number from {} to {}", Self::MIN, Self::MAX)
            }
        }

        impl TryFrom<$int> for $name {
            type Error = LimitError;
            fn try_from(value: $int) -> Result<$name, LimitError> {
                $name::new(value)
            }
        }

        impl FromStr for $name {
            type Err = LimitError;
            fn from_str(text: &str) -> Result<$name, LimitError> {
                $name::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// A limit in fractions allowed: finite, and within the range.
macro_rules! fraction_limit {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $unit:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(f64);

        impl $name {
            pub const MIN: f64 = $min;
            pub const MAX: f64 = $max;

            pub fn new(value: f64) -> Result<$name, LimitError> {
                // NaN is in no range, so it is refused here too.
                if (Self::MIN..=Self::MAX).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(LimitError::OutOfRange {
                        range: Self::range(),
                        given: value.to_string(),
                    })
                }
            }

            pub fn parse(text: &str) -> Result<$name, LimitError> {
                let text = text.trim();
                let value = text.parse::<f64>().map_err(|_| LimitError::NotANumber {
                    range: Self::range(),
                    given: text.to_string(),
                })?;
                Self::new(value)
            }

            pub fn get(self) -> f64 {
                self.0
            }

            pub fn range() -> String {
                format!("{} to {} {} (fractions allowed)", Self::MIN, Self::MAX, $unit)
            }
        }

        impl TryFrom<f64> for $name {
            type Error = LimitError;
            fn try_from(value: f64) -> Result<$name, LimitError> {
                $name::new(value)
            }
        }

        impl FromStr for $name {
            type Err = LimitError;
            fn from_str(text: &str) -> Result<$name, LimitError> {
                $name::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

whole_limit!(
    /// Questions in a solo interview (`/interview start`, `practice`).
    QuestionCount(usize),
    1,
    20
);

whole_limit!(
    /// Questions per candidate in a panel (`/panel create`).
    PanelQuestionCount(usize),
    1,
    10
);

whole_limit!(
    /// Seconds to rate an answer, and for panel interviewers to score after
    /// the deadline: at most an hour, the longest question time.
    RatingWindowSeconds(u64),
    1,
    3600
);

whole_limit!(
    /// Points taken off a question's 0-100 score for each hint.
    HintPenalty(u32),
    0,
    100
);

fraction_limit!(
    /// Minutes per question for questions without a limit of their own.
    MinutesPerQuestion,
    1.0,
    60.0,
    "minutes"
);

fraction_limit!(
    /// Seconds for every question, overriding their own limits (quick
    /// drills and scripts); at most the longest minutes allowed.
    QuestionSeconds,
    0.1,
    3600.0,
    "seconds"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_in_range_are_taken_and_the_rest_say_the_range() {
        assert_eq!(QuestionCount::parse(" 20 ").map(QuestionCount::get), Ok(20));
        assert_eq!(
            QuestionCount::new(0).unwrap_err().to_string(),
            "must be a whole number from 1 to 20, not 0"
        );
        assert_eq!(
            QuestionCount::parse("-3").unwrap_err().to_string(),
            "must be a whole number from 1 to 20, not -3"
        );
        assert_eq!(
            QuestionCount::parse("99999999999999999999999").unwrap_err(),
            LimitError::OutOfRange {
                range: QuestionCount::range(),
                given: "99999999999999999999999".into()
            }
        );
        assert_eq!(
            QuestionCount::parse("many").unwrap_err().to_string(),
            "must be a whole number from 1 to 20; \"many\" is not a number"
        );
        assert!(PanelQuestionCount::new(11).is_err());
        assert!(HintPenalty::new(0).is_ok());
        assert!(RatingWindowSeconds::new(0).is_err());
    }

    #[test]
    fn fractions_in_range_are_taken_and_nan_or_infinity_never() {
        assert_eq!(MinutesPerQuestion::parse("2.5").map(|m| m.get()), Ok(2.5));
        for bad in ["0.5", "61", "NaN", "inf", "-1", "1200000"] {
            let err = MinutesPerQuestion::parse(bad).unwrap_err().to_string();
            assert!(err.contains("1 to 60 minutes"), "{bad}: {err}");
        }
        assert_eq!(
            QuestionSeconds::parse("soon").unwrap_err().to_string(),
            "must be 0.1 to 3600 seconds (fractions allowed); \"soon\" is not a number"
        );
    }
}
