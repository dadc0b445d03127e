//! Questions on the terminal: typed answers only (an arrow key is no answer), a beginning only
//! one choice has is that choice, and a default only where the question gives one. Used by
//! `check-in` (the morning's questions) and `live` (run anyway?).

use std::io::{self, BufRead, Write};

use anyhow::bail;

/// Asks `question` on the terminal until `parse` accepts the answer; an empty answer is
/// `default`, or, without one, asked again.
pub fn ask<T>(
    question: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<T> {
    let stdin = io::stdin();
    let shown = default.map_or(String::new(), |d| format!(" [{d}]"));
    loop {
        eprint!("{question}{shown}: ");
        io::stderr().flush().ok();
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            bail!("no answer (end of input)");
        }
        let typed = without_escapes(&line);
        if typed.trim().is_empty() && line.contains('\u{1b}') {
            // An arrow key is an escape sequence on a terminal, not an answer.
            eprintln!("  (arrow keys do not choose here: type the answer)");
            continue;
        }
        let answer = match (typed.trim(), default) {
            ("", Some(d)) => d,
            ("", None) => {
                eprintln!("  please type an answer: there is no default here.");
                continue;
            }
            (a, _) => a,
        };
        match parse(answer) {
            Some(v) => return Ok(v),
            None => eprintln!("  {answer:?}: please answer one of the choices."),
        }
    }
}

/// `line` without the terminal's escape sequences (an arrow key sends `ESC [ D`) and other
/// control characters.
fn without_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ parameters final-letter (CSI), or ESC O letter (SS3), or ESC and one more.
            match chars.next() {
                Some('[') => {
                    for p in chars.by_ref() {
                        if ('@'..='~').contains(&p) && !p.is_ascii_digit() && p != ';' {
                            break;
                        }
                    }
                }
                Some(_) | None => {
                    if chars.peek().is_some_and(char::is_ascii_alphabetic) {
                        chars.next();
                    }
                }
            }
        } else if !c.is_control() || c == '\n' {
            out.push(c);
        }
    }
    out
}

/// The one choice in `names` that `typed` begins (`one` → `one-worse`), if exactly one does.
pub fn by_beginning<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let typed = typed.trim();
    if typed.is_empty() || names.contains(&typed) {
        return None;
    }
    let mut matching = names.iter().filter(|n| n.starts_with(typed));
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrow_key_is_no_answer_and_a_beginning_is_its_choice() {
        assert_eq!(without_escapes("\u{1b}[D\n"), "\n");
        assert_eq!(without_escapes("\u{1b}[1;5Cshar\u{1b}OAp\n"), "sharp\n");
        assert_eq!(
            by_beginning("one", &["equal", "one-worse"]),
            Some("one-worse")
        );
        assert_eq!(
            by_beginning("e", &["easing", "same", "worse"]),
            Some("easing")
        );
        assert_eq!(by_beginning("s", &["sharp", "same"]), None, "two begin so");
        assert_eq!(
            by_beginning("equal", &["equal", "one-worse"]),
            None,
            "already a name"
        );
    }
}
