//! hrcoach coaches a run by heart rate from a Bluetooth LE chest strap, and holds a sore
//! runner's easy day under an easy-effort cap.
//!
//! # The pipeline
//!
//! ```text
//!   source::replay ─┐                      ┌─▶ output::display  (terminal line, alerts, summary)
//!   (live BLE, sim) ├─▶ Event ─▶ coach ─▶ Update ─▶ output::json     (JSON Lines)
//!                   ┘   (bytes)  (pure)    │
//!                                          └─▶ Summary at the end
//! ```
//!
//! Every source yields the same [`event::Event`]s: raw Heart Rate Measurement bytes with the
//! time since the session started. [`session::run`] is the one loop that feeds them to the
//! [`coach::Coach`] and hands each [`coach::Update`] to an [`output::Output`].
//!
//! # Where to start reading
//!
//! - [`coach`]: the functional core. Parsing, zones, data quality, the cap alert and the summary,
//!   all synchronous and free of I/O and clocks.
//! - [`session`]: the async shell that drives it.
//! - [`recording`]: the JSON Lines recording format, read and written; [`files`]: how every
//!   file hrcoach writes is created.
//! - [`source`]: where events come from; [`output`]: where updates go.
//! - [`store`]: the data folder (recordings, check-ins, the last strap), the one place that
//!   knows its layout; [`checkins`]: a saved check-in's file.

pub mod activity;
pub mod checkins;
pub mod coach;
pub mod event;
pub mod export;
pub mod files;
pub mod output;
pub mod profile;
pub mod recording;
pub mod report;
pub mod session;
pub mod settings;
pub mod source;
pub mod store;
