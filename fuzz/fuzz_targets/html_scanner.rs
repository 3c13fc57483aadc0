//! Fuzz target: see `yorisoi::fuzzing::html_scanner`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        yorisoi::fuzzing::html_scanner(text);
    }
});
