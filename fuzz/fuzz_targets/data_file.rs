//! Fuzz target: see `yorisoi::fuzzing::data_file` (the first byte chooses the file).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    yorisoi::fuzzing::data_file(data);
});
