//! The Bluetooth LE edge: the adapter, finding heart-rate straps, and what BlueZ's errors mean.
//!
//! btleplug is used here, in `radio.rs` (the one adapter and its shared scan) and in
//! `live.rs` (one strap's link), nowhere else. On Linux btleplug
//! talks to BlueZ over the D-Bus system
//! bus (`DBUS_SYSTEM_BUS_ADDRESS` picks another bus, which is how the tests point it at a fake
//! BlueZ). btleplug reports most failures as `Error::Other` carrying D-Bus text, so
//! [`BleError::during`] reads that text and says what is wrong in words a runner can act
//! on.

use std::time::Duration;

use btleplug::api::{Central, CentralState, Manager as _, Peripheral as _};
use btleplug::platform::{Adapter, Manager, Peripheral};
use uuid::Uuid;

use super::radio::Radio;

/// A 16-bit Bluetooth SIG UUID in its 128-bit form.
const fn sig_uuid(short: u16) -> Uuid {
    Uuid::from_u128(((short as u128) << 96) | 0x0000_0000_0000_1000_8000_0080_5f9b_34fb)
}

/// Heart Rate service (0x180D).
pub const HEART_RATE_SERVICE: Uuid = sig_uuid(0x180D);
/// Heart Rate Measurement characteristic (0x2A37), notified about once a second.
pub const HEART_RATE_MEASUREMENT: Uuid = sig_uuid(0x2A37);
/// Body Sensor Location characteristic (0x2A38).
pub const BODY_SENSOR_LOCATION: Uuid = sig_uuid(0x2A38);
/// Battery service (0x180F).
pub const BATTERY_SERVICE: Uuid = sig_uuid(0x180F);
/// Battery Level characteristic (0x2A19), percent.
pub const BATTERY_LEVEL: Uuid = sig_uuid(0x2A19);

/// What went wrong on the Bluetooth side, in terms a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum BleError {
    /// No D-Bus system bus to talk to.
    #[error(
        "cannot reach the D-Bus system bus: is D-Bus running? (on a desktop it always is; in a container, start it or pass the host's socket). See docs/hardware.md"
    )]
    NoBus,
    /// D-Bus is there, BlueZ is not.
    #[error(
        "BlueZ is not running (nobody provides org.bluez): start it with `sudo systemctl start bluetooth`. See docs/hardware.md"
    )]
    NoBluez,
    /// BlueZ runs but has no adapter.
    #[error(
        "no Bluetooth adapter found: plug one in or enable the built-in one (`bluetoothctl list` shows none). See docs/hardware.md"
    )]
    NoAdapter,
    /// The adapter is off.
    #[error(
        "the Bluetooth adapter is powered off or blocked: turn it on with `bluetoothctl power on` (or `rfkill unblock bluetooth`)"
    )]
    PoweredOff,
    /// A call to BlueZ got no answer in time.
    #[error("Bluetooth did not answer in time while {}: {}", .0.doing(), .0.next_step())]
    TimedOut(Step),
    /// Not allowed to use Bluetooth.
    #[error(
        "permission denied by BlueZ: add yourself to the `bluetooth` group (`sudo usermod -aG bluetooth $USER`, then log in again). See docs/hardware.md"
    )]
    PermissionDenied,
    /// Anything else btleplug said.
    #[error("Bluetooth error: {0}")]
    Other(String),
}

/// What hrcoach was asking BlueZ for, so that a timeout can say which call it was and what
/// to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Listing the adapters: the first call that reaches BlueZ.
    Adapter,
    /// Starting or reading a scan.
    Scan,
    /// Connecting to the strap (and discovering its services).
    Connect,
    /// Switching on heart-rate notifications.
    Subscribe,
}

impl Step {
    /// The call, in words: "connecting to the strap".
    pub fn doing(self) -> &'static str {
        match self {
            Step::Adapter => "asking BlueZ for the Bluetooth adapter",
            Step::Scan => "scanning",
            Step::Connect => "connecting to the strap",
            Step::Subscribe => "switching on heart-rate notifications",
        }
    }

    /// What to try next.
    pub fn next_step(self) -> &'static str {
        match self {
            Step::Adapter => {
                "BlueZ may be hung or still starting: check `systemctl status bluetooth`, restart it with `sudo systemctl restart bluetooth`"
            }
            Step::Scan => {
                "restart the adapter (`bluetoothctl power off`, then `bluetoothctl power on`) and try again"
            }
            Step::Connect => {
                "the strap may be out of range, asleep or connected to a watch or phone: wet the electrodes, put it on, \
                 disconnect it from other devices and try again; if it keeps failing, `bluetoothctl remove ADDRESS` and scan again"
            }
            Step::Subscribe => {
                "another app may hold the strap: close it (or disconnect the strap from the watch or phone), then take \
                 the strap off and put it back on"
            }
        }
    }
}

impl BleError {
    /// Reads what btleplug (and the D-Bus text inside its errors) means, for a call made
    /// during `step`.
    pub fn during(step: Step, e: btleplug::Error) -> Self {
        tracing::debug!(step = step.doing(), error = %e, "btleplug error");
        if matches!(e, btleplug::Error::TimedOut(_)) {
            return BleError::TimedOut(step);
        }
        Self::from_text(&e.to_string(), step)
    }

    /// Maps the text of a D-Bus or BlueZ error for a call made during `step`. btleplug passes
    /// on the message and often not the error name, so both are matched: "Resource Not
    /// Ready" is BlueZ's NotReady, "Rejected send message" is dbus-daemon refusing a call
    /// under BlueZ's policy. A call that got no reply is a timeout of that call, not a
    /// missing BlueZ (that is `ServiceUnknown`: nobody owns the name).
    pub fn from_text(text: &str, step: Step) -> Self {
        let has = |s: &str| text.contains(s);
        if has("ServiceUnknown") || has("was not provided by any .service files") {
            BleError::NoBluez
        } else if has("NoReply")
            || has("Timeout was reached")
            || has("did not receive a reply")
            || has("Timed out")
        {
            BleError::TimedOut(step)
        } else if has("Failed to connect to socket")
            || has("NoServer")
            || has("Could not connect")
            || has("FileNotFound")
            || has("Unable to autolaunch")
        {
            BleError::NoBus
        } else if has("NotReady") || has("Blocked") || has("rfkill") || has("Resource Not Ready") {
            BleError::PoweredOff
        } else if has("AccessDenied")
            || has("Rejected send message")
            || has("NotPermitted")
            || has("PermissionDenied")
            || has("permission")
        {
            BleError::PermissionDenied
        } else {
            BleError::Other(text.to_owned())
        }
    }
}

/// A heart-rate strap seen while scanning.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundStrap {
    /// Advertised name, if any.
    pub name: Option<String>,
    /// Bluetooth address.
    pub address: String,
    /// Signal strength in dBm.
    pub rssi: Option<i16>,
}

/// How long starting or stopping a scan may take before it is an error.
const SCAN_CALL_LIMIT: Duration = Duration::from_secs(10);

/// The first Bluetooth adapter, powered. [`Radio::open`] calls it once per process; everything
/// else shares that radio.
///
/// # Errors
/// [`BleError`] when there is no bus, no BlueZ, no adapter, or the adapter is off.
pub async fn adapter() -> Result<Adapter, BleError> {
    // libdbus waits 25 s for a reply from a name nobody owns on some buses; a missing BlueZ
    // should be said in seconds.
    let during = |e| BleError::during(Step::Adapter, e);
    let adapters = tokio::time::timeout(Duration::from_secs(5), async {
        let manager = Manager::new().await?;
        manager.adapters().await
    })
    .await
    .map_err(|_| BleError::NoBluez)?
    .map_err(during)?;
    tracing::debug!(adapters = adapters.len(), "BlueZ answered");
    let adapter = adapters.into_iter().next().ok_or(BleError::NoAdapter)?;
    if adapter.adapter_state().await.map_err(during)? == CentralState::PoweredOff {
        return Err(BleError::PoweredOff);
    }
    Ok(adapter)
}

/// Scans for `timeout` (sharing the radio's scan with any link reconnecting) and returns the
/// heart-rate straps seen.
///
/// BlueZ merges the discovery filters of every program on the machine (btleplug #454), so a
/// scan filtered on the Heart Rate service still reports other devices: each one's advertised
/// services are checked here.
///
/// # Errors
/// [`BleError`] when scanning fails.
pub async fn scan(
    radio: &Radio,
    timeout: Duration,
) -> Result<Vec<(FoundStrap, Peripheral)>, BleError> {
    let during = |e| BleError::during(Step::Scan, e);
    tracing::debug!(?timeout, "scan: start (Heart Rate service)");
    let user = radio.user();
    radio.want_scan(user, SCAN_CALL_LIMIT).await?;
    tokio::time::sleep(timeout).await;
    let peripherals = radio.adapter().peripherals().await.map_err(during);
    radio.release_scan(user, SCAN_CALL_LIMIT).await;
    let peripherals = peripherals?;
    let mut found = Vec::new();
    for p in peripherals {
        let Some(props) = p.properties().await.map_err(during)? else {
            continue;
        };
        let heart_rate = props.services.contains(&HEART_RATE_SERVICE);
        tracing::debug!(
            address = %props.address,
            name = ?props.local_name,
            rssi = ?props.rssi,
            heart_rate,
            "scan: seen"
        );
        if !heart_rate {
            continue;
        }
        found.push((
            FoundStrap {
                name: props.local_name,
                address: props.address.to_string(),
                rssi: props.rssi,
            },
            p,
        ));
    }
    // Strongest signal first: the strap on your chest, not the one in the next room.
    found.sort_by_key(|(s, _)| std::cmp::Reverse(s.rssi.unwrap_or(i16::MIN)));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sig_uuids_expand_to_the_base_uuid() {
        assert_eq!(
            HEART_RATE_SERVICE.to_string(),
            "0000180d-0000-1000-8000-00805f9b34fb"
        );
        assert_eq!(
            HEART_RATE_MEASUREMENT.to_string(),
            "00002a37-0000-1000-8000-00805f9b34fb"
        );
    }

    #[test]
    fn dbus_texts_map_to_what_the_user_can_do() {
        assert!(matches!(
            BleError::from_text(
                "D-Bus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.bluez was not provided",
                Step::Adapter
            ),
            BleError::NoBluez
        ));
        assert!(matches!(
            BleError::from_text(
                "Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory",
                Step::Adapter
            ),
            BleError::NoBus
        ));
        assert!(matches!(
            BleError::from_text("org.bluez.Error.NotReady: Resource Not Ready", Step::Scan),
            BleError::PoweredOff
        ));
        assert!(matches!(
            BleError::from_text("org.freedesktop.DBus.Error.AccessDenied", Step::Scan),
            BleError::PermissionDenied
        ));
        assert!(matches!(
            BleError::from_text(
                "Rejected send message, 2 matched rules; type=\"method_call\"",
                Step::Scan
            ),
            BleError::PermissionDenied
        ));
        assert!(matches!(
            BleError::from_text("Resource Not Ready", Step::Scan),
            BleError::PoweredOff
        ));
        assert!(matches!(
            BleError::from_text("something else", Step::Scan),
            BleError::Other(_)
        ));
    }

    #[test]
    fn a_timeout_names_the_call_and_the_next_step() {
        // The review's case: a connect that timed out was reported as "BlueZ is not running".
        let e = BleError::from_text(
            "D-Bus error: org.freedesktop.DBus.Error.NoReply: Did not receive a reply",
            Step::Connect,
        );
        let text = e.to_string();
        assert!(matches!(e, BleError::TimedOut(Step::Connect)), "{e:?}");
        assert!(text.contains("while connecting to the strap"), "{text}");
        assert!(text.contains("out of range"), "{text}");
        assert!(!text.contains("not running"), "{text}");
        let e = BleError::during(
            Step::Subscribe,
            btleplug::Error::TimedOut(Duration::from_secs(5)),
        );
        assert!(
            e.to_string()
                .contains("switching on heart-rate notifications")
        );
        // Nobody owning org.bluez is still "not running", whatever the step.
        assert!(matches!(
            BleError::from_text("org.freedesktop.DBus.Error.ServiceUnknown", Step::Connect),
            BleError::NoBluez
        ));
    }
}
