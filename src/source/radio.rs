//! One owner of the Bluetooth adapter for the whole process: one btleplug `Manager`, one
//! `Adapter`, and the adapter-wide scan shared by everyone who needs it.
//!
//! BlueZ's discovery is per adapter, not per strap: if each link started and stopped it on
//! its own, a second strap's link (a group run, later) that stops its scan would stop the
//! scan the first is reconnecting with. So a scan is wanted by *users* (a link, the `scan`
//! command): each asks BlueZ to start it (again: BlueZ may have restarted), and [`ScanUsers`]
//! stops it only when the last one lets go.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use btleplug::api::{Central as _, ScanFilter};
use btleplug::platform::Adapter;

use super::ble::{self, BleError, HEART_RATE_SERVICE};

/// Who wants the scan on. Pure: it says when BlueZ's discovery may stop. (Starting needs no
/// bookkeeping: every user that wants the scan asks BlueZ again, which answers "in progress"
/// when it is on, and one that restarted must hear it again.)
#[derive(Debug, Default)]
pub struct ScanUsers {
    users: BTreeSet<u64>,
}

impl ScanUsers {
    /// `user` wants the scan on.
    pub fn want(&mut self, user: u64) {
        self.users.insert(user);
    }

    /// `user` no longer needs it (or never did). True when it was the last one: stop
    /// discovery.
    pub fn release(&mut self, user: u64) -> bool {
        self.users.remove(&user) && self.users.is_empty()
    }
}

/// The adapter, shared: clone it for every strap's link and every scan.
#[derive(Clone)]
pub struct Radio {
    adapter: Adapter,
    scans: Arc<Mutex<ScanUsers>>,
    next_user: Arc<AtomicU64>,
}

impl Radio {
    /// Opens the first adapter, powered ([`ble::adapter`]): once per process.
    ///
    /// # Errors
    /// [`BleError`] when there is no bus, no BlueZ, no adapter, or the adapter is off.
    pub async fn open() -> Result<Radio, BleError> {
        Ok(Radio {
            adapter: ble::adapter().await?,
            scans: Arc::default(),
            next_user: Arc::default(),
        })
    }

    /// The adapter itself, for what is not a scan (peripherals, events).
    pub fn adapter(&self) -> &Adapter {
        &self.adapter
    }

    /// A new user id for [`Radio::want_scan`] and [`Radio::release_scan`].
    pub fn user(&self) -> u64 {
        self.next_user.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// `user` needs the scan on: it is started (again). `limit` bounds the call.
    pub async fn want_scan(&self, user: u64, limit: Duration) -> Result<(), BleError> {
        self.scans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .want(user);
        let filter = ScanFilter {
            services: vec![HEART_RATE_SERVICE],
        };
        let started = match tokio::time::timeout(limit, self.adapter.start_scan(filter)).await {
            Err(_) => Err(BleError::TimedOut(ble::Step::Scan)),
            Ok(r) => r.map_err(|e| BleError::during(ble::Step::Scan, e)),
        };
        if started.is_err() {
            // Not on: this user does not hold it.
            let _ = self
                .scans
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .release(user);
        }
        started
    }

    /// `user` is done with the scan; the last one stops it. A failure is ignored: the scan
    /// stops with the program anyway.
    pub async fn release_scan(&self, user: u64, limit: Duration) {
        let last = self
            .scans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .release(user);
        if last {
            let _ = tokio::time::timeout(limit, self.adapter.stop_scan()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_stops_only_when_its_last_user_lets_go() {
        let mut s = ScanUsers::default();
        s.want(1);
        s.want(1); // a link asking again after BlueZ restarted
        s.want(2); // a second strap's link
        assert!(!s.release(1), "strap 2 still reconnecting");
        assert!(!s.release(1), "released twice");
        assert!(!s.release(3), "never wanted it");
        assert!(s.release(2), "the last one");
        assert!(!s.release(2), "already stopped");
        s.want(2);
        assert!(s.release(2), "and again");
    }
}
