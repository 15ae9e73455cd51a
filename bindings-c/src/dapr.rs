//! `jb_dapr_config_info`: what a parsed Dapr configuration holds, for an
//! application (or a conformance runner) to show or check it — counts and
//! names only, never a URL's credentials, a token, a seed or a JWT.

use std::ffi::c_char;

use jetbridge_core::{Auth, ConcurrencyMode, DaprConfig};

use crate::client::jb_dapr_config;
use crate::convert::{Out, Strings};
use crate::error::jb_result;
use crate::generated::jb_consumer_config;
use crate::handles::{Handle, Owned, give, take_back};
use crate::panic::boundary;
use crate::record_c::RecordBox;

/// What a Dapr configuration holds (`jb_dapr_config_info`). Library-owned:
/// free it with `jb_dapr_config_info_free`. Holds no secret: the auth mode
/// is named, never its material; server URLs are only counted.
#[repr(C)]
pub struct jb_dapr_config_info {
    /// Number of server URLs (`natsURL` may list several).
    pub servers_len: usize,
    /// The connection name, or NULL.
    pub name: *const c_char,
    /// The auth mode: `"none"`, `"token"`, `"user_password"`, `"nkey"`,
    /// `"jwt"` or `"creds_file"`.
    pub auth: *const c_char,
    /// True when a TLS client certificate is configured.
    pub tls_client_cert: bool,
    /// The JetStream API prefix in effect (`$JS.API`, `$JS.<domain>.API` or
    /// the `apiPrefix`).
    pub js_api_prefix: *const c_char,
    /// `streamName`, or NULL (the stream is looked up by the topic).
    pub stream_name: *const c_char,
    /// `concurrencyMode`: `"single"` or `"parallel"`.
    pub concurrency: *const c_char,
    /// The consumer configuration a subscription uses (`start`,
    /// `start_time_ns` from `startTime`, acks, limits, deliver group);
    /// owned by the info.
    pub consumer: *const jb_consumer_config,
    /// The configuration's debug description (secrets redacted), for logs.
    pub description: *const c_char,
}

/// A `jb_dapr_config_info` with its storage.
#[repr(C)]
struct DaprInfoBox {
    c: jb_dapr_config_info,
    consumer: Box<RecordBox<jb_consumer_config>>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for DaprInfoBox {}

// SAFETY: repr(C) with `jb_dapr_config_info` first.
unsafe impl Owned for DaprInfoBox {
    type C = jb_dapr_config_info;
    const TAG: u8 = 0x8A;
    const WHAT: &'static str = "jb_dapr_config_info";
}

/// The auth mode's name, never its material.
pub(crate) fn auth_name(auth: &Auth) -> &'static str {
    match auth {
        Auth::None => "none",
        Auth::Token(_) => "token",
        Auth::UserPassword { .. } => "user_password",
        Auth::NKey(_) => "nkey",
        Auth::Jwt { .. } => "jwt",
        Auth::CredsFile(_) => "creds_file",
    }
}

fn info_box(cfg: &DaprConfig) -> DaprInfoBox {
    let consumer = RecordBox::new(&cfg.subscription.consumer);
    let mut strings = Strings::default();
    let c = &cfg.connect;
    let s = &cfg.subscription;
    let info = jb_dapr_config_info {
        servers_len: c.servers.len(),
        name: strings.add_opt(c.name.as_deref()),
        auth: strings.add(auth_name(&c.auth)),
        tls_client_cert: c.tls.client_cert.is_some(),
        js_api_prefix: strings.add(&c.js_api_prefix()),
        stream_name: strings.add_opt(s.stream_name.as_deref()),
        concurrency: strings.add(match s.concurrency {
            ConcurrencyMode::Single => "single",
            ConcurrencyMode::Parallel => "parallel",
        }),
        consumer: consumer.c(),
        description: strings.add(&format!("{cfg:?}")),
    };
    DaprInfoBox {
        c: info,
        consumer,
        strings,
    }
}

/// What a parsed Dapr configuration holds: connection (server count, name,
/// auth mode, client certificate, JetStream API prefix) and subscription
/// (stream, concurrency, consumer configuration). Never blocks. On success
/// `*out` is owned by the caller (`jb_dapr_config_info_free`).
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_config_get_info(
    config: *const jb_dapr_config,
    out: *mut *mut jb_dapr_config_info,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let cfg = jb_dapr_config::get(config, "config")?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give(info_box(&cfg))) };
        Ok(())
    })
}

/// Frees a Dapr config info. NULL is a no-op; a double free is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_config_info_free(info: *mut jb_dapr_config_info) -> jb_result {
    boundary(|| take_back::<DaprInfoBox>(info))
}
