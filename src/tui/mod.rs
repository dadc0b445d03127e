//! The full-screen terminal view (`--tui`, ratatui): big digits, the zone bar with its
//! labels, the cap, ten minutes of heart rate, the last three cues and the link, read from
//! the same [`Glance`] as the phone page. Keys: `q` (or Ctrl-C, Esc) ends the run, `e`/`s`/`w`
//! answer the warm-up check.
//!
//! [`draw`] is a plain function of the glance (tested in ratatui's `TestBackend`);
//! [`Screen`] is the edge: the terminal in raw mode on the alternate screen, a task that
//! draws, and a thread that reads keys. The terminal is restored on every way out:
//! [`Screen::close`], a drop on an error's way up, and a panic (ratatui's hook).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Wrap};
use tokio::sync::{mpsc, watch};

use crate::coach::answer::Answer;
use crate::output::glance::{Glance, Seen, glance};
use crate::output::snapshot::Snapshot;
use crate::shutdown::Trigger;

/// How often the screen is drawn when nothing changes: the "no signal" counter's tick.
pub const TICK: Duration = Duration::from_millis(250);

/// Zone colours, 0-5, as on the phone page (Garmin's: grey, grey, blue, green, orange, red).
const ZONE_COLOURS: [Color; 6] = [
    Color::DarkGray,
    Color::Gray,
    Color::Blue,
    Color::Green,
    Color::Rgb(251, 140, 0),
    Color::Red,
];

/// The zones' names on the bar, 1-5.
const ZONE_NAMES: [&str; 5] = ["warm up", "easy", "aerobic", "threshold", "maximum"];

/// Draws the run at a glance: `g` with the trace of `s`, and the page's address.
pub fn draw(frame: &mut Frame, g: &Glance, s: &Snapshot, url: Option<&str>) {
    let area = frame.area();
    let asking = g.question.is_some() && !g.finished;
    let [top, digits, bar, cap, trace, cues, question, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(5),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(6),
        Constraint::Min(4),
        Constraint::Length(if asking { 2 } else { 0 }),
        Constraint::Length(1),
    ])
    .areas(area);

    let bad = g.stale || !g.link_up;
    let link_style = if bad {
        Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::Green)
    };
    let mut times = format!(" hrcoach  {}", g.elapsed);
    if !g.left.is_empty() {
        times.push_str(&format!("   {}", g.left));
    }
    let [t_left, t_right] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(36)]).areas(top);
    frame.render_widget(Paragraph::new(times), t_left);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(" {} ", g.link),
            link_style,
        )))
        .right_aligned(),
        t_right,
    );

    let digit_style = if g.stale {
        Style::new().fg(Color::DarkGray)
    } else {
        Style::new().fg(g.zone_number.map_or(Color::White, zone_colour))
    };
    let [d_left, d_right] =
        Layout::horizontal([Constraint::Length(28), Constraint::Min(10)]).areas(digits);
    frame.render_widget(
        Paragraph::new(big(&g.bpm).into_iter().map(Line::from).collect::<Vec<_>>())
            .style(digit_style),
        d_left,
    );
    let mut side = vec![Line::from("bpm")];
    if !g.zone.is_empty() {
        side.push(Line::from(Span::styled(
            g.zone.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )));
    }
    if g.stale {
        side.push(Line::from(Span::styled(
            "stale: not live",
            Style::new().fg(Color::Red),
        )));
    }
    if g.unreliable {
        side.push(Line::from("HR unreliable: run by feel"));
    }
    frame.render_widget(Paragraph::new(side), d_right);

    frame.render_widget(Paragraph::new(zone_bar(g, bar.width)), bar);

    let cap_style = if g.over {
        Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    if !g.cap.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(" cap: {} ", g.cap),
                cap_style,
            ))),
            cap,
        );
    }

    draw_trace(frame, s, trace);

    let lines: Vec<Line> = if g.cues.is_empty() {
        vec![Line::from("no cues yet")]
    } else {
        g.cues
            .iter()
            .rev()
            .map(|c| Line::from(c.as_str()))
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::new().borders(Borders::TOP).title(" last cues ")),
        cues,
    );

    if asking {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    " Has the soreness eased? ",
                    Style::new()
                        .fg(Color::Black)
                        .bg(Color::Yellow)
                        .add_modifier(Modifier::BOLD),
                ),
                Span::raw("  e eased · s same · w worse"),
            ])),
            question,
        );
    }

    let mut keys = " q ends the run · e/s/w answer the warm-up check".to_owned();
    if let Some(url) = url {
        keys.push_str(&format!(" · phone: {url}"));
    }
    if let Some(a) = &g.answered {
        keys = format!(" {a}");
    }
    frame.render_widget(
        Paragraph::new(keys).style(Style::new().fg(Color::DarkGray)),
        footer,
    );
}

/// The colour of zone `n`.
fn zone_colour(n: u8) -> Color {
    ZONE_COLOURS[usize::from(n.min(5))]
}

/// Zones 1-5 side by side, each labelled with its number and (room allowing) its name, the
/// current one lit.
fn zone_bar(g: &Glance, width: u16) -> Line<'static> {
    let cell = usize::from(width / 5).max(3);
    let spans = (1..=5u8)
        .map(|n| {
            let name = ZONE_NAMES[usize::from(n - 1)];
            let full = format!(" Z{n} {name}");
            let label = if full.len() < cell {
                full
            } else {
                format!(" Z{n}")
            };
            let here = g.zone_number == Some(n) && !g.stale;
            let style = if here {
                Style::new()
                    .fg(Color::Black)
                    .bg(zone_colour(n))
                    .add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(zone_colour(n))
            };
            Span::styled(format!("{label:<cell$}"), style)
        })
        .collect::<Vec<_>>();
    Line::from(spans)
}

/// Ten minutes of heart rate, scaled from a little under its lowest to its highest, with
/// both written in the title (a wobble of 3 bpm is not drawn as a climb).
fn draw_trace(frame: &mut Frame, s: &Snapshot, area: Rect) {
    let values: Vec<u16> = s.trace.steps().iter().copied().filter(|&b| b > 0).collect();
    let (lo, hi) = match (values.iter().min(), values.iter().max()) {
        (Some(&lo), Some(&hi)) => (lo, hi),
        _ => (0, 0),
    };
    // At least a 20 bpm span, so that a steady run draws as steady.
    let floor = lo.saturating_sub(5).min(hi.saturating_sub(20));
    let data: Vec<Option<u64>> = s
        .trace
        .steps()
        .iter()
        .map(|&b| (b > 0).then(|| u64::from(b - floor.min(b))))
        .collect();
    let title = if values.is_empty() {
        " last 10 min ".to_owned()
    } else {
        format!(" last 10 min: {lo}-{hi} bpm ")
    };
    frame.render_widget(
        Sparkline::default()
            .block(Block::new().borders(Borders::TOP).title(title))
            .data(data)
            .max(u64::from(hi.saturating_sub(floor)).max(1))
            .style(Style::new().fg(Color::Cyan)),
        area,
    );
}

/// `text` in big digits, five rows, each glyph drawn twice as wide.
pub fn big(text: &str) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    for c in text.chars() {
        let glyph = glyph(c);
        for (row, g) in rows.iter_mut().zip(glyph) {
            for px in g.chars() {
                row.push_str(if px == '#' { "██" } else { "  " });
            }
            row.push(' ');
        }
    }
    rows
}

fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => ["  #", "  #", "  #", "  #", "  #"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// The full screen, up: a task drawing, a thread reading keys.
pub struct Screen {
    stop: Arc<AtomicBool>,
    stop_tx: watch::Sender<bool>,
    drawing: Option<tokio::task::JoinHandle<()>>,
    keys: Option<std::thread::JoinHandle<()>>,
}

impl Screen {
    /// Takes the terminal (raw mode, the alternate screen; ratatui's panic hook restores it)
    /// and starts drawing `views`, reading keys into `answers` and `quit`.
    ///
    /// # Errors
    /// The terminal cannot be set up.
    pub fn start(
        views: watch::Receiver<Seen>,
        answers: mpsc::Sender<Answer>,
        quit: Trigger,
        url: Option<String>,
    ) -> io::Result<Screen> {
        let mut terminal = ratatui::try_init()?;
        let _ = terminal.clear();
        let stop = Arc::new(AtomicBool::new(false));
        let (stop_tx, mut stop_rx) = watch::channel(false);
        let drawing = tokio::spawn(async move {
            let mut views = views;
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                {
                    let seen = views.borrow_and_update();
                    let g = glance(&seen.snapshot, seen.freshness.age(Instant::now()));
                    let _ = terminal.draw(|f| draw(f, &g, &seen.snapshot, url.as_deref()));
                }
                tokio::select! {
                    changed = views.changed() => if changed.is_err() {
                        // The run is over; keep showing its end until closed.
                        let _ = stop_rx.changed().await;
                        return;
                    },
                    _ = tick.tick() => {}
                    _ = stop_rx.changed() => return,
                }
            }
        });
        let keys = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || read_keys(&stop, &answers, &quit))
        };
        Ok(Screen {
            stop,
            stop_tx,
            drawing: Some(drawing),
            keys: Some(keys),
        })
    }

    /// Stops drawing and reading keys, and restores the terminal.
    pub async fn close(mut self) {
        let _ = self.stop_tx.send(true);
        if let Some(drawing) = self.drawing.take() {
            let _ = drawing.await;
        }
        self.release();
    }

    fn release(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(drawing) = self.drawing.take() {
            drawing.abort();
        }
        if let Some(keys) = self.keys.take() {
            // It looks at the flag every tenth of a second.
            let _ = keys.join();
        }
        ratatui::restore();
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.keys.is_some() {
            self.release();
        }
    }
}

/// Reads keys until `stop`: `q`, Esc or Ctrl-C fire `quit`; `e`, `s`, `w` are answers.
fn read_keys(stop: &AtomicBool, answers: &mpsc::Sender<Answer>, quit: &Trigger) {
    while !stop.load(Ordering::Relaxed) {
        match event::poll(Duration::from_millis(100)) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => return,
        }
        let Ok(Event::Key(key)) = event::read() else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => quit.fire(),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => quit.fire(),
            KeyCode::Char(c) => {
                if let Some(answer) = Answer::parse(&c.to_string()) {
                    let _ = answers.try_send(answer);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(g: &Glance, s: &Snapshot, width: u16, height: u16) -> Result<String, String> {
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).map_err(|e| e.to_string())?;
        terminal
            .draw(|f| draw(f, g, s, Some("http://10.0.0.2:8080/?t=x")))
            .map_err(|e| e.to_string())?;
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..height {
            for x in 0..width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        Ok(out)
    }

    fn over() -> Snapshot {
        let mut s = Snapshot {
            elapsed_s: 754.0,
            bpm: Some(138),
            zone: Some(3),
            zone_name: Some("aerobic"),
            last_reading_s: Some(754.0),
            cap_bpm: Some(130),
            over_cap_since_s: Some(700.0),
            reliable: true,
            link_up: true,
            plan_s: Some(1800.0),
            question: Some("Has the soreness eased?".to_owned()),
            ..Snapshot::default()
        };
        for (at, bpm) in [(0.0, 120), (10.0, 124), (30.0, 131), (40.0, 138)] {
            s.trace.add(at, bpm);
        }
        s.cues.push_back(crate::output::snapshot::Cue {
            at_s: 720.0,
            kind: "over_cap",
            text: "Over your sore-day cap.".to_owned(),
        });
        s
    }

    #[test]
    fn the_screen_shows_the_bpm_big_the_zone_by_name_the_cap_and_the_question() -> Result<(), String>
    {
        let s = over();
        let g = glance(&s, Some(Duration::from_millis(300)));
        let text = screen(&g, &s, 80, 24)?;
        let big_138 = big("138");
        assert!(text.contains(big_138[0].trim_end()), "{text}");
        assert!(text.contains("Z3 aerobic"), "{text}");
        assert!(text.contains("cap: under 130 · 9 over"), "{text}");
        assert!(
            text.contains("12:34") && text.contains("17:26 left"),
            "{text}"
        );
        assert!(text.contains("connected"), "{text}");
        assert!(text.contains("[12:00] Over your sore-day cap."), "{text}");
        assert!(text.contains("Has the soreness eased?"), "{text}");
        assert!(text.contains("last 10 min: 120-138 bpm"), "{text}");
        Ok(())
    }

    #[test]
    fn a_stale_reading_is_said_on_the_screen() -> Result<(), String> {
        let s = over();
        let g = glance(&s, Some(Duration::from_secs(12)));
        let text = screen(&g, &s, 80, 24)?;
        assert!(text.contains("no signal 0:12"), "{text}");
        assert!(text.contains("stale: not live"), "{text}");
        assert!(!text.contains("9 over"), "{text}");
        Ok(())
    }

    #[test]
    fn a_small_terminal_still_draws_without_panicking() -> Result<(), String> {
        let s = over();
        let g = glance(&s, None);
        for (w, h) in [(20, 6), (40, 10), (1, 1), (200, 60)] {
            screen(&g, &s, w, h)?;
        }
        Ok(())
    }

    #[test]
    fn big_digits_are_five_rows_of_the_same_width() {
        let rows = big("128");
        assert!(rows.iter().all(|r| r.chars().count() == 3 * 7));
        assert_ne!(big("1"), big("7"));
    }
}
