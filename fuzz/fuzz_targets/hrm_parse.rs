//! The Heart Rate Measurement (0x2A37) parser on arbitrary bytes: never panics, and what it
//! parses encodes back to bytes that parse to the same measurement.
#![no_main]

use hrcoach::coach::measurement::HeartRateMeasurement;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = HeartRateMeasurement::parse(data) {
        let again = HeartRateMeasurement::parse(&m.encode());
        assert_eq!(again.as_ref(), Ok(&m), "encode then parse changed {m:?}");
    }
});
