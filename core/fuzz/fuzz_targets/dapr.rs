#![no_main]
libfuzzer_sys::fuzz_target!(|s: &str| {
    let pairs: Vec<(String, String)> = s
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    jetbridge::fuzz::dapr(&pairs, s);
});
