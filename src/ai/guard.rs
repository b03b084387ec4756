//! The gibberish guard: an answer that is empty, very short or shares no
//! words with its question never gets model credit beyond the rubric's.
//! Model graders are known to praise such answers (a 7/10 for "fine").

use crate::bank::Question;
use crate::interview::Withheld;

/// Fewer words than this is too short to judge.
pub const MIN_WORDS: usize = 5;

/// Why the model's credit is withheld for `answer`, if it is.
pub fn check(question: &Question, answer: &str) -> Option<Withheld> {
    let words = answer.split_whitespace().count();
    if words == 0 {
        return Some(Withheld::Empty);
    }
    if words < MIN_WORDS {
        return Some(Withheld::TooShort);
    }
    let mut vocabulary = String::new();
    vocabulary.push_str(&question.prompt);
    vocabulary.push('\n');
    vocabulary.push_str(&question.model_answer);
    for k in &question.key_points {
        vocabulary.push('\n');
        vocabulary.push_str(&k.point);
        for w in &k.keywords {
            vocabulary.push('\n');
            vocabulary.push_str(w);
        }
    }
    let known = crate::grading::content_stems(&vocabulary);
    let shared = crate::grading::content_stems(answer)
        .iter()
        .any(|s| known.contains(s));
    (!shared).then_some(Withheld::OffTopic)
}
