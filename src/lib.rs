//! hrcoach coaches a run by heart rate from a Bluetooth LE chest strap, and holds a sore
//! runner's easy day under an easy-effort cap.
//!
//! # The pipeline
//!
//! ```text
//!   source::replay ─┐                      ┌─▶ output::display  (terminal line, alerts, summary)
//!   (live BLE)      ├─▶ Event ─▶ coach ─▶ Update ─▶ output::json     (JSON Lines, --log)
//!   (EventList)     ┘   (bytes)  (pure)    ├─▶ output::snapshot (the run at a glance)
//!                                          └─▶ Summary at the end
//! ```
//!
//! Every source yields the same [`event::Event`]s: raw Heart Rate Measurement bytes with the
//! time since the session started. [`session::run`] is the one loop that feeds them to the
//! [`coach::Coach`] and hands each [`coach::Update`] to an [`output::Output`].
//!
//! # Where to start reading
//!
//! - [`coach`]: the run's functional core. Parsing, zones, data quality, the cap alert, the
//!   ceiling and the summary, all synchronous and free of I/O and clocks.
//! - The offline planners, each with its concept: [`checkins`] (the check-in's rules,
//!   readiness, HRV, the saved days and the plan), [`calibrate`] (max HR, resting HR, LTHR, the
//!   field test), [`report`] (looking back, the what-if). Their rule files are as pure as the
//!   core.
//! - [`session`]: the async shell that drives it.
//! - [`source`]: where events come from; [`output`]: where updates go.
//! - [`settings`]: flags, the profile and defaults into the coach's configuration.
//!
//! # Layout
//!
//! | module | holds |
//! |---|---|
//! | [`event`] | the [`event::Event`] every source yields |
//! | [`coach`] | the pure core (above) |
//! | [`session`] | the loop: source → coach → output (and the recorder) |
//! | [`source`] | replay, live Bluetooth (btleplug), the link policy |
//! | [`output`] | terminal, JSON Lines, speech, `--log`, the snapshot, calibration's collector |
//! | [`recording`] | the JSON Lines recording format, read and written |
//! | [`activity`] | watch files in: FIT, TCX, GPX → a recording |
//! | [`export`] | runs out: FIT, TCX, GPX, CSV |
//! | [`report`] | looking back: a run through the loop, gaps, drift, the sparkline, the SVG chart, the text and JSON, the week, the what-if |
//! | [`profile`] | the runner's TOML profile |
//! | [`settings`] | the session's coach configuration from flags and profile |
//! | [`shutdown`] | the cloneable shutdown token every task of a run waits on |
//! | [`store`] | the data folder: recordings, check-ins, the last strap |
//! | [`checkins`] | the check-in in one place: its rules, readiness and HRV (pure), the saved check-ins, the day's plan and its words and JSON |
//! | [`calibrate`] | calibration: the measures (pure), judged readings from recordings, saving a max, the field test |
//! | [`files`] | how every file hrcoach writes is created |
//! | [`live_run`] | a live run, recorded: the strap found, connected, coached, released |

pub mod activity;
pub mod calibrate;
pub mod checkins;
pub mod coach;
pub mod event;
pub mod export;
pub mod files;
pub mod live_run;
pub mod output;
pub mod profile;
pub mod recording;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod session;
pub mod settings;
pub mod shutdown;
pub mod source;
pub mod store;
pub mod tui;
pub mod views;
