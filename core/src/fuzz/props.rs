//! Property tests over every parser and validator that takes outside input:
//! arbitrary strings and bytes never panic and accepted input keeps its
//! invariants. `PROPTEST_CASES` raises the count (the long tier does).
#![allow(clippy::unwrap_used)]

use crate::fuzz;
use proptest::prelude::*;

fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z.*> \\r\\n\\t:@%/]{0,24}",
        "(nats|tls)://[a-z:%@0-9]{0,16}@[a-z0-9.:]{0,12}",
        "\\$JS\\.ACK\\.[A-Z]{0,4}\\.[a-z]{0,4}(\\.[0-9]{0,3}){5,8}",
    ]
}

proptest! {
    #[test]
    fn validators_never_panic(s in nasty()) {
        fuzz::validators(&s);
    }

    #[test]
    fn publish_replies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256), s in nasty()) {
        fuzz::publish_reply(&body);
        fuzz::publish_reply(format!("{{\"error\":{{\"code\":503,\"err_code\":{},\"description\":{:?}}}}}", body.len(), s).as_bytes());
        fuzz::publish_reply(format!("{{\"stream\":{s:?},\"seq\":{},\"duplicate\":true}}", body.len()).as_bytes());
    }

    #[test]
    fn delivery_metadata_never_panics(s in nasty()) {
        fuzz::delivery_metadata(&s);
    }

    #[test]
    fn dapr_config_never_panics(keys in proptest::collection::vec((prop_oneof![
        Just("natsURL".to_string()), Just("ackWait".to_string()), Just("backOff".to_string()),
        Just("deliverPolicy".to_string()), Just("startTime".to_string()), Just("jwt".to_string()),
        Just("seedKey".to_string()), Just("maxDeliver".to_string()), any::<String>()
    ], nasty()), 0..6), yaml in nasty()) {
        fuzz::dapr(&keys, &yaml);
        fuzz::dapr(&keys, &format!("spec:\n  type: pubsub.jetstream\n  metadata:\n  - name: natsURL\n    value: {yaml:?}\n"));
    }

    #[test]
    fn credentials_never_panic_or_leak(jwt in nasty(), seed in prop_oneof![
        nasty(), "SU[A-Z2-7]{56}", "SA[A-Z2-7]{0,60}"
    ], creds in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256).prop_map(|b| b),
        ("[A-Za-z0-9._-]{0,80}", "S[UAO][A-Z2-7]{0,58}").prop_map(|(j, s)| format!(
            "-----BEGIN NATS USER JWT-----\n{j}\n------END NATS USER JWT------\n\n\
             -----BEGIN USER NKEY SEED-----\n{s}\n------END USER NKEY SEED------\n").into_bytes()),
    ]) {
        fuzz::credentials(&jwt, &seed, &creds);
    }

    #[test]
    fn urls_never_leak_userinfo(s in nasty()) {
        fuzz::urls(&s);
    }
}

/// Inputs cargo-fuzz found; each once broke an invariant check.
#[test]
fn fuzz_regressions() {
    fuzz::urls("\t//['\u{0}@0://[@/:/RE0[@");
    fuzz::urls("\t'\u{0}%%01@@@@0://[RE@@//[RE@@");
}
