#![no_main]
libfuzzer_sys::fuzz_target!(|s: &str| jetbridge::fuzz::validators(s));
