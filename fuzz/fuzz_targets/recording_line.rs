//! One arbitrary line after a valid header and first event: the reader returns an item or an
//! error naming line 3, and never panics.
#![no_main]

use hrcoach::recording::RecordingReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut text =
        b"{\"format\":\"hrcoach-recording\",\"version\":1}\n{\"t_ms\":0,\"bpm\":100}\n".to_vec();
    text.extend_from_slice(data);
    let Ok(mut reader) = RecordingReader::new(&text[..], "fuzz.jsonl") else {
        return;
    };
    for _ in 0..4 {
        match reader.next_item() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                let message = e.to_string();
                assert!(message.starts_with("fuzz.jsonl"), "{message}");
                break;
            }
        }
    }
});
