//! What the runner tells the coach during a run: an [`crate::event::EventKind::Answer`] in the
//! session's stream, from a key on the terminal, a view's button, or `replay --answer` (see
//! [`crate::session::run_with`]). The warm-up check (has the soreness eased as you warmed up?)
//! is the one question so far; [`super::plan`] says what each answer does.

use crate::checkins::rules::Moving;

/// One answer from the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// How the soreness behaves now that the runner is warm.
    Soreness(Moving),
}

impl Answer {
    /// Every answer to the warm-up check, in the order they are offered.
    pub const ALL: [Answer; 3] = [
        Answer::Soreness(Moving::Easing),
        Answer::Soreness(Moving::Same),
        Answer::Soreness(Moving::Worse),
    ];

    /// The answer's name, as the runner gives it and JSON and recordings write it: `eased`,
    /// `same`, `worse`.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Soreness(Moving::Easing) => "eased",
            Answer::Soreness(Moving::Same) => "same",
            Answer::Soreness(Moving::Worse) => "worse",
        }
    }

    /// The answer a name or a key names: `eased`/`e`, `same`/`s`, `worse`/`w` (any case;
    /// `easing` too, the check-in's word).
    pub fn parse(s: &str) -> Option<Self> {
        let m = match s.trim().to_ascii_lowercase().as_str() {
            "e" | "eased" | "easing" => Moving::Easing,
            "s" | "same" => Moving::Same,
            "w" | "worse" => Moving::Worse,
            _ => return None,
        };
        Some(Answer::Soreness(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_names_are_the_same_answers() {
        assert_eq!(Answer::ALL.map(Answer::as_str), ["eased", "same", "worse"]);
        for a in Answer::ALL.map(Answer::as_str) {
            let parsed = Answer::parse(a);
            assert_eq!(parsed.map(Answer::as_str), Some(a));
            assert_eq!(Answer::parse(&a[..1].to_uppercase()), parsed);
        }
        assert_eq!(Answer::parse("maybe"), None);
    }
}
