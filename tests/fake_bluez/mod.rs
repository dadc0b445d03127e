//! A fake BlueZ for the tests: a D-Bus service that owns `org.bluez` on a private bus (busd,
//! started in the test process) and presents one adapter and scripted devices, the way
//! btleplug 0.13 (through bluez-async and libdbus) expects to find them:
//!
//! - `/` carries `org.freedesktop.DBus.ObjectManager` (GetManagedObjects, InterfacesAdded);
//! - `/org/bluez/hci0` an `Adapter1` with every property btleplug requires (Address,
//!   AddressType, Name, Alias, Powered, Discovering and a Modalias that parses);
//! - `/org/bluez/hci0/dev_XX_..` a `Device1` per device, with its GATT services and
//!   characteristics as child nodes (btleplug finds them by introspection);
//! - a heart-rate strap has Heart Rate (0x180D: measurement 0x2A37 notify, body sensor location
//!   0x2A38 read) and Battery (0x180F: level 0x2A19 read).
//!
//! Faults a test can script: the link dropped ([`FakeBluez::drop_link`], optionally with
//! notifications still in flight after the disconnect, [`FakeBluez::drop_link_in_flight`]),
//! the strap gone silent with no word from BlueZ ([`FakeBluez::go_silent`]), and the strap
//! forgotten by BlueZ, its objects removed until discovery sees it again
//! ([`FakeBluez::forget_strap`]), and BlueZ itself restarting ([`FakeBluez::restart_bluez`]);
//! [`FakeBluez::restore`] brings the strap back in range.
//!
//! Only the radio is simulated: btleplug and our BLE code run for real against it. Each test
//! process gets its own bus, and each `hrcoach` it runs is pointed at it with
//! `DBUS_SYSTEM_BUS_ADDRESS`.

#![allow(dead_code)] // each test binary uses a different part

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use zbus::fdo;
use zbus::object_server::SignalEmitter;
use zbus::{OwnedObjectPath, OwnedVariant as OwnedValue};

/// A device the fake adapter can see.
#[derive(Debug, Clone)]
pub struct Device {
    /// Advertised name.
    pub name: String,
    /// Bluetooth address, `AA:BB:CC:DD:EE:FF`.
    pub address: String,
    /// Signal strength.
    pub rssi: i16,
    /// Whether it is a heart-rate strap (else a device with another service).
    pub heart_rate: bool,
}

impl Device {
    /// A heart-rate strap.
    pub fn strap(name: &str, address: &str) -> Self {
        Device {
            name: name.to_owned(),
            address: address.to_owned(),
            rssi: -58,
            heart_rate: true,
        }
    }

    /// A device that is not a heart-rate strap (a pair of headphones, say).
    pub fn other(name: &str, address: &str) -> Self {
        Device {
            name: name.to_owned(),
            address: address.to_owned(),
            rssi: -70,
            heart_rate: false,
        }
    }

    fn path(&self) -> String {
        format!("{ADAPTER}/dev_{}", self.address.replace(':', "_"))
    }
}

const ADAPTER: &str = "/org/bluez/hci0";

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Devices in range.
    pub devices: Vec<Device>,
    /// Whether there is an adapter at all.
    pub adapter: bool,
    /// Whether the adapter is powered and can be powered (false: rfkill-blocked).
    pub powered: bool,
    /// Whether BlueZ's D-Bus policy lets the caller use the adapter (false: AccessDenied).
    pub allowed: bool,
    /// Heart Rate Measurement payloads the first strap sends, in order, once subscribed.
    pub notifications: Vec<Vec<u8>>,
    /// Time between notifications.
    pub interval: Duration,
    /// How long Connect takes to answer (a strap at the edge of range). The fake's bus
    /// connection answers nothing else meanwhile.
    pub connect_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            devices: vec![Device::strap("Polar H10 FAKE01", "A0:9E:1A:00:00:01")],
            adapter: true,
            powered: true,
            allowed: true,
            notifications: Vec::new(),
            interval: Duration::from_millis(100),
            connect_delay: Duration::ZERO,
        }
    }
}

/// Shared between the D-Bus objects and the test.
#[derive(Default)]
struct Shared {
    /// Notifications sent so far.
    sent: AtomicUsize,
    /// When each was sent, by the wall clock (a browser's `Date.now()` reads the same).
    sent_at: std::sync::Mutex<Vec<std::time::SystemTime>>,
    /// Whether the strap's link is up (Connect succeeds only while it is reachable).
    reachable: AtomicBool,
    connects: AtomicUsize,
    /// See [`Options::connect_delay`], in milliseconds.
    connect_delay_ms: AtomicUsize,
    /// The strap's objects have been removed, as BlueZ does with an unpaired device some time
    /// after it disconnects; they come back when discovery sees it advertise again.
    forgotten: AtomicBool,
    /// Whether the adapter is discovering.
    discovering: AtomicBool,
    powered_ok: AtomicBool,
    allowed: AtomicBool,
    /// The test is over: the fake's threads end.
    stopped: AtomicBool,
    /// The fake BlueZ's connection to the bus: `None` while BlueZ is down (restarting).
    bluez: std::sync::Mutex<Option<zbus::Connection>>,
    /// What clients asked of the devices, in order: "Connect ADDRESS", "StartNotify ADDRESS
    /// 2a37", "WriteValue ADDRESS 2a19"...
    calls: std::sync::Mutex<Vec<String>>,
}

impl Shared {
    /// BlueZ's connection, if it is up.
    fn conn(&self) -> Option<zbus::Connection> {
        self.bluez.lock().ok()?.clone()
    }

    fn log(&self, call: String) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(call);
        }
    }

    fn set_conn(&self, conn: Option<zbus::Connection>) -> Option<zbus::Connection> {
        let mut slot = self.bluez.lock().expect("fake BlueZ lock");
        std::mem::replace(&mut *slot, conn)
    }
}

/// A running fake BlueZ on its own private bus.
pub struct FakeBluez {
    /// The bus address to give btleplug in `DBUS_SYSTEM_BUS_ADDRESS`.
    pub address: String,
    shared: Arc<Shared>,
    options: Options,
    strap_path: Option<String>,
    _dir: tempfile::TempDir,
}

impl FakeBluez {
    /// Starts a bus and, unless `bluez` is false, the fake service on it.
    pub fn start(options: Options) -> Self {
        Self::start_with(options, true)
    }

    /// A private bus with nobody owning `org.bluez`: BlueZ is not running.
    pub fn without_bluez() -> Self {
        Self::start_with(Options::default(), false)
    }

    fn start_with(options: Options, bluez: bool) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket: PathBuf = dir.path().join("bus");
        let address = format!("unix:path={}", socket.display());
        let bus_address = address.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            zbus::block_on(async move {
                let mut bus = busd::bus::Bus::for_address(Some(&bus_address))
                    .await
                    .expect("start busd");
                ready_tx.send(()).expect("signal ready");
                let _ = bus.run().await;
            })
        });
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("busd started");

        let shared = Arc::new(Shared::default());
        shared.reachable.store(true, Ordering::SeqCst);
        shared.powered_ok.store(options.powered, Ordering::SeqCst);
        shared.allowed.store(options.allowed, Ordering::SeqCst);
        shared.connect_delay_ms.store(
            usize::try_from(options.connect_delay.as_millis()).unwrap_or(usize::MAX),
            Ordering::SeqCst,
        );
        let fake = FakeBluez {
            address,
            shared,
            options: options.clone(),
            strap_path: options
                .devices
                .iter()
                .find(|d| d.heart_rate)
                .map(Device::path),
            _dir: dir,
        };
        if bluez {
            let conn = zbus::block_on(serve(&fake.address, &options, fake.shared.clone()))
                .expect("serve the fake BlueZ");
            fake.shared.set_conn(Some(conn));
            if let Some(strap) = &fake.strap_path {
                stream(strap.clone(), options.clone(), fake.shared.clone());
            }
            if let Some(device) = options.devices.iter().find(|d| d.heart_rate) {
                rediscover(device.clone(), fake.shared.clone());
            }
        }
        fake
    }

    /// Notifications sent so far.
    pub fn sent(&self) -> usize {
        self.shared.sent.load(Ordering::SeqCst)
    }

    /// When each notification sent so far was sent, by the wall clock.
    pub fn sent_at(&self) -> Vec<std::time::SystemTime> {
        self.shared
            .sent_at
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// What clients asked of the devices, in order (see `Shared::calls`).
    pub fn calls(&self) -> Vec<String> {
        self.shared
            .calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    /// How many times a client connected to the strap.
    pub fn connects(&self) -> usize {
        self.shared.connects.load(Ordering::SeqCst)
    }

    /// The strap goes out of range: the link drops and Connect fails until [`Self::restore`].
    pub fn drop_link(&self) {
        self.shared.reachable.store(false, Ordering::SeqCst);
        if let (Some(conn), Some(path)) = (self.shared.conn(), &self.strap_path) {
            zbus::block_on(set_connected(&conn, path, false)).expect("drop the link");
        }
    }

    /// The link drops while notifications are still in flight: BlueZ reports the disconnect,
    /// then `n` notifications that were already on their way arrive, 5 ms apart. (They come on
    /// a different stream from the disconnect, in no guaranteed order.)
    pub fn drop_link_in_flight(&self, n: usize) {
        self.shared.reachable.store(false, Ordering::SeqCst);
        let (Some(conn), Some(path)) = (self.shared.conn(), &self.strap_path) else {
            return;
        };
        zbus::block_on(async {
            set_connected(&conn, path, false).await?;
            let char_path = format!("{path}/service000c/char000d");
            let iref = conn
                .object_server()
                .interface::<_, Characteristic>(char_path.as_str())
                .await?;
            for _ in 0..n {
                std::thread::sleep(Duration::from_millis(5));
                let c = iref.get_mut().await;
                c.value_changed(iref.signal_emitter()).await?;
            }
            zbus::Result::Ok(())
        })
        .expect("drop the link with notifications in flight");
    }

    /// The link drops and BlueZ forgets the strap: its device object and everything under it
    /// are removed (`InterfacesRemoved`), as BlueZ does with an unpaired device
    /// `TemporaryTimeout` (30 s) after it disconnects. After [`Self::restore`] it reappears
    /// only once the adapter is discovering and "sees it advertise".
    pub fn forget_strap(&self) {
        self.drop_link();
        let (Some(conn), Some(path)) = (self.shared.conn(), &self.strap_path) else {
            return;
        };
        zbus::block_on(remove_strap(&conn, path)).expect("forget the strap");
        self.shared.forgotten.store(true, Ordering::SeqCst);
    }

    /// BlueZ itself restarts (`systemctl restart bluetooth`, or it crashed): the strap goes out
    /// of reach, bluetoothd leaves the bus without a word (no `InterfacesRemoved`, no
    /// disconnect), and `down` later a new one takes `org.bluez` again with a fresh adapter
    /// that is not discovering and does not know the unpaired strap: it comes back only once
    /// discovery sees it (after [`Self::restore`]).
    ///
    /// While it is down, busd drops calls to `org.bluez` unanswered, where dbus-daemon would
    /// answer `ServiceUnknown` at once: to the client, a BlueZ that hangs and then restarts,
    /// the harder case.
    pub fn restart_bluez(&self, down: Duration) {
        self.shared.reachable.store(false, Ordering::SeqCst);
        self.shared.discovering.store(false, Ordering::SeqCst);
        if let Some(conn) = self.shared.set_conn(None) {
            zbus::block_on(conn.close()).expect("BlueZ leaves the bus");
        }
        std::thread::sleep(down);
        let without_strap = Options {
            devices: (self.options.devices.iter())
                .filter(|d| !d.heart_rate)
                .cloned()
                .collect(),
            ..self.options.clone()
        };
        let conn = zbus::block_on(serve(&self.address, &without_strap, self.shared.clone()))
            .expect("BlueZ back on the bus");
        self.shared.forgotten.store(true, Ordering::SeqCst);
        self.shared.set_conn(Some(conn));
    }

    /// The strap is back in range.
    pub fn restore(&self) {
        self.shared.reachable.store(true, Ordering::SeqCst);
    }

    /// The strap vanishes without BlueZ saying anything: notifications just stop.
    pub fn go_silent(&self) {
        self.shared.reachable.store(false, Ordering::SeqCst);
    }
}

impl Drop for FakeBluez {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
    }
}

async fn serve(
    address: &str,
    options: &Options,
    shared: Arc<Shared>,
) -> zbus::Result<zbus::Connection> {
    let mut builder = zbus::connection::Builder::address(address)
        .name("org.bluez")
        .serve_at("/", fdo::ObjectManager);
    if options.adapter {
        builder = builder.serve_at(
            ADAPTER,
            Adapter {
                powered: options.powered,
                discovering: false,
                shared: shared.clone(),
            },
        );
        for d in options.devices.iter().filter(|d| !d.heart_rate) {
            builder = builder.serve_at(
                op(d.path()),
                Device1 {
                    device: d.clone(),
                    uuids: vec![uuid16(0x110B)],
                    connected: false,
                    resolved: false,
                    shared: shared.clone(),
                },
            );
        }
    }
    let conn = builder.build().await?;
    // Straps, with their services and characteristics: the same objects BlueZ re-creates
    // when it sees a forgotten strap again.
    if options.adapter {
        for d in options.devices.iter().filter(|d| d.heart_rate) {
            add_strap(&conn, d, shared.clone()).await?;
        }
    }
    Ok(conn)
}

/// Streams the scripted notifications while the strap is connected and subscribed.
fn stream(strap: String, options: Options, shared: Arc<Shared>) {
    let char_path = format!("{strap}/service000c/char000d");
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let mut next = 0;
            while next < options.notifications.len() && !shared.stopped.load(Ordering::SeqCst) {
                std::thread::sleep(options.interval);
                if !shared.reachable.load(Ordering::SeqCst) {
                    continue;
                }
                let Some(conn) = shared.conn() else {
                    continue; // BlueZ is restarting
                };
                let Ok(iref) = conn
                    .object_server()
                    .interface::<_, Characteristic>(char_path.as_str())
                    .await
                else {
                    continue; // forgotten by BlueZ for now
                };
                let mut c = iref.get_mut().await;
                if !c.notifying {
                    continue;
                }
                c.value = options.notifications[next].clone();
                let at = std::time::SystemTime::now();
                if c.value_changed(iref.signal_emitter()).await.is_ok() {
                    next += 1;
                    if let Ok(mut sent_at) = shared.sent_at.lock() {
                        sent_at.push(at);
                    }
                    shared.sent.fetch_add(1, Ordering::SeqCst);
                }
            }
        })
    });
}

/// The strap's objects: the device, its two services and three characteristics.
fn strap_paths(path: &str) -> [String; 6] {
    [
        path.to_owned(),
        format!("{path}/service000c"),
        format!("{path}/service000c/char000d"),
        format!("{path}/service000c/char0010"),
        format!("{path}/service0020"),
        format!("{path}/service0020/char0021"),
    ]
}

async fn remove_strap(conn: &zbus::Connection, path: &str) -> zbus::Result<()> {
    let server = conn.object_server();
    let [device, hr, hrm, location, bat, level] = strap_paths(path);
    for c in [hrm, location, level] {
        server.remove::<Characteristic, _>(c.as_str()).await?;
    }
    for s in [hr, bat] {
        server.remove::<Service, _>(s.as_str()).await?;
    }
    server.remove::<Device1, _>(device.as_str()).await?;
    Ok(())
}

async fn add_strap(conn: &zbus::Connection, d: &Device, shared: Arc<Shared>) -> zbus::Result<()> {
    let server = conn.object_server();
    let [device, hr, hrm, location, bat, level] = strap_paths(&d.path());
    server
        .at(
            device.as_str(),
            Device1 {
                device: d.clone(),
                uuids: vec![uuid16(0x180D), uuid16(0x180F)],
                connected: false,
                resolved: false,
                shared: shared.clone(),
            },
        )
        .await?;
    for (s, uuid) in [(&hr, 0x180D), (&bat, 0x180F)] {
        server
            .at(
                s.as_str(),
                Service {
                    uuid: uuid16(uuid),
                    device: device.clone(),
                },
            )
            .await?;
    }
    server
        .at(
            hrm.as_str(),
            Characteristic::new(
                0x2A37,
                &hr,
                &d.address,
                shared.clone(),
                &["notify"],
                Vec::new(),
            ),
        )
        .await?;
    server
        .at(
            location.as_str(),
            Characteristic::new(0x2A38, &hr, &d.address, shared.clone(), &["read"], vec![1]), // chest
        )
        .await?;
    server
        .at(
            level.as_str(),
            Characteristic::new(
                0x2A19,
                &bat,
                &d.address,
                shared.clone(),
                &["read", "notify"],
                vec![87],
            ),
        )
        .await?;
    Ok(())
}

/// BlueZ re-creates a forgotten device when discovery sees it advertise: here, when it is
/// forgotten, back in range and the adapter is discovering.
fn rediscover(device: Device, shared: Arc<Shared>) {
    std::thread::spawn(move || {
        while !shared.stopped.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
            let due = shared.forgotten.load(Ordering::SeqCst)
                && shared.reachable.load(Ordering::SeqCst)
                && shared.discovering.load(Ordering::SeqCst);
            if let (true, Some(conn)) = (due, shared.conn()) {
                if zbus::block_on(add_strap(&conn, &device, shared.clone())).is_err() {
                    continue; // BlueZ went away meanwhile
                }
                shared.forgotten.store(false, Ordering::SeqCst);
            }
        }
    });
}

async fn set_connected(conn: &zbus::Connection, path: &str, up: bool) -> zbus::Result<()> {
    let iref = conn.object_server().interface::<_, Device1>(path).await?;
    let mut d = iref.get_mut().await;
    d.connected = up;
    d.resolved = up;
    d.connected_changed(iref.signal_emitter()).await?;
    d.services_resolved_changed(iref.signal_emitter()).await?;
    drop(d);
    if !up {
        // Notification sessions die with the link.
        let char_path = format!("{path}/service000c/char000d");
        if let Ok(cref) = conn
            .object_server()
            .interface::<_, Characteristic>(char_path.as_str())
            .await
        {
            cref.get_mut().await.notifying = false;
        }
    }
    Ok(())
}

/// An owned object path, which the builder can keep.
fn op(path: String) -> zbus::ObjectPath<'static> {
    zbus::ObjectPath::try_from(path).expect("valid object path")
}

fn uuid16(short: u16) -> String {
    format!("0000{short:04x}-0000-1000-8000-00805f9b34fb")
}

struct Adapter {
    powered: bool,
    discovering: bool,
    shared: Arc<Shared>,
}

#[zbus::interface(name = "org.bluez.Adapter1")]
impl Adapter {
    async fn set_discovery_filter(&self, _filter: HashMap<String, OwnedValue>) -> fdo::Result<()> {
        Ok(())
    }

    async fn start_discovery(
        &mut self,
        #[zbus(signal_emitter)] e: SignalEmitter<'_>,
    ) -> fdo::Result<()> {
        if !self.shared.allowed.load(Ordering::SeqCst) {
            // What dbus-daemon answers when BlueZ's policy does not allow this user (btleplug
            // passes on the message, not the error name).
            return Err(fdo::Error::AccessDenied(
                "Rejected send message, 2 matched rules; type=\"method_call\", interface=\"org.bluez.Adapter1\" member=\"StartDiscovery\"".into(),
            ));
        }
        if !self.powered {
            return Err(fdo::Error::Failed("Resource Not Ready".into()));
        }
        self.discovering = true;
        self.shared.discovering.store(true, Ordering::SeqCst);
        let _ = self.discovering_changed(&e).await;
        Ok(())
    }

    async fn stop_discovery(
        &mut self,
        #[zbus(signal_emitter)] e: SignalEmitter<'_>,
    ) -> fdo::Result<()> {
        self.discovering = false;
        self.shared.discovering.store(false, Ordering::SeqCst);
        let _ = self.discovering_changed(&e).await;
        Ok(())
    }

    #[zbus(property)]
    fn address(&self) -> String {
        "00:1A:7D:DA:71:13".to_owned()
    }
    #[zbus(property)]
    fn address_type(&self) -> String {
        "public".to_owned()
    }
    #[zbus(property)]
    fn name(&self) -> String {
        "fake-hci0".to_owned()
    }
    #[zbus(property)]
    fn alias(&self) -> String {
        "fake-hci0".to_owned()
    }
    #[zbus(property)]
    fn modalias(&self) -> String {
        "usb:v1D6Bp0246d0540".to_owned()
    }
    #[zbus(property)]
    fn discovering(&self) -> bool {
        self.discovering
    }
    #[zbus(property)]
    fn powered(&self) -> bool {
        self.powered
    }
    #[zbus(property)]
    fn set_powered(&mut self, on: bool) -> fdo::Result<()> {
        if on && !self.shared.powered_ok.load(Ordering::SeqCst) {
            return Err(fdo::Error::Failed("Blocked through rfkill".into()));
        }
        self.powered = on;
        Ok(())
    }
}

struct Device1 {
    device: Device,
    uuids: Vec<String>,
    connected: bool,
    resolved: bool,
    shared: Arc<Shared>,
}

#[zbus::interface(name = "org.bluez.Device1")]
impl Device1 {
    async fn connect(&mut self, #[zbus(signal_emitter)] e: SignalEmitter<'_>) -> fdo::Result<()> {
        self.shared.log(format!("Connect {}", self.device.address));
        let delay = self.shared.connect_delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            std::thread::sleep(Duration::from_millis(delay as u64));
        }
        if !self.shared.reachable.load(Ordering::SeqCst) {
            return Err(fdo::Error::Failed(
                "org.bluez.Error.Failed: Page Timeout".into(),
            ));
        }
        self.shared.connects.fetch_add(1, Ordering::SeqCst);
        self.connected = true;
        self.resolved = true;
        let _ = self.connected_changed(&e).await;
        let _ = self.services_resolved_changed(&e).await;
        Ok(())
    }

    async fn disconnect(
        &mut self,
        #[zbus(signal_emitter)] e: SignalEmitter<'_>,
    ) -> fdo::Result<()> {
        self.shared
            .log(format!("Disconnect {}", self.device.address));
        self.connected = false;
        self.resolved = false;
        let _ = self.connected_changed(&e).await;
        let _ = self.services_resolved_changed(&e).await;
        Ok(())
    }

    #[zbus(property)]
    fn address(&self) -> String {
        self.device.address.clone()
    }
    #[zbus(property)]
    fn address_type(&self) -> String {
        "public".to_owned()
    }
    #[zbus(property)]
    fn name(&self) -> String {
        self.device.name.clone()
    }
    #[zbus(property)]
    fn alias(&self) -> String {
        self.device.name.clone()
    }
    #[zbus(property)]
    fn adapter(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(ADAPTER).expect("valid path")
    }
    #[zbus(property, name = "RSSI")]
    fn rssi(&self) -> i16 {
        self.device.rssi
    }
    #[zbus(property, name = "UUIDs")]
    fn uuids(&self) -> Vec<String> {
        self.uuids.clone()
    }
    #[zbus(property)]
    fn paired(&self) -> bool {
        false
    }
    #[zbus(property)]
    fn connected(&self) -> bool {
        self.connected
    }
    #[zbus(property)]
    fn services_resolved(&self) -> bool {
        self.resolved
    }
    #[zbus(property)]
    fn trusted(&self) -> bool {
        false
    }
    #[zbus(property)]
    fn blocked(&self) -> bool {
        false
    }
    #[zbus(property)]
    fn legacy_pairing(&self) -> bool {
        false
    }
}

struct Service {
    uuid: String,
    device: String,
}

#[zbus::interface(name = "org.bluez.GattService1")]
impl Service {
    #[zbus(property, name = "UUID")]
    fn uuid(&self) -> String {
        self.uuid.clone()
    }
    #[zbus(property)]
    fn primary(&self) -> bool {
        true
    }
    #[zbus(property)]
    fn device(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(self.device.as_str()).expect("valid path")
    }
}

struct Characteristic {
    uuid: String,
    /// The 16-bit UUID, for the call log.
    short: u16,
    /// The address of the device it belongs to.
    device: String,
    shared: Arc<Shared>,
    service: String,
    flags: Vec<String>,
    value: Vec<u8>,
    notifying: bool,
}

impl Characteristic {
    fn new(
        short: u16,
        service: &str,
        device: &str,
        shared: Arc<Shared>,
        flags: &[&str],
        value: Vec<u8>,
    ) -> Self {
        Characteristic {
            uuid: uuid16(short),
            short,
            device: device.to_owned(),
            shared,
            service: service.to_owned(),
            flags: flags.iter().map(|f| (*f).to_owned()).collect(),
            value,
            notifying: false,
        }
    }

    fn log(&self, call: &str) {
        let short = self.short;
        self.shared
            .log(format!("{call} {} {short:04x}", self.device));
    }
}

#[zbus::interface(name = "org.bluez.GattCharacteristic1")]
impl Characteristic {
    async fn read_value(&self, _options: HashMap<String, OwnedValue>) -> fdo::Result<Vec<u8>> {
        self.log("ReadValue");
        Ok(self.value.clone())
    }

    async fn write_value(
        &mut self,
        value: Vec<u8>,
        _options: HashMap<String, OwnedValue>,
    ) -> fdo::Result<()> {
        self.log("WriteValue");
        self.value = value;
        Ok(())
    }

    async fn start_notify(
        &mut self,
        #[zbus(signal_emitter)] e: SignalEmitter<'_>,
    ) -> fdo::Result<()> {
        self.log("StartNotify");
        self.notifying = true;
        let _ = self.notifying_changed(&e).await;
        Ok(())
    }

    async fn stop_notify(
        &mut self,
        #[zbus(signal_emitter)] e: SignalEmitter<'_>,
    ) -> fdo::Result<()> {
        self.log("StopNotify");
        if !self.notifying {
            return Err(fdo::Error::Failed("Not notifying".into()));
        }
        self.notifying = false;
        let _ = self.notifying_changed(&e).await;
        Ok(())
    }

    #[zbus(property, name = "UUID")]
    fn uuid(&self) -> String {
        self.uuid.clone()
    }
    #[zbus(property)]
    fn service(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(self.service.as_str()).expect("valid path")
    }
    #[zbus(property)]
    fn flags(&self) -> Vec<String> {
        self.flags.clone()
    }
    #[zbus(property)]
    fn value(&self) -> Vec<u8> {
        self.value.clone()
    }
    #[zbus(property)]
    fn notifying(&self) -> bool {
        self.notifying
    }
}
