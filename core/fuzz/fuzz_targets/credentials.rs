#![no_main]
// The input is split in three: JWT, seed, creds file contents.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (a, rest) = data.split_at(data.len() / 3);
    let (b, c) = rest.split_at(rest.len() / 2);
    jetbridge::fuzz::credentials(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b), c);
});
