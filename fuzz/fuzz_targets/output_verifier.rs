//! Fuzz target: see `yorisoi::fuzzing::output_verifier`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    yorisoi::fuzzing::output_verifier(data);
});
