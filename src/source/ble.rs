//! The Bluetooth LE edge: finding heart-rate straps and (next) streaming their notifications.
//!
//! The only file that uses btleplug. On Linux btleplug talks to BlueZ over the D-Bus system
//! bus (`DBUS_SYSTEM_BUS_ADDRESS` picks another bus, which is how the tests point it at a fake
//! BlueZ). btleplug reports most failures as `Error::Other` carrying D-Bus text, so
//! [`BleError::from_btleplug`] reads that text and says what is wrong in words a runner can act
//! on.

use std::time::Duration;

use btleplug::api::{Central, CentralState, Manager as _, Peripheral as _, ScanFilter};
use btleplug::platform::{Adapter, Manager, Peripheral};
use uuid::Uuid;

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
    /// Not allowed to use Bluetooth.
    #[error(
        "permission denied by BlueZ: add yourself to the `bluetooth` group (`sudo usermod -aG bluetooth $USER`, then log in again). See docs/hardware.md"
    )]
    PermissionDenied,
    /// Anything else btleplug said.
    #[error("Bluetooth error: {0}")]
    Other(String),
}

impl BleError {
    /// Reads what btleplug (and the D-Bus text inside its errors) means.
    pub fn from_btleplug(e: btleplug::Error) -> Self {
        let text = e.to_string();
        Self::from_text(&text)
    }

    /// Maps the text of a D-Bus or BlueZ error. btleplug passes on the message and often not
    /// the error name, so both are matched: "Resource Not Ready" is BlueZ's NotReady,
    /// "Rejected send message" is dbus-daemon refusing a call under BlueZ's policy.
    pub fn from_text(text: &str) -> Self {
        let has = |s: &str| text.contains(s);
        if has("ServiceUnknown")
            || has("was not provided by any .service files")
            || has("NoReply")
            || has("Timeout was reached")
            || has("did not receive a reply")
        {
            BleError::NoBluez
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

impl From<btleplug::Error> for BleError {
    fn from(e: btleplug::Error) -> Self {
        BleError::from_btleplug(e)
    }
}

/// A heart-rate strap seen while scanning.
#[derive(Debug, Clone, PartialEq)]
pub struct Strap {
    /// Advertised name, if any.
    pub name: Option<String>,
    /// Bluetooth address.
    pub address: String,
    /// Signal strength in dBm.
    pub rssi: Option<i16>,
    /// Battery level, when it could be read quickly (not during a scan: that needs a connection).
    pub battery: Option<u8>,
}

/// The first Bluetooth adapter, powered.
///
/// # Errors
/// [`BleError`] when there is no bus, no BlueZ, no adapter, or the adapter is off.
pub async fn adapter() -> Result<Adapter, BleError> {
    // libdbus waits 25 s for a reply from a name nobody owns on some buses; a missing BlueZ
    // should be said in seconds.
    let adapters = tokio::time::timeout(Duration::from_secs(5), async {
        let manager = Manager::new().await?;
        manager.adapters().await
    })
    .await
    .map_err(|_| BleError::NoBluez)??;
    let adapter = adapters.into_iter().next().ok_or(BleError::NoAdapter)?;
    if adapter.adapter_state().await? == CentralState::PoweredOff {
        return Err(BleError::PoweredOff);
    }
    Ok(adapter)
}

/// Scans for `timeout` and returns the heart-rate straps seen.
///
/// BlueZ merges the discovery filters of every program on the machine (btleplug #454), so a
/// scan filtered on the Heart Rate service still reports other devices: each one's advertised
/// services are checked here.
///
/// # Errors
/// [`BleError`] when scanning fails.
pub async fn scan(
    adapter: &Adapter,
    timeout: Duration,
) -> Result<Vec<(Strap, Peripheral)>, BleError> {
    adapter
        .start_scan(ScanFilter {
            services: vec![HEART_RATE_SERVICE],
        })
        .await?;
    tokio::time::sleep(timeout).await;
    let peripherals = adapter.peripherals().await?;
    let _ = adapter.stop_scan().await;
    let mut found = Vec::new();
    for p in peripherals {
        let Some(props) = p.properties().await? else {
            continue;
        };
        if !props.services.contains(&HEART_RATE_SERVICE) {
            continue;
        }
        found.push((
            Strap {
                name: props.local_name,
                address: props.address.to_string(),
                rssi: props.rssi,
                battery: None,
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
                "D-Bus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.bluez was not provided"
            ),
            BleError::NoBluez
        ));
        assert!(matches!(
            BleError::from_text(
                "Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory"
            ),
            BleError::NoBus
        ));
        assert!(matches!(
            BleError::from_text("org.bluez.Error.NotReady: Resource Not Ready"),
            BleError::PoweredOff
        ));
        assert!(matches!(
            BleError::from_text("org.freedesktop.DBus.Error.AccessDenied"),
            BleError::PermissionDenied
        ));
        assert!(matches!(
            BleError::from_text("Rejected send message, 2 matched rules; type=\"method_call\""),
            BleError::PermissionDenied
        ));
        assert!(matches!(
            BleError::from_text("Resource Not Ready"),
            BleError::PoweredOff
        ));
        assert!(matches!(
            BleError::from_text("something else"),
            BleError::Other(_)
        ));
    }
}
