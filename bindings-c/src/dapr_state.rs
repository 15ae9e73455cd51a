//! `jb_dapr_state_config`: Dapr `state.jetstream` metadata parsed by the
//! core (the connection and the key-value bucket a Dapr state store keeps
//! its state in); its secret-free info; connecting with it; and
//! `jb_dapr_state_key`, the bucket key a Dapr state key is stored under.

use std::ffi::{c_char, c_void};

use jetbridge_core::{Client, DaprStateConfig};

use crate::client::{jb_client, jb_client_callback, metadata_pairs};
use crate::convert::{Out, Strings, cstr, jb_string_pair};
use crate::dapr::auth_name;
use crate::error::jb_result;
use crate::handles::{Handle, Owned, give, give_string, handle_registry, take_back};
use crate::panic::boundary;
use crate::runtime::blocking_and_async;

/// Parsed Dapr `state.jetstream` metadata: connection options and the
/// bucket's name. Opaque handle.
///
/// Caller owns it: free with `jb_dapr_state_config_free`. Safe to use from
/// any thread.
pub struct jb_dapr_state_config {
    _private: [u8; 0],
}

handle_registry!(
    jb_dapr_state_config,
    DaprStateConfig,
    0x21,
    "jb_dapr_state_config"
);

/// Parses Dapr `state.jetstream` metadata (the component's keys, matched
/// case-insensitively). Unknown keys, missing required ones and bad values
/// are `JB_RESULT_INVALID_ARGUMENT` naming the key.
///
/// On success `*out` is a new config the caller owns
/// (`jb_dapr_state_config_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_dapr_state_config_from_metadata(
    metadata: *const jb_string_pair,
    metadata_len: usize,
    out: *mut *mut jb_dapr_state_config,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: caller's contract.
        let pairs = unsafe { metadata_pairs(metadata, metadata_len) }?;
        let handle = jb_dapr_state_config::insert(DaprStateConfig::from_metadata(pairs)?)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Reads a Dapr component YAML file (`spec.type: state.jetstream`,
/// `spec.metadata` name/value list) like
/// `jb_dapr_state_config_from_metadata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_dapr_state_config_from_file(
    path: *const c_char,
    out: *mut *mut jb_dapr_state_config,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: valid C string by the caller's contract.
        let path = unsafe { cstr(path, "path") }?;
        let handle = jb_dapr_state_config::insert(DaprStateConfig::from_yaml_file(path)?)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Frees a Dapr state config. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_state_config_free(config: *mut jb_dapr_state_config) -> jb_result {
    boundary(|| jb_dapr_state_config::remove(config).map(drop))
}

blocking_and_async! {
    /// Connects with the connection part of a Dapr state config, blocking.
    /// As `jb_client_connect`; then open the bucket with `jb_client_kv`
    /// and the config's `bucket` (`jb_dapr_state_config_get_info`).
    fn jb_client_connect_dapr_state(config: *const jb_dapr_state_config)
        -> handle(jb_client, jb_client_callback);
    /// Connects with the connection part of a Dapr state config without
    /// blocking. As `jb_client_connect_async`.
    async fn jb_client_connect_dapr_state_async;
    {
        let options = jb_dapr_state_config::get(config, "config")?.connect.clone();
        Client::connect(options)
    }
}

/// What a Dapr state configuration holds
/// (`jb_dapr_state_config_get_info`). Library-owned: free it with
/// `jb_dapr_state_config_info_free`. Holds no secret: the auth mode is
/// named, never its material; server URLs are only counted.
#[repr(C)]
pub struct jb_dapr_state_config_info {
    /// Number of server URLs (`natsURL` may list several).
    pub servers_len: usize,
    /// The connection name (the component's default unless set), or NULL.
    pub name: *const c_char,
    /// The auth mode, named as in `jb_dapr_config_info`.
    pub auth: *const c_char,
    /// True when a TLS client certificate is configured.
    pub tls_client_cert: bool,
    /// The JetStream API prefix in effect.
    pub js_api_prefix: *const c_char,
    /// The key-value bucket holding the state (opened, never created).
    pub bucket: *const c_char,
    /// The configuration's debug description (secrets redacted), for logs.
    pub description: *const c_char,
}

/// A `jb_dapr_state_config_info` with its storage.
#[repr(C)]
struct DaprStateInfoBox {
    c: jb_dapr_state_config_info,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for DaprStateInfoBox {}

// SAFETY: repr(C) with `jb_dapr_state_config_info` first.
unsafe impl Owned for DaprStateInfoBox {
    type C = jb_dapr_state_config_info;
    const TAG: u8 = 0x90;
    const WHAT: &'static str = "jb_dapr_state_config_info";
}

fn info_box(cfg: &DaprStateConfig) -> DaprStateInfoBox {
    let mut strings = Strings::default();
    let c = &cfg.connect;
    let info = jb_dapr_state_config_info {
        servers_len: c.servers.len(),
        name: strings.add_opt(c.name.as_deref()),
        auth: strings.add(auth_name(&c.auth)),
        tls_client_cert: c.tls.client_cert.is_some(),
        js_api_prefix: strings.add(&c.js_api_prefix()),
        bucket: strings.add(&cfg.bucket),
        description: strings.add(&format!("{cfg:?}")),
    };
    DaprStateInfoBox { c: info, strings }
}

/// What a parsed Dapr state configuration holds: connection (server count,
/// name, auth mode, client certificate, JetStream API prefix) and the
/// bucket. Never blocks. On success `*out` is owned by the caller
/// (`jb_dapr_state_config_info_free`).
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_state_config_get_info(
    config: *const jb_dapr_state_config,
    out: *mut *mut jb_dapr_state_config_info,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let cfg = jb_dapr_state_config::get(config, "config")?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give(info_box(&cfg))) };
        Ok(())
    })
}

/// Frees a Dapr state config info. NULL is a no-op; a double free is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_state_config_info_free(
    info: *mut jb_dapr_state_config_info,
) -> jb_result {
    boundary(|| take_back::<DaprStateInfoBox>(info))
}

/// The bucket key the Dapr component stores the Dapr state key `key` under
/// (Dapr's `app-id||key` separator escaped as the component does). Never
/// blocks. On success `*out` is a string the caller owns (`jb_string_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_dapr_state_key(key: *const c_char, out: *mut *mut c_char) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: valid C string by the caller's contract.
        let key = unsafe { cstr(key, "key") }?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give_string(&jetbridge_core::dapr_state_key(key))) };
        Ok(())
    })
}
