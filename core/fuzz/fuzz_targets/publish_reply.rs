#![no_main]
libfuzzer_sys::fuzz_target!(|b: &[u8]| jetbridge::fuzz::publish_reply(b));
