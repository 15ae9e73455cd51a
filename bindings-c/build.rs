//! Gives libjetbridge.so its SONAME, `libjetbridge.so.<ABI>`.
//!
//! ABI is the number of the C ABI, not the crate version: it stays while every
//! program linked against an older libjetbridge.so.<ABI> keeps working with a
//! newer one (functions and enum values are only added, option structs grow
//! only at their end and carry their size, nothing is renumbered or removed).
//! It goes up by one only for a change that would break such a program; then
//! the new library can be installed beside the old one. Pre-1.0 releases
//! (0.x.y) keep ABI 0 under that rule. bindings-c/Makefile and
//! scripts/dist/c.sh read the number from here.
const ABI: u32 = 0;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libjetbridge.so.{ABI}");
    }
}
